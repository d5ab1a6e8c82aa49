"""A second read-only connection to the index, for the look-ups of the detail pane. No Textual.

The related items of the highlighted article are found by a worker: at a
million articles the look-up runs 0.1-2 s in SQLite. On the index's own
connection it held the index's lock all that time, and a key that reads the
index on the screen's thread (an order's head, a search) waited for it: an `s`
right after the cursor moved took up to 2 s. On a connection of their own,
the two run side by side (the index is in WAL mode: readers do not block
each other, nor the writer).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.search_halves import file_id

BUSY_SECONDS = 0.5
"""How long the side connection waits for a lock (another program writing without WAL)."""
CACHE_KIB = 512
"""The side connection's own page cache (SQLite's default is 2 MiB): the pages it reads are in
the system's file cache anyway, and the reader's memory is counted against a target."""
INTERRUPT_EVERY = 0.05
"""How often :meth:`SideReads.close` stops the look-up it waits for, until it has."""


class SideReads:
    """A read-only connection to the index file at ``db_path``, opened when first used and
    used by one thread at a time; None where it cannot be had (the caller then reads on the
    index's own connection)."""

    def __init__(self, db_path: Path, expected_id: tuple[int, int] | None) -> None:
        """``expected_id``: the index file's device and inode as the index opened it; a file
        put in its place since (another program rebuilt it) is not read."""
        self._path = db_path
        self._expected_id = expected_id
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection | None]:
        """The side connection for the ``with`` block (None: none could be opened)."""
        with self._lock:
            if self._conn is None and not self._closed:
                self._conn = self._open()
                self._closed = self._conn is None  # tried once: not again on every look-up
            yield self._conn

    def close(self) -> None:
        """Close the connection, stopping a look-up running on it (its caller gets an
        ``sqlite3.OperationalError``); it is not opened again."""
        while not self._lock.acquire(timeout=INTERRUPT_EVERY):
            running = self._conn
            if running is not None:  # a look-up of seconds must not hold up a reload
                running.interrupt()  # again: one sent before its statement began is lost
        try:
            if self._conn is not None:
                self._conn.close()
            self._conn, self._closed = None, True
        finally:
            self._lock.release()

    def _open(self) -> sqlite3.Connection | None:
        if self._expected_id is None:
            return None
        try:
            uri = self._path.absolute().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, check_same_thread=False)
        except (sqlite3.Error, OSError, ValueError):
            return None
        if file_id(self._path) != self._expected_id:
            conn.close()
            return None
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return conn
