"""The rows the list shows for a view, with their title: from the collection, or the first page.

While the whole collection loads behind the first screen (see
:mod:`reader.first_page`), the plain list (every article, nothing typed)
is shown from the head of its order, titled with the size the index
counted; anything else (a topic, a search, unread) waits for the whole
collection, a moment later, rather than show a part of it as if it were all.
No Textual.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader import captions
from reader.collection import Collection
from reader.entry import Entry
from reader.first_page import FirstPage, Order
from reader.grouping import Groups
from reader.scopes import ALL
from reader.view import ScopeSize, ViewState

if TYPE_CHECKING:
    from rich.text import Text


@dataclass(frozen=True)
class ShownRows:
    """What the list pane shows for one view."""

    rows: Sequence[Entry]
    """A list, or many rows of a long one as :class:`~reader.picked.Picked`."""
    title: Text
    empty: str
    """What the list says when ``rows`` is empty."""
    groups: Groups | None
    """What the rows fold by (their ``+N``), None when every copy is listed."""
    source: Collection
    """The collection the rows were taken from (a new one brings new entry objects)."""
    order: Order | None = None
    """The order the rows are in, or are some rows of (a sort key and whether reversed); None
    when they are ranked by relevance."""


def from_page(view: ViewState) -> bool:
    """Whether the first page can show ``view``: the plain list, in any order."""
    return view.scope == ALL and not view.text


def shown_rows(
    view: ViewState,
    collection: Collection,
    page: FirstPage | None,
    marks: tuple[set[str], set[str]],
    sizes: ScopeSize,
    loading: bool,
    marks_version: Hashable | None = None,
) -> ShownRows:
    """The rows of ``view``: from ``page`` while the whole ``collection`` is still loading
    (``page`` not None), else from ``collection``; ``marks`` are the read and starred keys,
    ``marks_version`` what changes with them (see :meth:`reader.collection.Collection.view`).

    ``loading``: whether nothing is loaded yet (the empty list says so).
    """
    read, starred = marks
    if page is not None:
        head = page.head(view.sort, view.reverse) if from_page(view) else None
        if head is None:  # the whole collection is coming: nothing rather than a part of it
            title = captions.list_title(view, 0, 0, counting=True)
            return ShownRows([], title, captions.empty_message(view, True), None, collection)
        rows = view.rows(head, read, starred)
        total = page.total(view.grouped)
        title = captions.list_title(view, total, total)
        loading_message = captions.empty_message(view, True)
        return ShownRows(rows, title, loading_message, view.groups(head), head, _order(view))
    rows = view.rows(collection, read, starred, marks_version)
    total = sizes.of(view, collection, len(rows), read, starred)
    title = captions.list_title(view, len(rows), total)
    empty = captions.empty_message(view, loading and not len(collection))
    return ShownRows(rows, title, empty, view.groups(collection), collection, _order(view))


def _order(view: ViewState) -> Order | None:
    """The order rows of ``view`` are in (see :attr:`ShownRows.order`): folding a story's
    copies keeps the first of them in place, so folded rows are some rows of the order too."""
    return None if view.by_relevance else (view.sort, view.reverse)
