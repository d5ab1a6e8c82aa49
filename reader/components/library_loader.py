"""Loading and scanning the cache in the background, as a part of the main screen.

:class:`LibraryLoader` is a display-less widget that owns the scan worker: it
shows the index at once, then brings it up to date with the files, and counts
the sidebar once the list has painted. Files that changed since (seen by
:mod:`reader.components.cache_watch`, or written by a fetch) are applied one
set at a time with :meth:`LibraryLoader.apply`, never during a scan. It
reports with messages that bubble to the screen, which shows what they carry.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget

from reader import captions
from reader.components.cache_watch import CacheWatch
from reader.index import Skip
from reader.library import PATCH_LIMIT, Collection, Preloaded, Source
from reader.marks import Marks, Tally
from reader.paths import Locations
from reader.settings import Settings

PARTIAL_FILL_SECONDS = 2.0
"""A long first scan shows what it has indexed this often."""
DIFF_GRACE_SECONDS = 0.5
"""How long counting waits for the helper's file comparison before counting the index as it is."""
PAINT_WAIT_SECONDS = 2.0
"""Counting waits for the list to paint first, but never longer than this."""
STOP_CHECK_SECONDS = 0.1
"""How often waiting for the helper's file comparison looks whether the reader is closing."""


class LibraryLoader(Widget):
    """The collection's loader: the index first, then a scan, then counts for the sidebar."""

    DEFAULT_CSS = "LibraryLoader { display: none; }"

    @dataclass
    class Loaded(Message):
        """Entries to show, from the index or a scan (``skipped`` is None until the scan ends)."""

        source: Source
        collection: Collection
        is_samples: bool
        skipped: list[Skip] | None
        removed: frozenset[str] = frozenset()
        """Paths of articles that went away (after :meth:`LibraryLoader.apply`): the cursor on
        one of them moves to its neighbour."""

    @dataclass
    class Counted(Message):
        """The sidebar's counts for a loaded collection, computed in the worker."""

        tally: Tally

    @dataclass
    class Scanning(Message):
        """What the status line says about the running scan (files parsed, new files read)."""

        text: str

    @dataclass
    class _Applied(Message):
        """A set of changed files is in (or could not be, and a full scan is wanted)."""

        rescan: bool = False

    @dataclass
    class ScanFailed(Message):
        """The scan could not run at all (the reason is one line)."""

        reason: str

    def __init__(
        self,
        locations: Locations,
        settings: Settings,
        marks: Marks,
        preload: Future[Preloaded] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.locations = locations
        self.settings = settings
        self.marks = marks
        self._preload = preload
        """The index, already being read (see :func:`reader.library.preload`)."""
        self._painted = threading.Event()
        """Set once the list has painted after a load; counting waits for it."""
        self._stop = threading.Event()
        """Set when the loader goes away (the reader closes): the scan worker ends at once.

        The app cannot exit while the worker's thread runs, so each long step
        of the worker looks at it: the wait for the comparison, the parsing
        (between two files), the sorting and counting after it.
        """
        self._reload_pending = False
        self.scanning = True
        """Whether a scan runs (a reload waits for it to end)."""
        self._pending: set[str] = set()
        """Changed paths waiting to be read (see :meth:`apply`)."""
        self._applying = False
        self._latest: tuple[Source, Collection] | None = None
        """What the last :class:`Loaded` carried: the base that changed files are applied to."""

    def compose(self) -> ComposeResult:
        yield CacheWatch(self.locations.cache)  # its changes come here first (see _cache_changed)

    @on(CacheWatch.Changed)
    def _cache_changed(self, message: CacheWatch.Changed) -> None:
        message.stop()
        self.apply(message.paths)

    @on(CacheWatch.Failed)
    def _watch_failed(self, message: CacheWatch.Failed) -> None:
        message.stop()
        self.notify(message.reason, title="Live cache", severity="warning", markup=False)

    def on_mount(self) -> None:
        # An app that says when it starts to exit (NewsReaderApp.closing) stops the scan then,
        # a few tenths of a second before this loader is unmounted.
        self._stop = getattr(self.app, "closing", self._stop)
        self.load()

    def on_unmount(self) -> None:
        self._stop.set()
        self._painted.set()  # a worker waiting to count stops waiting

    def painted(self) -> None:
        """The list has painted what the last :class:`Loaded` brought: counting may start.

        The cache watcher starts then too, not earlier: the first screen comes first.
        """
        self._painted.set()
        self.query_one(CacheWatch).start()

    def reload(self) -> None:
        """Scan again (new files arrived), once the running scan (which cannot be stopped) ends."""
        if self.scanning or self._applying:
            self._reload_pending = True
            return
        self._pending.clear()  # the scan reads them too
        self.scanning = True
        self.post_message(self.Scanning(captions.READING_NEW))
        self.load()

    def apply(self, paths: list[str]) -> None:
        """Read the files at ``paths`` (relative to the cache) again, and nothing else.

        The watcher and the fetch call this; the paths wait while a scan or
        another set runs (a scan that ends reads what it found, and those
        files are then found unchanged). Very many at once are a scan.
        """
        self._pending.update(paths)
        self._apply_next()

    def _apply_next(self) -> None:
        if self.scanning or self._applying or not self._pending:
            return
        if self._latest is None:
            return  # the cache could not be opened: nothing to apply to
        if self._latest[0].is_samples or len(self._pending) > PATCH_LIMIT:
            self.reload()  # files in a cache that had none, or more than a patch is worth
            return
        paths, self._pending = sorted(self._pending), set()
        self._applying = True
        self._apply(paths)

    @on(_Applied)
    def _applied(self, message: _Applied) -> None:
        self._applying = False
        if message.rescan or self._reload_pending:
            self._reload_pending = False
            self.reload()
        else:
            self._apply_next()

    @work(thread=True, group="changes")
    def _apply(self, paths: list[str]) -> None:
        """Apply changed files to the index and the loaded list (see :meth:`Source.apply`)."""
        assert self._latest is not None
        source, loaded = self._latest
        try:
            collection, changes = source.apply(loaded, paths)
            skipped = source.index.skipped() if changes.touched else []
        except Exception:  # noqa: BLE001 - the index refused (locked, full): a scan copes with that
            self.post_message(self._Applied(rescan=True))
            return
        if changes.touched and not self._stop.is_set():
            settings = self.settings
            collection.sorted(settings.sort, settings.reverse)  # here rather than on the UI thread
            self._latest = (source, collection)
            self._painted.clear()
            self.post_message(
                self.Loaded(source, collection, False, skipped, frozenset(changes.removed))
            )
            self._count_after_paint(collection)
            collection.warm(settings.sort, settings.reverse)  # the next key typed finds it ready
        self.post_message(self._Applied())

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._painted.clear()
        if message.skipped is not None:
            self.scanning = False
            if self._reload_pending:  # a fetch finished during this scan: scan again for its files
                self._reload_pending = False
                self.call_later(self.reload)
            else:
                self.call_later(self._apply_next)  # files changed during the scan

    @on(ScanFailed)
    def _failed(self) -> None:
        self.scanning = False
        self.query_one(CacheWatch).start()  # a cache that cannot be opened yet may come later
        self._pending.clear()

    @work(thread=True, exclusive=True, group="count")
    def count(self, collection: Collection) -> None:
        """Count ``collection`` again (a mark was made while it was being counted)."""
        self.post_message(self.Counted(self.marks.tally(collection)))

    def _count_after_paint(self, collection: Collection) -> None:
        """Count in the worker once the list has painted (so the list never waits for this)."""
        self._painted.wait(timeout=PAINT_WAIT_SECONDS)
        if self._stop.is_set():
            return
        self.post_message(self.Counted(self.marks.tally(collection)))

    @work(thread=True, exclusive=True, group="scan")
    def load(self) -> None:
        """Show the index at once, then bring it up to date with the files."""
        preload, self._preload = self._preload, None  # only the first load was started early
        diff = None
        try:
            if preload is not None:
                ready = preload.result()
                source, first, diff = ready.source, ready.collection, ready.diff
            else:
                source = Source(self.locations, self.app.config.hide)
                first = source.load()
        except Exception as exc:  # noqa: BLE001 - an unreadable cache must not crash the screen
            self.post_message(self.ScanFailed(f"cannot open the cache: {exc}"))
            return
        counted = False
        if len(first):
            self.post_message(self.Loaded(source, first, False, None))
            # The helper's comparison is usually ready by the time the list has painted, and a
            # changed collection would be counted again; when the walk is slow, count meanwhile.
            if diff is None or not diff.arrives_within(DIFF_GRACE_SECONDS):
                self._count_after_paint(first)
                counted = True
        last_fill = time.monotonic()

        def progress(done: int, total: int) -> None:
            # A long first scan fills the list as it goes, every couple of seconds.
            nonlocal last_fill
            if self._stop.is_set():
                return
            self.post_message(self.Scanning(captions.scan_progress(done, total)))
            if time.monotonic() - last_fill > PARTIAL_FILL_SECONDS and done < total:
                last_fill = time.monotonic()
                self.post_message(self.Loaded(source, source.load(), False, None))

        while diff is not None and not diff.arrives_within(STOP_CHECK_SECONDS):
            if self._stop.is_set():
                diff.cancel()
                return
        try:
            files = diff.result() if diff is not None else None
        except Exception:  # noqa: BLE001 - the helper process failed: walk the files here instead
            files = None
        result = source.scan(progress, files, self._stop)
        if result.stopped or self._stop.is_set():
            return
        settings = self.settings
        final = first
        if result.changed or not len(first) or source.is_samples:
            final = source.reload(first, result)
            final.sorted(settings.sort, settings.reverse)  # here rather than on the UI thread
            self._latest = (source, final)
            self.post_message(self.Loaded(source, final, source.is_samples, result.skipped))
            self._count_after_paint(final)
        else:
            self._latest = (source, first)
            self.post_message(self.Loaded(source, first, False, result.skipped))
            if not counted:
                self._count_after_paint(first)
        if self._stop.is_set():
            return
        # So that the first `s`, and the first key typed in a search, find their work done.
        final.warm(settings.sort, settings.reverse)
        final.warm(settings.sort.other)
