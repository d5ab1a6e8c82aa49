"""The file check of ``newsreader list``, started before the index is opened.

The command must answer from an index that matches the files, so it waits for
the walk of every file (:mod:`reader.filecheck`, a few tenths of a second at
100,000 files). Started once the index was open, the walk followed the imports
of the index, library and query modules and the opening; started first, from the
index file's known place, it overlaps them on the other core. This module
imports the standard library, :mod:`reader.paths` and :mod:`reader.filecheck` only.

The walk then reads the index file before the command opens it, and opening may
rebuild it (damaged, or of another version) or keep it in memory: the answer is
used only when it still fits the index the command opened (:func:`answer`), else
the command walks the files itself, as it did before. No Textual.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader import filecheck
from reader.paths import OWN_DIR_NAME

if TYPE_CHECKING:
    from reader.filecheck import FileDiff, PendingDiff
    from reader.index import Index


@dataclass
class EarlyCheck:
    """A file check started before the index was opened: where it looked, and the helper."""

    root: Path
    db_path: Path
    pending: PendingDiff

    def cancel(self) -> None:
        """Stop the helper (the command fails or no longer needs it)."""
        self.pending.cancel()


def start_early(cache: Path) -> EarlyCheck | None:
    """Start comparing the files below ``cache`` with its index file, in a helper process;
    None when there is no index file yet (the first index walks the files anyway)."""
    db_path = cache / OWN_DIR_NAME / "index.sqlite3"  # reader.index.index_path_for, unimported
    try:
        if not (cache.is_dir() and db_path.is_file()):
            return None
    except OSError:
        return None
    pending = filecheck.start(str(cache), str(db_path))
    return None if pending is None else EarlyCheck(cache, db_path, pending)


def answer(early: EarlyCheck, index: Index) -> FileDiff | None:
    """The early check's comparison when it fits ``index``; None when the files must be walked
    again (the helper failed, or the index is not the file it read, or was rebuilt since).

    A rebuilt index has lost rows the comparison assumed: every file the walk saw is either
    indexed (as an article or a skip), new (among ``changed``), or not indexed any more
    because it changed there, and every ``gone`` path is indexed. Counting the index's rows
    (a few milliseconds) tells a comparison made against other contents.
    """
    if index.db_path != early.db_path or index.root != early.root:
        early.cancel()
        return None
    try:
        diff = early.pending.result()
    except RuntimeError:
        return None
    try:
        with index._lock:
            rows = index.conn.execute(
                "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM skipped)"
            ).fetchone()[0]
    except sqlite3.Error:
        return None
    changed, gone, seen = diff
    least = seen - len(changed) + len(gone)
    return diff if least <= rows <= seen + len(gone) else None
