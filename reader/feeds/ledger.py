"""The record of the article files fetches wrote and pruning removed.

Pruning deletes files, so it must know which ones are the program's own. A
fetch writes each entry to ``<cache>/feeds/<domain>/<id>.md``, but a user
may edit such a file, replace it with a link, or drop a file of their own
beside it. The ledger keeps each written file's size and modification time
in nanoseconds as they were just after the write: a file that still matches
was not touched since, and a file that no longer matches is the user's now
and is never removed.

It also remembers what was pruned (by path: the stable id names the entry),
so that an entry its feed still offers is not written again on the next
fetch only to be pruned again. Such a record lasts while the feed keeps
offering the entry, and :data:`FORGET_PRUNED_DAYS` after it stops.

The ledger is ``feed_files.json`` in the cache's own dot-folder, beside the
index: it describes this cache's files and goes with them (the writer, which
knows only the cache, reads it there). A save re-reads the file first and
applies only this run's changes, so a fetch in the reader and ``newsreader
prune`` in a shell keep each other's; it is written atomically.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from reader.atomic import write_text
from reader.paths import OWN_DIR_NAME

LEDGER_FILE = "feed_files.json"
VERSION = 1
FORGET_PRUNED_DAYS = 90
"""Days after which a pruned entry its feed no longer offered is forgotten."""

Mark = tuple[int, int]
"""``(size, mtime_ns)`` of a file just after the program wrote it."""


def mark_of(info: os.stat_result) -> Mark:
    """What the ledger keeps of a file's ``lstat``."""
    return info.st_size, info.st_mtime_ns


def ledger_path(cache: Path) -> Path:
    """Where the ledger of ``cache`` lives."""
    return cache / OWN_DIR_NAME / LEDGER_FILE


def _is_int(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _read(path: Path) -> tuple[dict[str, Mark], dict[str, float]]:
    """The written files and the pruned paths; empty when absent, unreadable or not ours."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict):
        return {}, {}
    files, pruned = data.get("files"), data.get("pruned")
    files = files if isinstance(files, dict) else {}
    pruned = pruned if isinstance(pruned, dict) else {}
    return (
        {
            name: (mark[0], mark[1])
            for name, mark in files.items()
            if isinstance(mark, list) and len(mark) == 2 and all(map(_is_int, mark))
        },
        {name: float(when) for name, when in pruned.items() if _is_int(when)},
    )


def pruned_paths(cache: Path) -> set[Path]:
    """The files pruned from ``cache``: the writer does not write their entries again."""
    return {cache / name for name in _read(ledger_path(cache))[1]}


class Ledger:
    """The written and the pruned files of one cache, by path relative to it (``/`` separated)."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache.expanduser().absolute()
        self.path = ledger_path(self.cache)
        self._added: dict[str, Mark] = {}
        self._dropped: set[str] = set()
        self._buried: dict[str, float] = {}
        self._known, _ = _read(self.path)

    def relative(self, path: Path) -> str:
        """``path`` as the ledger names it."""
        return Path(os.path.relpath(path, self.cache)).as_posix()

    def get(self, relative: str) -> Mark | None:
        """The mark recorded for a file, or None when the program never recorded writing it."""
        if relative in self._added:
            return self._added[relative]
        if relative in self._dropped:
            return None
        return self._known.get(relative)

    def record(self, path: Path, info: os.stat_result) -> None:
        """Remember that the program has just written ``path`` (``info`` is its ``lstat``)."""
        relative = self.relative(path)
        self._added[relative] = mark_of(info)
        self._dropped.discard(relative)

    def forget(self, relative: str) -> None:
        """The file is gone (removed by someone else): nothing more to know of it."""
        self._added.pop(relative, None)
        self._dropped.add(relative)

    def pruned(self, relative: str, when: float | None = None) -> None:
        """The file was pruned, or its entry was offered again and not written (``when``: now)."""
        self.forget(relative)
        self._buried[relative] = time.time() if when is None else when

    @property
    def changed(self) -> bool:
        return bool(self._added or self._dropped or self._buried)

    def save(self) -> None:
        """Write this run's changes atomically; raises OSError when that is impossible."""
        if not self.changed:
            return
        files, pruned = _read(self.path)
        for relative in self._dropped:
            files.pop(relative, None)
        files.update(self._added)
        for relative in self._added:
            pruned.pop(relative, None)  # written again: a file of its own again
        pruned.update(self._buried)
        oldest = time.time() - FORGET_PRUNED_DAYS * 24 * 60 * 60
        data = {
            "version": VERSION,
            "files": {name: list(mark) for name, mark in sorted(files.items())},
            "pruned": {name: int(when) for name, when in sorted(pruned.items()) if when > oldest},
        }
        write_text(self.path, json.dumps(data, separators=(",", ":")) + "\n")
        self._known = files
        self._added.clear()
        self._dropped.clear()
        self._buried.clear()
