"""Loading every entry of the index in a thread of its own, beside the scan. No Textual.

At start the first screen comes from the index's first page; the whole
collection is loaded behind it while the files are compared and the changed
ones parsed, not before: reading 100,000 rows takes as long as checking their
files, and a million rows several seconds. A daemon thread rather than a
worker, because neither the query nor the decoding can be cut short, and the
reader must be able to quit meanwhile (an app waits for its workers).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from reader.collection import Collection
from reader.ordering import SortKey, arrays_ahead

WAIT_STEP_SECONDS = 0.1
"""How often waiting for the load looks whether the reader is closing."""


def _nothing(collection: Collection) -> None:
    pass


class Gate:
    """Holds a whole load up between two of its chunks while something more urgent runs.

    A start after a hundred changed files stored them while the whole list loaded: sharing the
    interpreter lock with the load, the store took 0.25-0.34 s instead of 0.13 at 100,000
    articles, and the status said the files were checked only after it. The load now waits
    for a few files between two of its chunks, and takes as long after them.
    """

    def __init__(self) -> None:
        self._open = threading.Event()
        self._open.set()

    def wait(self) -> None:
        """Return once the gate is open (called by the load before each chunk)."""
        self._open.wait()

    @contextmanager
    def closed(self, close: bool = True) -> Iterator[None]:
        """Hold the load up for the ``with`` block (when ``close``), whatever it raises."""
        if close:
            self._open.clear()
        try:
            yield
        finally:
            self._open.set()


class WholeLoad:
    """Every entry, read by ``load`` (:meth:`Source.load`, or :meth:`Source.reload`) and sorted
    in the list's ``order``, in the background.

    ``early`` is called (in the loading thread) with the collection when it is in
    before :meth:`scan_ended` was called, so that a long scan does not keep it from the
    list; after the scan the caller takes it with :meth:`result` instead. ``then``
    follows ``early`` once :meth:`result` no longer waits (counting the sidebar).
    """

    def __init__(
        self,
        load: Callable[[], Collection],
        order: tuple[SortKey, bool],
        early: Callable[[Collection], None] = _nothing,
        then: Callable[[Collection], None] = _nothing,
    ) -> None:
        self.load = load
        self.order = order
        self.early, self.then = early, then
        self._scanned = False
        self.shown_early = False
        """Whether ``early`` was called (the collection is on the screen already)."""
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._collection = Collection([])
        threading.Thread(target=self._run, name="newsreader-load", daemon=True).start()

    @property
    def done(self) -> bool:
        """Whether the collection is in."""
        return self._done.is_set()

    @property
    def ready(self) -> bool:
        """Whether the collection is in and holds something (not an empty or closed index)."""
        return self.done and len(self._collection) > 0

    def scan_ended(self) -> bool:
        """The caller's scan has ended: from now on the collection is its to show. Returns
        whether it was shown early (then ``early`` was called, or is being called)."""
        with self._lock:
            self._scanned = True
            return self.shown_early

    def _run(self) -> None:
        try:
            collection = self.load()
            collection.shown_ahead(*self.order)  # here rather than on the UI thread
            arrays_ahead(len(collection))
        except Exception:  # noqa: BLE001 - the index went away under it (the samples replace an
            collection = Collection([])  # empty cache): the caller loads again when it is empty
        self._collection = collection
        with self._lock:
            early = self.shown_early = len(collection) > 0 and not self._scanned
        if early:
            self.early(collection)
        self._done.set()
        if early:
            self.then(collection)

    def result(self, stop: threading.Event) -> Collection | None:
        """The collection, once in; None when ``stop`` is set first (the reader is closing)."""
        while not self._done.wait(WAIT_STEP_SECONDS):
            if stop.is_set():
                return None
        return None if stop.is_set() else self._collection
