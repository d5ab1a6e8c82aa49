"""The highlighted article's related items, looked up in the index off the UI thread.

:class:`RelatedLookup` is a display-less part of the detail pane. Each
highlight asks it for one article; one worker thread at a time asks the
index (see :func:`reader.related_items.look_up`, 5-30 ms) and posts
:class:`RelatedLookup.Found`. Requests made meanwhile replace each other:
moving the cursor through fifty rows looks up the first and the last, not
fifty, and never more than one at a time. (Not an ``exclusive`` worker: that
cancels the running one, which may then never start its loop, or be waited on
as cancelled, while a thread cannot be stopped anyway.)

On a big index one look-up runs for tenths of a second, on the core that a
search typed meanwhile splits its work onto (see :mod:`reader.search_halves`):
at a million articles, with a look-up for each row a search highlighted, the
search keys took 43-59 ms (medians) instead of 39-43, and the slowest 111-117
instead of 81-95. After a look-up that slow, the next one waits for the
highlight to rest (:data:`REST_SECONDS` with no newer request), so rows that
flash by while keys are typed are not looked up.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from reader import related_items
from reader.entry import Entry

if TYPE_CHECKING:
    from reader.index import Index


SLOW_SECONDS = 0.05
"""A look-up this long makes the next one wait for the highlight to rest."""
REST_SECONDS = 0.2
"""How long the highlight stays on a row, with no newer request, before a slow index is asked."""


class RelatedLookup(Widget):
    """Looks up one article's related items at a time, latest request first."""

    DEFAULT_CSS = "RelatedLookup { display: none; }"

    @dataclass
    class Found(Message):
        """The related items of ``entry`` (which may no longer be the one shown)."""

        entry: Entry
        found: related_items.Found

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._request_lock = threading.Lock()
        self._wanted: tuple[Index, Entry, list[str]] | None = None
        """The latest request not yet taken by the worker."""
        self._worker_on = False
        """Whether a worker is taking requests (guarded by the lock)."""
        self.looked_up = 0
        """How many look-ups ran (skipped requests are not counted): for the tests."""
        self._asked = 0
        """How many requests were made: the rest wait sees whether a newer one came."""
        self._slow = False
        """Whether the last look-up took :data:`SLOW_SECONDS` or more."""

    def request(self, index: Index, entry: Entry, urls: list[str]) -> None:
        """Look up ``entry``'s related items, and its own links ``urls``, in ``index``."""
        with self._request_lock:
            self._wanted = (index, entry, urls)
            self._asked += 1
            if self._worker_on:
                return  # the running worker takes it when it is done
            self._worker_on = True
        self._work()

    def cancel(self) -> None:
        """Forget a request not yet started (the pane shows no article now)."""
        with self._request_lock:
            self._wanted = None

    @property
    def busy(self) -> bool:
        """Whether a look-up is running or waiting."""
        with self._request_lock:
            return self._worker_on

    @work(thread=True, group="related")
    def _work(self) -> None:
        try:
            while True:
                if self._slow and self._wanted is not None:
                    self._rest()
                with self._request_lock:
                    wanted, self._wanted = self._wanted, None
                    if wanted is None:
                        self._worker_on = False  # under the lock: a request now starts a worker
                        return
                index, entry, urls = wanted
                found = related_items.look_up(index, entry, urls)
                self._slow = found.seconds >= SLOW_SECONDS
                self.looked_up += 1
                with self._request_lock:
                    newer = self._wanted is not None
                if not newer:  # a newer request makes this answer stale: look that one up
                    self.post_message(self.Found(entry, found))
        except BaseException:
            with self._request_lock:
                self._worker_on = False
            raise

    def _rest(self) -> None:
        """Wait until no request has come for :data:`REST_SECONDS` (in the worker's thread)."""
        while True:
            asked = self._asked
            time.sleep(REST_SECONDS)
            if self._asked == asked:
                return
