"""The file check of a big cache in two halves, one per core.

Walking and comparing a million files takes a single helper seven seconds,
most of it system calls and the interpreter's loop, which one process
cannot spread over cores. The top of the cache is cut at one name in the
middle: one helper walks and compares the names below it, another those
from it on, each reading only its own slice of the index, and their answers
are joined (:func:`reader.filecheck.joined`).

The cut works on the indexed paths because every path below a top-level name
falls on the same side of it: a folder ``F`` is sorted as ``F/``, and every
``F/...`` compares with the cut at a character before its first ``/`` or at
that ``/`` itself, whatever follows. SQLite compares text as UTF-8 bytes,
which orders as Python orders ``str``. A name that is not valid UTF-8 is
never the cut. The standard library only: the helper runs this file's
functions as a plain script's sibling (see :mod:`reader.filecheck`).
"""

from __future__ import annotations

import os

SPLIT_FROM_BYTES = 16 << 20
"""An index file this big (about 8,000 articles) is checked in two halves: below it, a
second helper's start costs more than it saves."""


def key_of(entry: os.DirEntry[str]) -> str:
    """How a top-level name sorts among the indexed paths: a folder as ``name/``."""
    try:
        is_dir = entry.is_dir(follow_symlinks=False)
    except OSError:
        is_dir = False
    return entry.name + "/" if is_dir else entry.name


def in_part(entry: os.DirEntry[str], part: tuple[str, str]) -> bool:
    """Whether the top-level ``entry`` (and everything below it) is in ``part``: the names
    ``[low, high)``, ``""`` for no bound."""
    low, high = part
    key = key_of(entry)
    return (not low or key >= low) and (not high or key < high)


def cut_point(root: str, db_path: str) -> str | None:
    """The top-level name that halves the cache at ``root``; None when it is not worth it (a
    small index, one core, a top with fewer than two names)."""
    try:
        if (os.cpu_count() or 1) < 2 or os.path.getsize(db_path) < SPLIT_FROM_BYTES:
            return None
        with os.scandir(root) as it:
            keys = sorted(key_of(entry) for entry in it if _usable(entry.name))
    except OSError:
        return None
    return keys[len(keys) // 2] if len(keys) >= 2 else None


def _usable(name: str) -> bool:
    """A name that can be the cut: not a dot-name, and text SQLite can compare."""
    if name.startswith("."):
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
