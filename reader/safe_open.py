"""Open files under the cache for reading without ever blocking on a FIFO or a device.

A plain ``open()`` of a FIFO waits for a writer forever, and of a device may
read without end; anyone can leave such a thing named ``x.md`` in the cache.
Every read of a cache file by path therefore goes through this module: the
path is checked with ``stat`` first (nothing odd is opened at all), then
opened with ``O_NONBLOCK`` and checked again with ``fstat`` on the open file,
so a file swapped for a FIFO between the two steps is refused, not waited on.
Symlinks to regular files are read (that is how people link collections).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
"""``O_NONBLOCK``: opening a FIFO returns at once instead of waiting for a writer."""


class NotRegularFileError(OSError):
    """The path is a FIFO, socket, device or folder; ``strerror`` is the one-line reason."""


class FileTooLargeError(OSError):
    """The file is larger than the caller's limit; ``strerror`` is the one-line reason."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in the words a user knows."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "an unknown kind of file"


def not_regular_reason(mode: int, is_link: bool = False) -> str:
    """The one-line reason a file of this ``st_mode`` is not read; a link says what it points at."""
    if stat.S_ISDIR(mode):
        return "is a directory"
    return f"{'symlink to' if is_link else 'is'} {kind_of(mode)}, not a regular file"


def _refuse(path: str | os.PathLike[str], mode: int) -> NotRegularFileError:
    code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
    reason = not_regular_reason(mode, os.path.islink(path))
    return NotRegularFileError(code, reason, os.fspath(path))


def _open_fd(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file ``path``, and its ``fstat``; see :func:`open_regular`."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _refuse(path, mode)
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, info.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for binary reading if (and only if) it is a regular file.

    Follows symlinks. Raises :class:`NotRegularFileError` for anything else,
    and ``OSError`` as ``open()`` would (missing, permission, loop). The
    caller closes the returned file (use it in a ``with``).
    """
    fd, _ = _open_fd(path)
    try:
        os.set_blocking(fd, True)  # no effect on regular files; keeps later reads ordinary
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular_file(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The whole content of the regular file ``path``.

    With ``limit``, a file larger than ``limit`` bytes raises
    :class:`FileTooLargeError` without being read (and no more than
    ``limit + 1`` bytes are ever read, even if the file grows meanwhile).
    Plain ``os.read`` calls on the descriptor: as fast as ``Path.read_bytes``.
    """
    fd, info = _open_fd(path)
    try:
        size = info.st_size
        if limit is not None and size > limit:
            raise _too_large(path, size, limit)
        chunks: list[bytes] = []
        total = 0
        want = size + 1  # a short read means the end: usually one call
        while True:
            if limit is not None:
                want = min(want, limit + 1 - total)
            chunk = os.read(fd, want)
            chunks.append(chunk)
            total += len(chunk)
            if limit is not None and total > limit:
                raise _too_large(path, total, limit)
            if len(chunk) < want:
                return b"".join(chunks) if len(chunks) > 1 else chunk
            want = max(want, 1 << 16)
    finally:
        os.close(fd)


def _too_large(path: str | os.PathLike[str], size: int, limit: int) -> FileTooLargeError:
    reason = f"too large ({_size(size)}; the limit is {_size(limit)})"
    return FileTooLargeError(errno.EFBIG, reason, os.fspath(path))


def read_regular_head(path: str | os.PathLike[str], size: int) -> bytes:
    """At most the first ``size`` bytes of the regular file ``path`` (for front-matter peeks)."""
    fd, _ = _open_fd(path)
    try:
        chunks: list[bytes] = []
        while size > 0 and (chunk := os.read(fd, size)):
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(n: int) -> str:
    """A size for a message, rounded up so a file over a limit never reads as equal to it."""
    if n < 1024:
        return f"{n} bytes"
    if n < 64 << 20:
        return f"{-(-n // 1024)} KiB"
    return f"{-(-n // (1 << 20))} MiB"


def is_regular(path: Path) -> bool:
    """Whether ``path`` (following symlinks) is a regular file; False when it cannot be seen."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
