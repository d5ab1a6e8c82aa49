"""Read marks, stars and saved searches, in SQLite in the user data dir.

Kept out of the cache so that clearing it, re-importing or rebuilding the
index never loses them, and keyed by the article's URL (its path when it has
none) so they survive renames. Every change is one small transaction of
upserts, so two running instances never overwrite each other's marks.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    key TEXT PRIMARY KEY,
    read_at REAL,
    starred_at REAL
);
CREATE TABLE IF NOT EXISTS views (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created REAL NOT NULL
);
"""


def _set_wal(conn: sqlite3.Connection, wait: float = 30.0) -> None:
    """Switch to WAL, waiting while another instance holds the file.

    SQLite answers "database is locked" at once (without the busy timeout)
    when another connection is switching the same new file to WAL; treating
    that as a damaged file would silently keep this instance's marks in memory.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@dataclass(frozen=True)
class SavedView:
    """A named search shown in the sidebar."""

    name: str
    query: str


class StateStore:
    """Read/starred marks and saved views; safe to use from several threads."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.problem = ""
        """Why marks are kept in memory only this run (empty when they are saved)."""
        self.conn = self._open()
        self.read: set[str] = set()
        """Keys of read articles (kept in memory: the list asks per row)."""
        self.starred: set[str] = set()
        """Keys of starred articles."""
        self.reload()

    def _open(self) -> sqlite3.Connection:
        target = ":memory:"
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                target = str(self.path)
            except OSError as exc:
                target = ":memory:"  # an unwritable data dir: marks last for this run only
                self.problem = f"cannot create {self.path.parent}: {exc.strerror or exc}"
        conn = None
        try:
            conn = sqlite3.connect(
                target, timeout=30, check_same_thread=False, isolation_level=None
            )
            conn.execute("PRAGMA busy_timeout = 30000")
            if target != ":memory:":
                _set_wal(conn)
            conn.executescript(_SCHEMA)
            # Read everything once: a file with a valid header but damaged pages fails here, not
            # later.
            conn.execute(
                "SELECT count(*), max(key), max(read_at), max(starred_at) FROM marks"
            ).fetchone()
            conn.execute(
                "SELECT count(*), max(name), max(query), max(created) FROM views"
            ).fetchone()
        except sqlite3.DatabaseError:
            # Not a database, or a damaged one: keep the file untouched and keep marks in memory.
            if conn is not None:
                conn.close()
            self.problem = f"{target} is damaged or not a database (left as it is)"
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            conn.executescript(_SCHEMA)
        return conn

    def reload(self) -> None:
        """Re-read the marks (another instance may have changed them)."""
        with self._lock:
            rows = self.conn.execute("SELECT key, read_at, starred_at FROM marks").fetchall()
        self.read = {key for key, read_at, _ in rows if read_at is not None}
        self.starred = {key for key, _, starred_at in rows if starred_at is not None}

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self.conn.close()

    # --- marks ------------------------------------------------------------------------

    def set_read(self, keys: Iterable[str], read: bool = True) -> int:
        """Mark ``keys`` read (or unread); returns how many changed."""
        keys = [k for k in keys if (k in self.read) != read]
        if not keys:
            return 0
        stamp = time.time() if read else None
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany(
                    "INSERT INTO marks (key, read_at) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET read_at = excluded.read_at",
                    ((k, stamp) for k in keys),
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        if read:
            self.read.update(keys)
        else:
            self.read.difference_update(keys)
        return len(keys)

    def toggle_star(self, key: str) -> bool:
        """Flip one article's star; returns the new state."""
        starred = key not in self.starred
        with self._lock:
            self.conn.execute(
                "INSERT INTO marks (key, starred_at) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET starred_at = excluded.starred_at",
                (key, time.time() if starred else None),
            )
        (self.starred.add if starred else self.starred.discard)(key)
        return starred

    # --- saved views -----------------------------------------------------------------------

    def views(self) -> list[SavedView]:
        """Saved searches, oldest first."""
        with self._lock:
            rows = self.conn.execute("SELECT name, query FROM views ORDER BY created").fetchall()
        return [SavedView(name, query) for name, query in rows]

    def save_view(self, name: str, query: str) -> None:
        """Save (or replace) a named search."""
        with self._lock:
            self.conn.execute(
                "INSERT INTO views (name, query, created) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                (name, query, time.time()),
            )

    def delete_view(self, name: str) -> None:
        """Forget a saved search."""
        with self._lock:
            self.conn.execute("DELETE FROM views WHERE name = ?", (name,))
