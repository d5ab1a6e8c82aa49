"""Atomic file writes: a temporary file beside the target, then a rename.

An interrupted write therefore leaves either the old file or the new one,
never a half-written file that a later scan would trip over. A write killed
mid-way can leave its temporary file (``.tmp-XXXXXXXX.part``): dot-names are
never indexed, and :func:`sweep_stale` removes such leftovers on a later run.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

TEMP_PREFIX = ".tmp-"
TEMP_SUFFIX = ".part"
_TEMP_NAME = re.compile(r"\.tmp-[a-z0-9_]{8}\.part\Z")
"""Exactly what ``tempfile.mkstemp`` makes with our prefix and suffix, nothing a user would name."""
_UMASK = os.umask(0o022)
os.umask(_UMASK)
"""The process's umask, read once at import (reading it means setting it)."""
STALE_AFTER = 15 * 60
"""Seconds after which a temporary file is a leftover: a live write takes far less."""


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of our temporary files (and so never an article)."""
    return _TEMP_NAME.match(name) is not None


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, with the permissions a plain new file would get.

    ``mkstemp`` creates it readable by its owner only, which an imported
    article or a written feed entry would keep after the rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
    except OSError:
        pass
    return fd, tmp


def _fill(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders."""
    fd, tmp = _temp_beside(path)
    try:
        _fill(fd, data)
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_bytes(path, text.encode("utf-8"))


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, but only as a new file.

    Raises ``FileExistsError`` when anything (a file, a link, a FIFO) has the
    name, even one that appeared a moment ago: the finished temporary file is
    hard-linked to the name, which the system refuses when the name is taken,
    so a user's file is never written over. Where hard links are not
    supported, a check just before the rename is the fallback.
    """
    fd, tmp = _temp_beside(path)
    try:
        _fill(fd, data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, "file exists", os.fspath(path)) from None
            os.replace(tmp, path)
            return
        _discard(tmp)
    except BaseException:
        _discard(tmp)
        raise


def remove_if_stale(path: str | os.PathLike[str], now: float, older_than: float) -> bool:
    """Remove ``path`` if it is a regular temporary file of ours older than ``older_than`` s.

    A younger one may belong to a write still running (another process), so
    it is kept. Failures (read-only folder, file gone) are ignored.
    """
    try:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
            os.unlink(path)
            return True
    except OSError:
        pass
    return False


def sweep_stale(folder: Path, older_than: float = STALE_AFTER) -> int:
    """Remove our stale temporary files directly in ``folder``; return how many went.

    Only names made by this module are touched (:func:`is_temp_name`), never
    an article or anything a user made.
    """
    now = time.time()
    removed = 0
    try:
        with os.scandir(folder) as entries:
            names = [entry.path for entry in entries if is_temp_name(entry.name)]
    except OSError:
        return 0
    for path in names:
        removed += remove_if_stale(path, now, older_than)
    return removed
