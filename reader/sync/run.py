"""One sync pass: send this machine's new changes, merge everyone else's, apply subscriptions.

Run at the reader's start, every few seconds while it runs, and by
``newsreader sync``. Passes on one machine take turns (a lock file in the
user data folder, never in the synced one). A missing folder (an unmounted
drive) is a report, not an error: the changes wait in the state file and go
out with the next pass that finds it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.paths import Locations
from reader.sync import feeds, folder, ledger
from reader.sync.folder import Seen

COMPACT_LINES = 5000
"""The own log is folded into a snapshot once it holds this many lines."""
LOCK_WAIT = 5.0
STATE_WAIT = 2.0


class SyncError(Exception):
    """The pass could not run at all; ``str()`` is one line for the user."""


@dataclass
class Report:
    """What one pass did, for a status line or the command's output."""

    folder: Path
    missing: bool = False
    sent: int = 0
    marks: int = 0
    views: int = 0
    feeds_added: list[str] = field(default_factory=list)
    feeds_removed: list[str] = field(default_factory=list)
    files_read: int = 0
    skipped: int = 0
    """Lines in the folder's files that could not be used (all files, as they stand)."""
    problems: list[str] = field(default_factory=list)

    @property
    def merged(self) -> int:
        return self.marks + self.views + len(self.feeds_added) + len(self.feeds_removed)

    def line(self) -> str:
        if self.missing:
            return f"sync folder {self.folder} is not there: changes wait until it is"
        parts = [f"sent {self.sent} change(s)", f"merged {self.merged}"]
        if self.feeds_added or self.feeds_removed:
            parts.append(f"feeds +{len(self.feeds_added)} -{len(self.feeds_removed)}")
        if self.skipped:
            parts.append(f"{self.skipped} unreadable line(s) skipped")
        return "sync: " + ", ".join(parts) + "".join(f"; {p}" for p in self.problems)


def open_state(path: Path) -> sqlite3.Connection:
    """A connection to the state file with every table (the reader's own included)."""
    from reader.state import _set_wal, create_tables

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=STATE_WAIT, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(STATE_WAIT * 1000)}")
        _set_wal(conn, STATE_WAIT)
        create_tables(conn)
    except (sqlite3.Error, OSError) as exc:
        from reader.index_db import describe

        raise SyncError(describe(exc, path)) from None
    return conn


@contextlib.contextmanager
def taking_turns(data: Path) -> Iterator[None]:
    """Hold the machine's sync lock (two passes at once would send changes twice)."""
    try:
        import fcntl
    except ImportError:  # no advisory locks here: sending twice is harmless, only wasteful
        yield
        return
    data.mkdir(parents=True, exist_ok=True)
    with open(data / "sync.lock", "a") as handle:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SyncError("another sync pass is still running") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sync_once(locations: Locations, where: Path) -> Report:
    """One pass against the folder ``where``; :class:`SyncError` only when it cannot start."""
    report = Report(where)
    with taking_turns(locations.data):
        conn = open_state(locations.state_path)
        try:
            _pass(conn, locations, where, report)
        except sqlite3.Error as exc:
            from reader.index_db import describe

            raise SyncError(describe(exc, locations.state_path)) from None
        finally:
            conn.close()
    return report


def _pass(conn: sqlite3.Connection, locations: Locations, where: Path, report: Report) -> None:
    """Send, read, merge, apply; an idle pass (nothing changed anywhere) writes nothing."""
    subscribed = feeds.current(locations.feeds_config_path)
    me = _prepare(conn, subscribed)
    if not where.is_dir():
        report.missing = True
        return
    try:
        report.sent = _send(conn, where, me)
    except OSError as exc:
        report.problems.append(f"cannot write to the sync folder: {exc.strerror or exc}")
    memo = _memo(conn)
    read = folder.read_folder(where, me, memo)
    report.files_read = read.files_read
    report.skipped = sum(seen.skipped + seen.partial for seen in read.files.values())
    if read.changes or read.files != memo:
        merged = ledger.merge(conn, read.changes, also=lambda c: _keep_memo(c, read.files))
        report.marks, report.views = merged.marks, merged.views
    want = feeds.wanted(conn)
    if subscribed is None and want or subscribed is not None and subscribed != want:
        result, now = feeds.apply(locations.feeds_config_path, want)
        report.feeds_added, report.feeds_removed = result.added, result.removed
        if result.problem:
            report.problems.append(result.problem)
        if now is not None:
            feeds.remember(conn, now)


def _prepare(conn: sqlite3.Connection, subscribed: dict[str, str] | None) -> str:
    """This machine's id, with old marks and feed list changes stamped (a write only if any)."""
    me = ledger.known_machine_id(conn)
    changes = [] if subscribed is None else feeds.local_changes(conn, subscribed)
    if me and not changes and ledger.get_meta(conn, "backfilled"):
        return me
    conn.execute("BEGIN IMMEDIATE")
    try:
        me = ledger.machine_id(conn)
        ledger.backfill(conn)
        if subscribed is not None:
            ledger.stamp_local(conn, feeds.local_changes(conn, subscribed))
            feeds.remember(conn, subscribed)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return me


def _send(conn: sqlite3.Connection, where: Path, me: str) -> int:
    """Write this machine's changes not yet in its files; returns how many."""
    generation = int(ledger.get_meta(conn, "log_generation", "1"))
    sent_up_to = int(ledger.get_meta(conn, "sent_seq", "0"))
    lines = int(ledger.get_meta(conn, "log_lines", "0"))
    top = ledger.last_seq(conn)
    fresh = ledger.count_carried(conn, sent_up_to)
    if not (where / folder.snapshot_name(me)).exists() or lines + fresh > COMPACT_LINES:
        folder.write_snapshot(where, me, ledger.carried_lines(conn, 0))
        generation += 1
        folder.remove_old_logs(where, me, generation)
        _set_many(conn, log_generation=generation, sent_seq=top, log_lines=0)
        return fresh
    if not fresh:
        return 0
    written = folder.append_log(where, me, generation, ledger.carried_lines(conn, sent_up_to))
    _set_many(conn, sent_seq=top, log_lines=lines + written)
    return written


def _set_many(conn: sqlite3.Connection, **values: object) -> None:
    for name, value in values.items():
        ledger.set_meta(conn, name, value)


def _memo(conn: sqlite3.Connection) -> dict[str, Seen]:
    rows = conn.execute(
        "SELECT name, size, mtime, offset, skipped, partial, machine, host, last_wall "
        "FROM sync_files"
    )
    return {name: Seen(*rest) for name, *rest in rows}


def _keep_memo(conn: sqlite3.Connection, files: dict[str, Seen]) -> None:
    conn.execute("DELETE FROM sync_files")
    conn.executemany(
        "INSERT INTO sync_files (name, size, mtime, offset, skipped, partial, machine, host, "
        "last_wall) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (name, s.size, s.mtime, s.offset, s.skipped, s.partial, s.machine, s.host, s.last_wall)
            for name, s in files.items()
        ],
    )
