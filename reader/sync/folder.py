"""The sync folder's files: this machine's own log and snapshot, and reading everyone's.

What sync tools do to a folder is expected: a file may be half-written
(its last line is left for the next read), sync tools' temporary files
(dot-files, ``~`` files, ``*.tmp``) are never read, conflict copies
(``*.sync-conflict-*``, ``* (conflicted copy …)``) are read like any other
file (merging is repeatable, so reading a change twice changes nothing), and
the folder itself may be missing for a while. Each machine writes only files
named with its own id: a log it appends to, and a snapshot it replaces
atomically (a temporary dot-file beside it, then a rename onto its own name).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader import atomic
from reader.sync.ledger import host_name
from reader.sync.records import Change, Header, header_line, parse_lines

PREFIX = "newsreader-"
MAX_FILE = 256 * 1024 * 1024
"""A file in the folder larger than this is not read (no log of marks grows so big)."""
_TEMP_SUFFIXES = ("~", ".tmp", ".part", ".partial", ".crdownload", ".swp")


def snapshot_name(machine: str) -> str:
    return f"{PREFIX}{machine}.snapshot.jsonl"


def log_name(machine: str, generation: int) -> str:
    return f"{PREFIX}{machine}.log-{generation}.jsonl"


def own_log_generation(name: str, machine: str) -> int | None:
    """The generation of one of this machine's own logs named ``name``; None for any other file."""
    found = re.fullmatch(re.escape(f"{PREFIX}{machine}.log-") + r"(\d{1,9})\.jsonl", name)
    return int(found.group(1)) if found else None


def is_readable_name(name: str) -> bool:
    """Whether a file in the folder is one of the reader's (or a conflict copy of one)."""
    return (
        name.startswith(PREFIX)
        and ".jsonl" in name
        and not name.endswith(_TEMP_SUFFIXES)
        and ".syncthing." not in name
    )


@dataclass
class Seen:
    """What was read of one file last time (the ``sync_files`` row)."""

    size: int
    mtime: int
    offset: int
    skipped: int = 0
    partial: int = 0
    machine: str = ""
    host: str = ""
    last_wall: int = 0


@dataclass
class Read:
    """What one pass read from the folder."""

    changes: list[Change] = field(default_factory=list)
    files: dict[str, Seen] = field(default_factory=dict)
    """Every readable file present now, with its new read position."""
    files_read: int = 0


def read_folder(folder: Path, machine: str, memo: dict[str, Seen]) -> Read:
    """Everyone's changes that ``memo`` (the last reads) has not seen; the own files are skipped."""
    read = Read()
    for entry in _entries(folder):
        name = entry.name
        if name == snapshot_name(machine) or own_log_generation(name, machine) is not None:
            continue
        try:
            stat = entry.stat()
        except OSError:
            continue
        before = memo.get(name)
        if before and before.size == stat.st_size and before.mtime == stat.st_mtime_ns:
            read.files[name] = before
            continue
        if stat.st_size > MAX_FILE:
            read.files[name] = Seen(stat.st_size, stat.st_mtime_ns, 0, skipped=1)
            continue
        grown = before is not None and ".log-" in name and stat.st_size > before.size
        start = before if grown else Seen(0, 0, 0)
        seen = _read_file(Path(entry.path), start, read.changes)
        if seen is None:  # vanished or unreadable just now: try again next pass
            continue
        seen.size, seen.mtime = stat.st_size, stat.st_mtime_ns
        read.files[name] = seen
        read.files_read += 1
    return read


def _entries(folder: Path) -> Iterator[os.DirEntry]:
    try:
        with os.scandir(folder) as found:
            yield from (e for e in found if is_readable_name(e.name) and e.is_file())
    except OSError:
        return


def _read_file(path: Path, start: Seen, into: list[Change]) -> Seen | None:
    """Read ``path`` from ``start.offset``; a last line without its newline waits."""
    try:
        with open(path, "rb") as handle:
            handle.seek(start.offset)
            data = handle.read(MAX_FILE)
    except OSError:
        return None
    lines = data.split(b"\n")
    tail = lines.pop()
    seen = Seen(0, 0, start.offset + len(data) - len(tail), start.skipped, int(bool(tail)))
    seen.machine, seen.host, seen.last_wall = start.machine, start.host, start.last_wall
    for found in parse_lines([raw for raw in lines if raw.strip()]):
        if isinstance(found, Change):
            into.append(found)
            seen.last_wall = max(seen.last_wall, found.stamp.wall)
            seen.machine = seen.machine or found.stamp.machine
        elif isinstance(found, Header):
            seen.machine, seen.host = found.machine, found.host or seen.host
        else:
            seen.skipped += 1
    return seen


def append_log(folder: Path, machine: str, generation: int, lines: list[str]) -> int:
    """Append change ``lines`` to this machine's log (made with its header); returns how many."""
    if not lines:
        return 0
    path = folder / log_name(machine, generation)
    fresh = not path.exists()
    text = (header_line(machine, host_name()) if fresh else "") + "".join(lines)
    with open(path, "a", encoding="utf-8") as handle:
        if not fresh and handle.tell() and not _ends_with_newline(path):
            handle.write("\n")  # a write cut short by a crash: its piece stays one bad line
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return len(lines)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def write_snapshot(folder: Path, machine: str, lines: list[str]) -> None:
    """Replace this machine's snapshot with change ``lines``, atomically."""
    text = header_line(machine, host_name()) + "".join(lines)
    atomic.write_bytes(folder / snapshot_name(machine), text.encode("utf-8"))


def remove_old_logs(folder: Path, machine: str, below: int) -> None:
    """Remove this machine's own logs older than generation ``below`` (a snapshot holds them)."""
    for entry in _entries(folder):
        generation = own_log_generation(entry.name, machine)
        if generation is not None and generation < below:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
