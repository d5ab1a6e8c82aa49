"""The other order of a big list, shown from the index while it is still being sorted.

After the whole list of a big cache is in, a worker sorts its other order
ahead of use; at 1,000,000 articles that takes a few tenths of a second, and
an `s` pressed meanwhile used to wait for it on the UI thread. With
:class:`OrderWait`, the list shows that order's head from the index at once
(as the first screen does, see :mod:`reader.first_page`) and the whole order
when the sort is done. Nothing is sorted twice: the wait goes through the
collection's own per-order lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget

from reader.collection import Collection
from reader.entry import Entry
from reader.first_page import FirstPage
from reader.library import Source
from reader.ordering import SortKey

PAGE_FROM = 150_000
"""Lists shorter than this sort in a few hundredths of a second: the key simply waits."""


class OrderWait(Widget):
    """Says when an order shown from its first page is whole (:class:`OrderWait.Ready`)."""

    DEFAULT_CSS = "OrderWait { display: none; }"

    page: FirstPage | None = None
    """The head given last (the screen shows it while it is its ``page``)."""

    @dataclass
    class Ready(Message):
        """The order that ``page`` stood for is sorted: the whole list can be shown."""

        page: FirstPage
        keep: Entry | None
        """The article highlighted when the order was asked for."""

    def page_for(
        self,
        source: Source | None,
        collection: Collection,
        key: SortKey,
        reverse: bool,
        keep: Entry | None,
    ) -> FirstPage | None:
        """The head of an order of ``collection`` that is not sorted yet, read from the index,
        with a wait for the sort started; None when the order is at hand (or the list is
        short, or the index cannot be read): the list is then sorted as it is asked for."""
        if source is None or len(collection) < PAGE_FROM or collection.ordered(key, reverse):
            return None
        try:
            page = source.first_page(orders=((key, reverse),))
        except Exception:  # noqa: BLE001 - the index gone or locked: the key waits for the sort
            return None
        if not page:
            return None
        self.page = page
        self._wait(collection, key, reverse, page, keep)
        return page

    @work(thread=True, group="order-wait")
    def _wait(
        self,
        collection: Collection,
        key: SortKey,
        reverse: bool,
        page: FirstPage,
        keep: Entry | None,
    ) -> None:
        collection.sorted(key, reverse)  # sorts it, or waits for the worker sorting it
        self.post_message(self.Ready(page, keep))
