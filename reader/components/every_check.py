"""The second answer of a start on a big cache: every file checked, behind the screen.

With config.toml's ``check = "every"`` (the default), a start on a big index
takes two answers, both begun before the program is imported (see
:func:`reader.filecheck.start`): the files of the folders whose time changed
(new, removed and renamed files: in within a second at a million, where a
check of every file takes seven), and every file. A file edited in place
leaves its folder's time alone; the second answer finds it, and what that
answer holds beyond the first is read as the watcher's changes are
(:meth:`reader.components.library_loader.LibraryLoader.apply`). No Textual.
"""

from __future__ import annotations

import threading

from reader.components.early_scan import checked_files
from reader.filecheck import FileDiff, PendingDiff

Found = tuple[set[tuple[str, int, int]], set[str]]
"""What the first answer held: its changed files (path, size, mtime) and its gone paths."""


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
    return FileDiff(
        [info for info in every.changed if (info.path, info.size, info.mtime_ns) not in changed],
        [path for path in every.gone if path not in gone],
        every.seen,
    )


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
