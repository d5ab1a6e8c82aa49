"""The sync bookkeeping inside the state file: who changed what last, and the local clock.

``sync_stamps`` keeps, per (kind, key), the stamp of the change in force: a
change merged from elsewhere replaces it only when its stamp is later, which
makes merging order-free and repeatable (every machine converges, files may be
read twice). ``seq`` > 0 marks the rows this machine must carry in its own
files (its own changes and imported ones); rows merged from the folder are
carried by the machine that wrote them. Local changes are stamped here by
:class:`reader.state.StateStore` in the same transaction that writes them.
"""

from __future__ import annotations

import json
import secrets
import socket
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from reader.sync.clock import Stamp, seen, tick
from reader.sync.records import MARKS, Change, record_line

SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_stamps (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT,
    wall INTEGER NOT NULL,
    counter INTEGER NOT NULL,
    machine TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sync_stamps_carried ON sync_stamps (seq) WHERE seq > 0;
CREATE TABLE IF NOT EXISTS sync_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sync_files (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    skipped INTEGER NOT NULL DEFAULT 0,
    partial INTEGER NOT NULL DEFAULT 0,
    machine TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    last_wall INTEGER NOT NULL DEFAULT 0
);
"""

Key = tuple[str, str]


def get_meta(conn: sqlite3.Connection, name: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM sync_meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, name: str, value: object) -> None:
    conn.execute(
        "INSERT INTO sync_meta (name, value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (name, str(value)),
    )


def known_machine_id(conn: sqlite3.Connection) -> str:
    """This machine's id if it has one already and the state file has not moved hosts; else ""."""
    found = get_meta(conn, "machine")
    return found if found and get_meta(conn, "machine_host") == host_name() else ""


def machine_id(conn: sqlite3.Connection) -> str:
    """This machine's id, made on first use, inside the caller's transaction.

    Random (host names repeat, and change). A state file copied to another
    host gets a new id there, so the two never write files of the same name;
    the copy's changes then go out under the new id, in a snapshot of their own.
    """
    found = known_machine_id(conn)
    if found:
        return found
    set_meta(conn, "machine", secrets.token_hex(8))
    set_meta(conn, "machine_host", host_name())
    for name in ("log_generation", "sent_seq", "log_lines"):
        conn.execute("DELETE FROM sync_meta WHERE name = ?", (name,))
    return get_meta(conn, "machine")


def host_name() -> str:
    return socket.gethostname()[:64]


def _clock(conn: sqlite3.Connection) -> tuple[int, int]:
    wall, _, counter = get_meta(conn, "clock", "0 0").partition(" ")
    try:
        return int(wall), int(counter)
    except ValueError:
        return 0, 0


def _set_clock(conn: sqlite3.Connection, reading: tuple[int, int]) -> None:
    set_meta(conn, "clock", f"{reading[0]} {reading[1]}")


def encode(value: Any) -> str | None:
    if value is None or value is True:  # a mark: most rows
        return None if value is None else "true"
    return json.dumps(value, ensure_ascii=False)


def decode(text: str | None) -> Any:
    if text is None or text == "true":
        return None if text is None else True
    return json.loads(text)


def _next_seq(conn: sqlite3.Connection) -> int:
    return last_seq(conn) + 1


def stamp_local(
    conn: sqlite3.Connection,
    changes: Iterable[tuple[str, str, Any]],
    machine: str = "",
    marks: Iterable[tuple[str, bool, str]] = (),
) -> str:
    """Stamp this machine's changes (kind, key, value), inside the caller's transaction.

    One reading of the clock for the whole batch: the changes of one action
    (mark all read) are one event, and distinct keys never compete. ``marks``:
    more changes of marks, as (kind, set or not, JSON array of keys), each group
    stamped in one statement by SQLite (a million marks without the interpreter's
    lock). ``machine``: the id a caller already knows (keeps a mark's transaction
    short). Returns the id.
    """
    rows, marks = list(changes), list(marks)
    if not rows and not marks:
        return machine
    me = machine or machine_id(conn)
    wall, counter = tick(_clock(conn))
    _set_clock(conn, (wall, counter))
    seq = _next_seq(conn)
    conn.executemany(
        f"INSERT INTO sync_stamps {_STAMP_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?) {_NEWER_STAMP}",
        [(kind, key, encode(value), wall, counter, me, seq) for kind, key, value in rows],
    )
    for kind, on, keys in marks:
        conn.execute(
            f"INSERT INTO sync_stamps {_STAMP_COLUMNS} SELECT ?, value, ?, ?, ?, ?, ? "
            f"FROM json_each(?) WHERE true ORDER BY value {_NEWER_STAMP}",
            (kind, encode(True if on else None), wall, counter, me, seq, keys),
        )
    return me


_STAMP_COLUMNS = "(kind, key, value, wall, counter, machine, seq)"
_NEWER_STAMP = (
    "ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value, wall = excluded.wall, "
    "counter = excluded.counter, machine = excluded.machine, seq = excluded.seq"
)


def backfill(conn: sqlite3.Connection) -> int:
    """Stamp the marks and searches made before stamping existed, at the time they were made."""
    if get_meta(conn, "backfilled"):
        return 0
    me, seq = machine_id(conn), _next_seq(conn)
    before = conn.total_changes
    for kind, column in (("read", "read_at"), ("star", "starred_at")):
        conn.execute(
            f"INSERT OR IGNORE INTO sync_stamps (kind, key, value, wall, counter, machine, seq) "
            f"SELECT ?, key, 'true', CAST({column} * 1000 AS INTEGER), 0, ?, ? "
            f"FROM marks WHERE {column} IS NOT NULL",
            (kind, me, seq),
        )
    conn.execute(
        "INSERT OR IGNORE INTO sync_stamps (kind, key, value, wall, counter, machine, seq) "
        "SELECT 'view', name, json_object('q', query, 't', created), "
        "CAST(created * 1000 AS INTEGER), 0, ?, ? FROM views",
        (me, seq),
    )
    set_meta(conn, "backfilled", 1)
    return conn.total_changes - before


def carried_lines(conn: sqlite3.Connection, after: int = 0) -> list[str]:
    """The lines of the changes this machine carries in its files, stamped after ``after``."""
    rows = conn.execute(
        "SELECT kind, key, value, wall, counter, machine FROM sync_stamps "
        "WHERE seq > 0 AND seq > ? ORDER BY seq",
        (after,),
    )
    return [record_line(k, key, decode(v), w, c, m) for k, key, v, w, c, m in rows]


def count_carried(conn: sqlite3.Connection, after: int = 0) -> int:
    found = conn.execute("SELECT count(*) FROM sync_stamps WHERE seq > 0 AND seq > ?", (after,))
    return found.fetchone()[0]


def last_seq(conn: sqlite3.Connection) -> int:
    """The latest change this machine carries (0: none); seq 0 rows stay out of the index."""
    found = conn.execute("SELECT coalesce(max(seq), 0) FROM sync_stamps WHERE seq > 0")
    return found.fetchone()[0]


def everything(conn: sqlite3.Connection, kinds: Iterable[str]) -> list[Change]:
    """Every change in force of ``kinds``, whoever made it (``state export``)."""
    wanted = tuple(kinds)
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(
        "SELECT kind, key, value, wall, counter, machine FROM sync_stamps "
        f"WHERE kind IN ({marks}) ORDER BY kind, wall, counter",
        wanted,
    )
    return [Change(k, key, decode(v), Stamp(w, c, m)) for k, key, v, w, c, m in rows]


@dataclass
class Merged:
    """What a merge changed."""

    marks: int = 0
    """Read and star marks that changed."""
    views: int = 0
    feeds: list[Change] = field(default_factory=list)
    """Winning feed changes: the caller applies them to config.toml."""

    @property
    def changed(self) -> int:
        return self.marks + self.views + len(self.feeds)


def latest(changes: Iterable[Change]) -> dict[Key, Change]:
    """The latest change per (kind, key) among ``changes``."""
    best: dict[Key, Change] = {}
    for change in changes:
        key = (change.kind, change.key)
        held = best.get(key)
        if held is None or change.stamp > held.stamp:
            best[key] = change
    return best


def merge(
    conn: sqlite3.Connection,
    changes: Iterable[Change],
    *,
    carry: bool = False,
    also: Callable[[sqlite3.Connection], None] | None = None,
) -> Merged:
    """Apply the changes that are later than the ones in force, in one transaction.

    ``carry``: this machine carries the winners in its own files from now on
    (an import: nobody else has them). ``also`` runs in the same transaction
    (the folder's read positions advance only with the merge they fed). The
    winners are found and applied by SQL over a temporary table: a hundred
    thousand marks compared and applied row by row in Python took seconds.
    """
    best = latest(changes)
    merged = Merged()
    conn.execute("BEGIN IMMEDIATE")
    try:
        if best:
            _winners(conn, best)
            _apply(conn, merged)
            seq = _next_seq(conn) if carry else 0
            conn.execute(
                "INSERT INTO sync_stamps (kind, key, value, wall, counter, machine, seq) "
                "SELECT kind, key, value, wall, counter, machine, ? FROM temp.sync_won "
                "WHERE true ON CONFLICT(kind, key) DO UPDATE SET "
                "value = excluded.value, wall = excluded.wall, counter = excluded.counter, "
                "machine = excluded.machine, seq = excluded.seq",
                (seq,),
            )
            top = max((c.stamp.wall, c.stamp.counter) for c in best.values())
            _set_clock(conn, seen(_clock(conn), top))
        if also is not None:
            also(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return merged


def _winners(conn: sqlite3.Connection, best: dict[Key, Change]) -> None:
    """Fill ``temp.sync_won`` with the changes later than the ones in force."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS sync_incoming (kind TEXT, key TEXT, value TEXT, "
        "wall INTEGER, counter INTEGER, machine TEXT, PRIMARY KEY (kind, key)) WITHOUT ROWID"
    )
    conn.execute("DELETE FROM temp.sync_incoming")
    conn.execute("DROP TABLE IF EXISTS temp.sync_won")
    conn.executemany(
        "INSERT INTO temp.sync_incoming VALUES (?, ?, ?, ?, ?, ?)",
        [
            (c.kind, c.key, encode(c.value), c.stamp.wall, c.stamp.counter, c.stamp.machine)
            for c in best.values()
        ],
    )
    conn.execute(
        "CREATE TEMP TABLE sync_won AS SELECT i.* FROM temp.sync_incoming i "
        "LEFT JOIN sync_stamps s ON s.kind = i.kind AND s.key = i.key "
        "WHERE s.key IS NULL OR (i.wall, i.counter, i.machine) > (s.wall, s.counter, s.machine)"
    )


def _apply(conn: sqlite3.Connection, merged: Merged) -> None:
    for kind, column in zip(MARKS, ("read_at", "starred_at"), strict=True):
        (changed,) = conn.execute(
            f"SELECT count(*) FROM temp.sync_won w LEFT JOIN marks m ON m.key = w.key "
            f"WHERE w.kind = ? AND (m.{column} IS NOT NULL) != (w.value IS NOT NULL)",
            (kind,),
        ).fetchone()
        merged.marks += changed
        conn.execute(
            f"INSERT INTO marks (key, {column}) SELECT key, "
            f"CASE WHEN value IS NULL THEN NULL ELSE wall / 1000.0 END "
            f"FROM temp.sync_won WHERE kind = ? "
            f"ON CONFLICT(key) DO UPDATE SET {column} = excluded.{column}",
            (kind,),
        )
    rows = conn.execute(
        "SELECT kind, key, value, wall, counter, machine FROM temp.sync_won "
        "WHERE kind IN ('view', 'feed')"
    ).fetchall()
    for kind, key, value, wall, counter, machine in rows:
        change = Change(kind, key, decode(value), Stamp(wall, counter, machine))
        if kind == "feed":
            merged.feeds.append(change)
        elif change.value is None:
            merged.views += conn.execute("DELETE FROM views WHERE name = ?", (key,)).rowcount
        else:
            conn.execute(
                "INSERT INTO views (name, query, created) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                (key, change.value["q"], change.value["t"]),
            )
            merged.views += 1
