"""The highlighted article's related items, looked up in the index off the UI thread.

:class:`RelatedLookup` is a display-less part of the detail pane. Each
highlight asks it for one article; one worker thread at a time asks the
index (see :func:`reader.related_items.look_up`, 5-30 ms) and posts
:class:`RelatedLookup.Found`. Requests made meanwhile replace each other:
moving the cursor through fifty rows looks up the first and the last, not
fifty, and never more than one at a time. (Not an ``exclusive`` worker: that
cancels the running one, which may then never start its loop, or be waited on
as cancelled, while a thread cannot be stopped anyway.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from reader import related_items
from reader.entry import Entry

if TYPE_CHECKING:
    from reader.index import Index


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

    def request(self, index: Index, entry: Entry, urls: list[str]) -> None:
        """Look up ``entry``'s related items, and its own links ``urls``, in ``index``."""
        with self._request_lock:
            self._wanted = (index, entry, urls)
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
                with self._request_lock:
                    wanted, self._wanted = self._wanted, None
                    if wanted is None:
                        self._worker_on = False  # under the lock: a request now starts a worker
                        return
                index, entry, urls = wanted
                found = related_items.look_up(index, entry, urls)
                self.looked_up += 1
                with self._request_lock:
                    newer = self._wanted is not None
                if not newer:  # a newer request makes this answer stale: look that one up
                    self.post_message(self.Found(entry, found))
        except BaseException:
            with self._request_lock:
                self._worker_on = False
            raise
