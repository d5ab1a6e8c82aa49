"""The file check's answer for the loader, and what a start reads before that answer.

The loader used to wait for the first page to paint before it took the
check's answer, and then parsed the changed files while the whole list
loaded beside them: a start after 100 changed files ended a few tenths of a
second after its first paint. The answer usually comes first (the check was
started before the program's modules were imported, see
:mod:`reader.early_check`); when it lists few files, they are parsed and
stored at once, before the whole list is read, which then has them (no
patch after).

A cold start (an empty index) has nothing to show until a first batch is
stored, and the check's answer lists every file only once it has walked
them all (a few tenths of a second at 100,000, seconds at a million),
before the parser processes start. So it parses a first few files itself,
found by a walk that stops there, and shows them; the answer's copy of
those files is dropped when it comes. No Textual.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from reader.filecheck import FileDiff, FileInfo, PendingDiff, walk
from reader.library import Source

FEW_FILES = 300
"""Up to this many changed or removed files are read before the first paint (a tenth of a
second for a hundred); more wait for the paint, and the whole list loads beside them."""
POLL_SECONDS = 0.01
"""How often waiting for the paint looks whether the check's answer has come."""
FIRST_FILES = 100
"""Files a cold start parses itself for its first screen (about a tenth of a second)."""
STOP_CHECK_SECONDS = 0.1
"""How often waiting for the check's answer looks whether the reader is closing."""


def scan_few_first(
    source: Source,
    diff: PendingDiff | None,
    painted: Callable[[float], bool],
    stop: threading.Event,
    show_checked: Callable[[Source, bool], None],
    timeout: float = 2.0,
) -> FileDiff | None:
    """Until the first page has painted (``painted(seconds)`` waits that long at most and says
    whether it has), at most ``timeout``: when the check's answer comes first and lists at most
    :data:`FEW_FILES`, scan them and say so with ``show_checked(source, changed)``.

    Returns what is left to scan then, nothing; None when it did not scan (the paint came
    first, many files, a failed helper, ``stop``).
    """
    deadline = time.monotonic() + timeout
    while not stop.is_set() and time.monotonic() < deadline:
        if painted(POLL_SECONDS):
            return None
        if diff is not None and diff.arrives_within(POLL_SECONDS):
            files = _answer(diff)
            if not few(files):
                return None
            result = source.scan(None, files, stop)
            if result.stopped or stop.is_set():
                return None
            show_checked(source, result.changed)
            return FileDiff([], [], files.seen)
    return None


def few(files: FileDiff | None) -> bool:
    """Whether the check's answer lists few enough files (:data:`FEW_FILES`) to store them
    ahead of everything else: before the first paint, or while the whole list waits."""
    return files is not None and len(files.changed) + len(files.gone) <= FEW_FILES


def checked_files(diff: PendingDiff | None, stop: threading.Event) -> FileDiff | None:
    """The check's answer, once in; None when there is no helper or it failed (the scan then
    walks the files itself), or when ``stop`` came first (and the helper is stopped)."""
    while diff is not None and not diff.arrives_within(STOP_CHECK_SECONDS):
        if stop.is_set():
            diff.cancel()
            return None
    return None if diff is None else _answer(diff)


def _answer(diff: PendingDiff) -> FileDiff | None:
    try:
        return diff.result()
    except Exception:  # noqa: BLE001 - the helper failed: the files are walked in the reader
        return None


Known = set[tuple[str, int, int]]
"""Files stored ahead of the check's answer: path, size and mtime."""


def index_first_files(source: Source, stop: threading.Event) -> Known:
    """Parse and store the first :data:`FIRST_FILES` readable-looking files a walk finds (the
    index is empty: a cold start), for a first screen; returns what was stored."""
    found: list[FileInfo] = []
    for rel, size, mtime, problem in walk(source.root):
        if len(found) >= FIRST_FILES or stop.is_set():
            break
        if problem is None:
            found.append(FileInfo(rel, size, mtime, None))
    if found and not stop.is_set():
        source.scan_index(None, FileDiff(found, [], len(found)), stop)  # never the samples
    return {(f.path, f.size, f.mtime_ns) for f in found}


def without(files: FileDiff | None, stored: Known) -> FileDiff | None:
    """The check's answer less the files stored ahead of it (unchanged since). The folder times
    it took stay with it: without them a cold index recorded none, and the next start checked
    every file (6 s at a million)."""
    if files is None or not stored:
        return files
    changed = [c for c in files.changed if (c.path, c.size, c.mtime_ns) not in stored]
    return files._replace(changed=changed)
