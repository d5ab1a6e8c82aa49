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
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget

from reader import captions, gc_pause
from reader.components import early_scan, every_check
from reader.components.cache_watch import CacheWatch
from reader.components.scan_fill import ScanFill
from reader.filecheck import PendingDiff
from reader.first_page import NO_PAGE, FirstPage
from reader.index import ScanResult, Skip, merged
from reader.library import PATCH_LIMIT, Collection, Preloaded, Source, patch_limit
from reader.marks import Marks, Tally
from reader.paint_wait import PaintWait
from reader.paths import Locations
from reader.settings import Settings
from reader.whole_load import Gate, WholeLoad

PAINT_WAIT_SECONDS = 2.0
"""Counting waits for the list to paint first, but never longer than this."""
LOAD_AT_ONCE = 10_000
"""Up to this many articles (a few hundredths of a second to load) the whole list is loaded at
once, beside the first paint; above, once the first page has painted."""


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
    class PageLoaded(Message):
        """The head of each list order, read from the index: what to show while the whole
        collection loads (or a first scan indexes it)."""

        source: Source
        page: FirstPage

    @dataclass
    class Counted(Message):
        """The sidebar's counts for a loaded collection, computed in the worker."""

        tally: Tally

    @dataclass
    class Scanning(Message):
        """What the status line says about the running scan (files parsed, new files read);
        None: nothing any more."""

        text: str | None

    @dataclass
    class EveryCheck(Message):
        """Every file is being checked behind the screen (``running``), or no longer is (see
        :mod:`reader.components.every_check`)."""

        running: bool

    @dataclass
    class _Checked(Message):
        """What the check of every file found changed: read as the watcher's changes are."""

        paths: list[str]

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
        self._paint = PaintWait()
        """What the list painted last: counting a collection waits for it to be shown."""
        self._early_tallies: list[Tally] = []
        """Counts that came before the screen took their collection (see :meth:`_counted`): one
        per collection, as two counting threads may answer in either order."""
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
        self.source: Source | None = None
        """The source of what the screen shows (set as each load's message passes through)."""
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
        self._paint.wake()  # a worker waiting to count stops waiting

    def painted(self, shown: Collection | FirstPage) -> None:
        """The list has painted ``shown`` (what a :class:`Loaded` or :class:`PageLoaded`
        brought): counting it may start, and counts that came early are taken now.

        The cache watcher starts then too, not earlier: the first screen comes first.
        """
        self._paint.painted(shown)
        early, self._early_tallies = self._early_tallies, []
        for tally in early:  # those of other collections are stale now
            if tally.collection is shown:
                self.post_message(self.Counted(tally))
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
        source, loaded = self._latest
        if source.is_samples or len(self._pending) > patch_limit(len(loaded)):
            self.reload()  # files in a cache that had none, or more than a patch is worth
            return
        paths, self._pending = sorted(self._pending), set()
        self._applying = True
        self._apply(paths)

    @on(_Checked)
    def _checked(self, message: _Checked) -> None:
        if message.paths:
            self.apply(message.paths)

    def _check_every(self, every: PendingDiff, first: every_check.Found) -> None:
        """Wait behind the screen for the check of every file, once the first answer is stored
        (in a daemon thread: ``q`` never waits for it, its helper stops with the reader). What
        it finds waits for the whole list, as the watcher's changes do (see :meth:`apply`)."""
        self.post_message(self.EveryCheck(True))
        try:
            paths = every_check.changed_paths(every, first, self._stop)
            if paths is not None and not self._stop.is_set():
                self.post_message(self._Checked(paths))
        finally:
            self.post_message(self.EveryCheck(False))

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
        """Apply changed files to the index and the loaded list (see :meth:`Source.apply`),
        :data:`PATCH_LIMIT` at a time: a folder of 10,000 articles moved into a million showed
        nothing for 9 s, stored in one transaction; each part is now listed once stored."""
        assert self._latest is not None
        source, collection = self._latest
        settings, applied, parts = self.settings, False, []
        try:
            parts = source.parts_behind(paths, PATCH_LIMIT)
            total, done = sum(map(len, parts)), 0
            for part in parts:
                if len(parts) > 1:  # a folder of thousands moved in: say how far
                    self.post_message(self.Scanning(captions.reading_changed(done, total)))
                collection, changes = source.apply(collection, part, self._stop)
                done += len(part)
                if self._stop.is_set():
                    return
                if changes.touched:
                    skipped = source.index.skipped()
                    collection.shown_ahead(settings.sort, settings.reverse)  # not on the UI thread
                    self._latest, applied = (source, collection), True
                    removed = frozenset(changes.removed)
                    self.post_message(self.Loaded(source, collection, False, skipped, removed))
        except Exception:  # noqa: BLE001 - the index refused (locked, full): a scan copes with that
            self.post_message(self._Applied(rescan=True))
            return
        finally:
            if len(parts) > 1:
                self.post_message(self.Scanning(None))  # also when the last part changed nothing
        if applied:  # the sidebar counted once, for the last part (seconds at a million)
            self._count_after_paint(collection)
            collection.warm(settings.sort, settings.reverse)  # the next key typed finds it ready
        self.post_message(self._Applied())

    def _adopt(self, source: Source) -> None:
        """``source`` is what is shown from now on (it bubbles to the screen next)."""
        if source is not self.source:
            previous, self.source = self.source, source
            if previous is not None:
                previous.index.close()  # a reload (after a fetch) replaced it
            if source.topic_problem:
                self.notify(source.topic_problem, severity="warning", markup=False)

    def index_texts(self, texts: dict[str, str]) -> None:
        """Make downloaded article pages searchable in the index of what is shown."""
        if texts and self.source is not None:
            self.source.index.add_full_texts(texts)

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        self._adopt(message.source)

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        """Take the counts into the marks; the screen shows them (the message goes on to it)."""
        if message.tally.collection is not self.marks.collection:
            # Counts of a list the screen has not taken yet (its Loaded is still on the way
            # here, after a long paint), or of one already replaced: kept until the next paint.
            # A replaced list's counts, come late, must not push out those of the list to come.
            message.stop()
            self._early_tallies = [
                t for t in self._early_tallies if t.collection is not message.tally.collection
            ] + [message.tally]
        elif not self.marks.adopt(message.tally):
            message.stop()  # a mark was made while counting: count again rather than lose it
            self.count(self.marks.collection)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._adopt(message.source)
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
        """Count in the worker once the list has painted ``collection`` (so the list never waits
        for this, and the counts find the screen showing what they counted)."""
        self._paint.wait(collection, self._stop, PAINT_WAIT_SECONDS)
        if self._stop.is_set():
            return
        self.post_message(self.Counted(self.marks.tally(collection)))

    @work(thread=True, exclusive=True, group="scan")
    def load(self) -> None:
        """Show the first page at once, then load the rest behind it while the files are checked.

        When the check's answer comes before the first paint and lists few files, they are
        stored at once (see :mod:`reader.components.early_scan`). The whole collection loads in
        a thread of its own (see :mod:`reader.whole_load`) from the first paint, while this
        worker waits for the check and parses what changed. A first scan of many files shows
        what it has stored now and then, from the index's first page.
        """
        preload, self._preload = self._preload, None  # only the first load was started early
        diff, page, first_load = None, NO_PAGE, preload is not None or self.source is None
        try:
            if preload is not None:
                ready = preload.result()
                source, page, diff = ready.source, ready.page, ready.diff
            else:
                source = Source(self.locations, self.app.config.hide, self.app.config.by_folders)
                if first_load:  # a first load shows a first page; a reload keeps the list shown
                    page = source.first_page()
        except Exception as exc:  # noqa: BLE001 - an unreadable cache must not crash the screen
            self.post_message(self.ScanFailed(f"cannot open the cache: {exc}"))
            return
        files = None
        if page:
            self._show_page(source, page, captions.counting(page.articles))
            if page.articles > LOAD_AT_ONCE:  # it would hold the interpreter lock painting needs
                painted, show = partial(self._paint.wait, page, self._stop), self._show_checked
                files = early_scan.scan_few_first(source, diff, painted, self._stop, show)
                self._paint.wait(page, self._stop, PAINT_WAIT_SECONDS)
        order = (self.settings.sort, self.settings.reverse)
        early = partial(self._loaded_early, source)
        gate = Gate()  # closed while a few changed files are stored
        load = partial(source.load, True, gate.wait)
        whole = WholeLoad(load, order, early, self._count_after_paint)
        stored: set[tuple[str, int, int]] = set()
        if first_load and not page and whole.result(self._stop) is not None:  # a cold start
            if stored := early_scan.index_first_files(source, self._stop):
                self._show_page(source, source.first_page(), captions.CHECKING_FILES)
        files = early_scan.without(files or early_scan.checked_files(diff, self._stop), stored)
        if self._stop.is_set():
            return
        wanted = not self.app.config.by_folders  # check = "every": files edited in place too
        every_check.start_late(diff, source.index, wanted)
        report = partial(self._report, source)
        progress = ScanFill(source, first_load and not page, report, self._stop)
        with gate.closed(early_scan.few(files)):
            result = source.scan(progress, files, self._stop)
        first = every_check.first_found(diff, wanted)
        if diff is not None:  # a first scan's list of every file, not held beside the whole list
            diff.forget()
        files = None
        shown = whole.scan_ended()
        if result.stopped or self._stop.is_set():
            return
        ready = whole.result(self._stop) if whole.ready else None
        patched = ready is not None and source.patchable(ready, result)
        if first_load and not shown and not patched:
            self._show_checked(source, result.changed)
        if first is not None and diff is not None:  # files edited in place may be left
            more = every_check.before(diff.then, first, lambda: whole.done, self._stop)
            if more is None:  # the whole list came first: what is left follows it
                args = (diff.then, first)
                threading.Thread(target=self._check_every, args=args, daemon=True).start()
            elif more.changed or more.gone:  # stored with the first answer's, one patch for both
                with gate.closed():
                    extra = source.scan(None, more, self._stop)
                if extra.stopped or self._stop.is_set():
                    return
                result = merged(result, extra)
        loaded = whole.result(self._stop)
        if loaded is not None:
            self._scanned(source, loaded, result, counted=shown)

    def _show_checked(self, source: Source, changed: bool) -> None:
        """The files are checked while the whole list is still coming (or is read again): the
        count, and the first page when it ``changed``, are the index's until it is in."""
        checked = captions.checked(source.index.count(), str(source.cache))
        self._report(source, source.first_page() if changed else None, checked)

    def _reloaded(self, source: Source, first: Collection, result: ScanResult) -> Collection | None:
        """``first`` after the scan's ``result``: patched here, or read again in a thread of its
        own (a million rows take seconds, and ``q`` must not wait for them); None on a stop."""
        if source.patchable(first, result):
            return source.reload(first, result)
        order = (self.settings.sort, self.settings.reverse)
        return WholeLoad(partial(source.reload, first, result, True), order).result(self._stop)

    def _loaded_early(self, source: Source, collection: Collection) -> None:
        """The whole collection is in before the scan ended: show it meanwhile."""
        self.post_message(self.Scanning(captions.CHECKING_FILES))
        self.post_message(self.Loaded(source, collection, False, None))

    def _show_page(self, source: Source, page: FirstPage, status: str) -> None:
        """Show the head of each order of the index, while the rest is loaded or indexed."""
        self.post_message(self.PageLoaded(source, page))  # first: the status never runs ahead
        self.post_message(self.Scanning(status))

    def _report(self, source: Source, page: FirstPage | None, status: str) -> None:
        """A scan's progress, and the first page to show with it (None: the status only)."""
        if page is None:
            self.post_message(self.Scanning(status))
        else:
            self._show_page(source, page, status)

    def _scanned(
        self, source: Source, first: Collection, result: ScanResult, counted: bool
    ) -> None:
        """The scan is done: show what it changed (loaded once, at its end), count, warm the
        orders."""
        final = first
        if result.changed or not len(first) or source.is_samples:
            final = self._reloaded(source, first, result)
            if final is None:
                return
            final.shown_ahead(self.settings.sort, self.settings.reverse)  # not on the UI thread
        self._latest = (source, final)
        self.post_message(self.Loaded(source, final, source.is_samples, result.skipped))
        counting = final if final is not first or not counted else None
        threading.Thread(target=self._settle, args=(final, counting, source), daemon=True).start()

    def _settle(
        self, final: Collection, counting: Collection | None, source: Source | None = None
    ) -> None:
        """Count the sidebar once the list has painted, then sort the other orders ahead of use
        (the first `s`, the first key of a search find their work done).

        In a daemon thread: at a million articles each takes seconds, and ``q`` waits for the
        scan worker, never for this.
        """
        if counting is not None:
            self._count_after_paint(counting)
        if self._stop.is_set():
            return
        # The order read once: an `s` pressed meanwhile must not make both warms the same order
        # (the other was then left cold, and the first search with qualifiers in it made its
        # columns on the key: 36-40 ms instead of 6 at 100,000).
        key, reverse = self.settings.sort, self.settings.reverse
        # First the ids a search's first key reads in the order shown: without them that key
        # made them, 0.6-1.1 s at a million in the first second. `s` waits for nothing: it shows
        # the other order's head meanwhile (see OrderWait).
        final.warm_ids(key, reverse)
        final.sorted(key.other)  # then the other order: `s` needs it whole, a search only columns
        for either in (key, key.other):  # then what a topic needs, in either order (cheap)
            final.warm_topics(either)
        final.warm(key, reverse)  # then the columns and arrays a search needs (seconds)
        final.warm(key.other)
        gc_pause.settled(len(final))  # its orders and columns: no collection walks them again
        if source is not None and not self._stop.is_set():  # then a search's first letters'
            source.index.keep_prefixes()  # matches, found ahead if they are many
