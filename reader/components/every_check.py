"""The second answer of a start on a big cache: every file checked, behind the screen.

With config.toml's ``check = "every"`` (the default), a start on a big index
takes two answers (see :func:`reader.filecheck.start`): the files of the
folders whose time changed (new, removed and renamed files: in within a
second at a million, where a check of every file takes seven), and every
file. A file edited in place leaves its folder's time alone; the second
answer finds it. When it comes before the whole list is in (a few hundred
thousand files), what it holds beyond the first answer is stored with the
first's, and the list is patched once for both; later (a million), it is
read as the watcher's changes are
(:meth:`reader.components.library_loader.LibraryLoader.apply`). No Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from reader import filecheck
from reader.components.early_scan import Known, checked_files, without
from reader.filecheck import FileDiff, PendingDiff
from reader.index import Index

Found = tuple[Known, set[str]]
"""What the first answer held: its changed files (path, size, mtime) and its gone paths."""

POLL_SECONDS = 0.02
"""How often a start waiting for the whole list looks whether every file has been checked."""
NOTHING_MORE = FileDiff([], [], 0)
"""What a check of every file that failed brings (the next start looks again)."""


def start_late(diff: PendingDiff | None, index: Index, wanted: bool) -> None:
    """Begin the check of every file now, once the first answer is in (and the first screen
    painted), when that answer trusted folder times and none runs beside it: a huge index
    (see :data:`reader.filecheck.LATE_EVERY_BYTES`). ``wanted``: ``check = "every"``."""
    late = wanted and diff is not None and diff.partial and diff.then is None
    if late and index.db_path is not None:
        diff.then = filecheck.start(str(index.root), str(index.db_path))  # behind the screen


def first_found(diff: PendingDiff | None, wanted: bool) -> Found | None:
    """What a first answer that trusted folder times held, when the check of every file beside
    it is ``wanted``; else None, and that check, if any, is stopped (the first answer was whole,
    or failed and the scan walked every file itself)."""
    every = None if diff is None else diff.then
    if diff is None or every is None:
        return None
    try:
        if diff.partial and wanted:
            return found_first(diff.result())
    except RuntimeError:
        pass
    every.cancel()
    return None


def found_first(answer: FileDiff) -> Found:
    """What the second answer need not bring again (the first one's files, stored by then)."""
    changed = {(info.path, info.size, info.mtime_ns) for info in answer.changed}
    return changed, set(answer.gone)


def beyond(every: FileDiff, first: Found) -> FileDiff:
    """What the check of every file found that the first answer did not hold as it is now.

    Both checks read the index as it was when the reader opened it, so the second lists the
    first one's files too: left out here, a week of new articles is not read twice.
    """
    changed, gone = first
    rest = without(every, changed) or every
    return rest._replace(gone=[path for path in every.gone if path not in gone])


def before(
    every: PendingDiff | None, first: Found, done: Callable[[], bool], stop: threading.Event
) -> FileDiff | None:
    """What the check of every file found beyond the first answer, if it answers before
    ``done()`` (the whole list is in) or ``stop`` (:data:`NOTHING_MORE` when it failed); None
    when the list came first (the answer is then waited for by :func:`changed_paths`)."""
    while every is not None and not done() and not stop.is_set():
        if every.arrives_within(POLL_SECONDS):
            files = checked_files(every, stop)
            return NOTHING_MORE if files is None else beyond(files, first)
    return None


def changed_paths(
    every: PendingDiff | None, first: Found, stop: threading.Event
) -> list[str] | None:
    """The paths (relative) the check of every file found changed or gone beyond the first
    answer (see :func:`beyond`), once it is in; None without that check (none could start,
    it failed) or on ``stop``.

    A check that fails leaves the files edited in place for the next start: the reader does
    not walk a million files on its own threads, which the screen needs.
    """
    files = checked_files(every, stop)
    if files is None or stop.is_set():
        return None
    more = beyond(files, first)
    return [info.path for info in more.changed] + more.gone
