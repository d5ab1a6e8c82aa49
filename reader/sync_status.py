"""What ``newsreader sync status`` shows: this machine, its folder, and every machine seen there.

The folder is read afresh (no read positions, no merge), so the status says
what the files hold now, whatever the last pass left; the counts of lines
that could not be read are those of the files as they stand.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from reader.paths import Locations
from reader.sync import feeds, folder, ledger
from reader.sync.run import SyncError, open_state


@dataclass
class Machine:
    """Another machine, as its files in the folder show it."""

    id: str
    """Its id ("" for files that name no machine: garbled, or holding no change)."""
    host: str = ""
    files: int = 0
    last_wall: int = 0
    """The latest wall time (ms) among the changes in its files; 0 when none."""
    changes: int = 0
    """Marks, searches and feeds changed there (one per article and mark, the latest)."""
    skipped: int = 0
    """Lines in its files that could not be read."""
    partial: int = 0
    """Files whose last line is cut short (a copy still arriving, or a write cut off)."""


@dataclass
class Status:
    me: str
    host: str
    folder: Path | None
    present: bool = False
    unsent: int = 0
    """Local changes the next pass sends."""
    machines: list[Machine] = field(default_factory=list)


def gather(locations: Locations, where: Path | None) -> Status:
    """The status of this machine and of ``where`` (None: no folder set); SyncError if no state."""
    conn = open_state(locations.state_path)
    try:
        status = Status("", folder.host_name(), where)
        conn.execute("BEGIN IMMEDIATE")
        status.me = ledger.machine_id(conn)
        ledger.backfill(conn)  # marks made before stamping go out with the next pass
        conn.execute("COMMIT")
        status.present = where is not None and where.is_dir()
        status.unsent = _unsent(conn, locations, where, status.me)
    except sqlite3.Error as exc:
        from reader.index_db import describe

        raise SyncError(describe(exc, locations.state_path)) from None
    finally:
        conn.close()
    if status.present and where is not None:
        status.machines = machines_in(where, status.me)
    return status


def _unsent(conn: sqlite3.Connection, locations: Locations, where: Path | None, me: str) -> int:
    sent = int(ledger.get_meta(conn, "sent_seq", "0"))
    if where is not None and where.is_dir() and not (where / folder.snapshot_name(me)).exists():
        sent = 0  # a folder new to this machine: the next pass writes everything there
    count = conn.execute("SELECT count(*) FROM sync_stamps WHERE seq > ?", (sent,)).fetchone()[0]
    subscribed = feeds.current(locations.feeds_config_path)
    if subscribed is not None:
        count += len(feeds.local_changes(conn, subscribed))
    return count


def machines_in(where: Path, me: str) -> list[Machine]:
    """Every machine with files in ``where`` but this one, most recent change first."""
    read = folder.read_folder(where, me, {})
    found: dict[str, Machine] = {}
    for seen in read.files.values():
        machine = found.setdefault(seen.machine, Machine(seen.machine))
        machine.host = machine.host or seen.host
        machine.files += 1
        machine.last_wall = max(machine.last_wall, seen.last_wall)
        machine.skipped += seen.skipped
        machine.partial += seen.partial
    made: dict[str, int] = {}
    for change in ledger.latest(read.changes).values():
        made[change.stamp.machine] = made.get(change.stamp.machine, 0) + 1
    for machine in found.values():
        machine.changes = made.get(machine.id, 0)
    return sorted(found.values(), key=lambda m: (m.id == "", -m.last_wall, m.id))
