"""Syncing through the shared folder while the reader runs, as a part of the main screen.

:class:`SyncWatch` is a display-less widget whose thread runs a sync pass
(:func:`reader.sync.run.sync_once`) once the list has painted
(:meth:`SyncWatch.start`: the first screen comes first), then every
:data:`PASS_SECONDS`; a pass where nothing changed only stats the folder's
few files. A last pass at exit sends the marks made just before quitting,
waited for at most :data:`EXIT_WAIT_SECONDS`. A daemon thread, not a worker:
a pass stuck on a hung network folder must never keep the reader from exiting.

The thread only reports. On the UI thread, marks and saved searches merged
from other machines are read into the live sets (:meth:`Marks.reload`), the
counts are taken again in the loader's worker, and :class:`SyncWatch.Changed`
tells the screen to show them: rows and detail repaint in place, the cursor
stays. What sync says (a merge, a missing folder, a failed pass) goes on the
status line through :attr:`Marks.sync_problem` and :attr:`Marks.synced`, only
when it changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from reader.library import Collection
from reader.marks import Marks
from reader.paths import Locations
from reader.sanitize import clean_line

PASS_SECONDS = 2.0
"""How often the running reader syncs (tests make it shorter)."""
EXIT_WAIT_SECONDS = 1.0
"""How long the exit waits for the last pass; a slower one is left to the next run."""
MERGED_NOTE_SECONDS = 10.0
"""How long the status line says what the last merge brought."""
MISSING = "sync folder not there: changes wait"


@dataclass(frozen=True)
class Outcome:
    """What one pass means for the screen (worked out in the thread, from its report)."""

    merged: int = 0
    """Changes from other machines taken in (marks, saved searches, feeds)."""
    reload: bool = False
    """Whether marks or saved searches on file changed (the live sets must be read again)."""
    feeds: str = ""
    """A line for subscriptions added or removed by the pass ("" when none)."""
    problem: str = ""
    """Why changes do not go out or come in now ("" when the pass worked)."""
    rows: tuple[list, list] | None = None
    """The marks and views on file after the merge, read in the thread (None: read them then)."""
    version: int = -1
    """The state's :attr:`~reader.state.StateStore.version` before ``rows`` were read."""


def run_pass(
    locations: Locations, folder: Path, version: Callable[[], int] | None = None
) -> Outcome:
    """One pass, never raising: a missing folder or a failed pass is a one-line problem (cleaned:
    it may quote a file name found in the shared folder). ``version`` reads the state's version
    (the marks on file are then read here too, off the UI thread)."""
    from reader.sync.run import SyncError, sync_once  # loaded with the first pass, not at start

    try:
        report = sync_once(locations, folder)
    except SyncError as exc:
        return Outcome(problem=clean_line(f"sync: {exc}"))
    except Exception as exc:  # noqa: BLE001 - say why, and never take the reader down
        return Outcome(problem=clean_line(f"sync failed: {exc or type(exc).__name__}"))
    if report.missing:
        return Outcome(problem=MISSING)
    feeds = ""
    if report.feeds_added or report.feeds_removed:
        added, removed = len(report.feeds_added), len(report.feeds_removed)
        feeds = f"sync: feeds from other machines: {added} subscribed, {removed} unsubscribed"
    problem = "; ".join(report.problems)
    reload = bool(report.marks or report.views)
    rows, seen = None, -1
    if reload and version is not None:  # read here: at 100,000 marks it takes a tenth of a second
        from reader.state import read_rows

        seen = version()
        rows = read_rows(locations.state_path)
    return Outcome(
        merged=report.merged,
        reload=reload,
        feeds=feeds,
        problem=clean_line(f"sync: {problem}") if problem else "",
        rows=rows,
        version=seen,
    )


def merged_note(count: int) -> str:
    """The status line's words for a merge."""
    return f"sync: {count} change{'' if count == 1 else 's'} from other machines"


class SyncWatch(Widget):
    """Keeps the marks in step with other machines through the folder in ``sync_dir``."""

    DEFAULT_CSS = "SyncWatch { display: none; }"

    @dataclass
    class Changed(Message):
        """Marks came from other machines, or what sync says changed: show marks and counts."""

    @dataclass
    class _Passed(Message):
        """A pass that matters to the screen (from the thread; handled here first)."""

        outcome: Outcome

    def __init__(
        self,
        locations: Locations,
        folder: str,
        marks: Marks,
        count: Callable[[Collection], object],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.locations = locations
        self.folder = Path(folder) if folder else None
        """The shared folder (None: sync is off)."""
        self.marks = marks
        self._count = count
        """Counts a collection again in a worker (the loader's), then the screen shows them."""
        self._stop = threading.Event()
        self._started = False
        self._problem = ""
        """The problem the thread last reported (so the same one is not reported every pass)."""
        self._note_timer: Timer | None = None
        self.passes = 0
        """Passes finished (for tests)."""

    def on_mount(self) -> None:
        # Like the cache watcher: the app's closing event stops the thread as the exit starts.
        self._stop = getattr(self.app, "closing", self._stop)

    def start(self) -> None:
        """Begin syncing (once; later calls, and calls without a folder, do nothing)."""
        if self.folder is None or self._started or self._stop.is_set():
            return
        self._started = True
        threading.Thread(target=self._run, name="newsreader-sync", daemon=True).start()

    def _run(self) -> None:
        assert self.folder is not None
        while not self._stop.is_set():
            outcome = run_pass(self.locations, self.folder, self._version)
            self.passes += 1
            if self._stop.is_set():
                return
            if outcome.merged or outcome.problem != self._problem:
                self._problem = outcome.problem
                self.post_message(self._Passed(outcome))
            self._stop.wait(PASS_SECONDS)

    def _version(self) -> int:
        return self.marks.store.version

    def on_unmount(self) -> None:
        """The last pass: marks made just before quitting go out now, not at the next start."""
        self._stop.set()
        if self.folder is None:
            return
        last = threading.Thread(
            target=run_pass, args=(self.locations, self.folder), name="newsreader-sync-exit"
        )
        last.daemon = True  # one that takes longer is left behind: the exit never waits for it
        last.start()
        last.join(EXIT_WAIT_SECONDS)

    @on(_Passed)
    def _passed(self, message: _Passed) -> None:
        message.stop()
        outcome = message.outcome
        if outcome.reload:
            # The rows the thread read, unless a mark was made here since (then read them now).
            fresh = outcome.rows is not None and outcome.version == self._version()
            self.marks.reload(outcome.rows if fresh else None)  # the list paints from these sets
            if self.marks.counted:
                self._count(self.marks.collection)
        if outcome.feeds:
            self.notify(outcome.feeds, title="Sync", markup=False)
        if outcome.merged:
            self.marks.synced = merged_note(outcome.merged)
            if self._note_timer is not None:
                self._note_timer.stop()
            self._note_timer = self.set_timer(MERGED_NOTE_SECONDS, self._forget_merge)
        self.marks.sync_problem = outcome.problem
        self._changed()

    def _forget_merge(self) -> None:
        self._note_timer = None
        self.marks.synced = ""
        self._changed()

    def _changed(self) -> None:
        # Before the first count the screen waits for it: it shows the counts, marks and notes.
        if self.marks.counted:
            self.post_message(self.Changed())
