"""The file check's answer for the loader, and a warm start's few changed files read early.

The loader used to wait for the first page to paint before it took the
check's answer, and then parsed the changed files while the whole list
loaded beside them: a start after 100 changed files ended a few tenths of a
second after its first paint. The answer usually comes first (the check was
started before the program's modules were imported, see
:mod:`reader.early_check`); when it lists few files, they are parsed and
stored at once, before the whole list is read, which then has them (no
patch after). No Textual.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from reader.filecheck import FileDiff, PendingDiff
from reader.library import Source

FEW_FILES = 300
"""Up to this many changed or removed files are read before the first paint (a tenth of a
second for a hundred); more wait for the paint, and the whole list loads beside them."""
POLL_SECONDS = 0.01
"""How often waiting for the paint looks whether the check's answer has come."""
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
            if files is None or len(files.changed) + len(files.gone) > FEW_FILES:
                return None
            result = source.scan(None, files, stop)
            if result.stopped or stop.is_set():
                return None
            show_checked(source, result.changed)
            return FileDiff([], [], files.seen)
    return None


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
