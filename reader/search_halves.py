"""A search's matching row ids read in two halves at once, on two connections. No Textual.

The first letter of a search matches nearly every article: at a million, FTS5
takes 60-85 ms to list their ids. Asked with a row id range, it reads only that
part of its lists, and SQLite leaves the interpreter lock free while it runs. So the
upper half of the ids is searched on a second read-only connection in a thread of
its own while the index's connection searches the lower half: both cores work, and
the answer comes in about half the time (74 → 44 ms for one letter at a million, 19 → 11 ms
for two words).
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SPLIT_FROM = 150_000
"""The span of row ids from which a search is split. Below, a query takes a few milliseconds and
handing half of it to a thread costs as much as it saves (100,000: 8 → 10 ms a key)."""

BUSY_SECONDS = 0.5
"""How long the second connection waits for a lock (another program writing without WAL) before
its half is searched on the index's own connection instead."""

_IDS_QUERY = "SELECT group_concat(rowid) FROM search WHERE search MATCH ?"


def matching_ids(
    conn: sqlite3.Connection, expression: str, above: int | None = None, up_to: int | None = None
) -> np.ndarray:
    """The row ids matching an FTS5 ``expression`` (those above ``above`` and up to ``up_to``
    only, when given); raises ``sqlite3.OperationalError`` for an expression FTS5 cannot read.

    Read as one text, made by SQLite, that numpy parses: a row per id took several times longer.
    """
    import numpy as np

    sql, args = _IDS_QUERY, [expression]
    if above is not None:
        sql += " AND rowid > ?"
        args.append(above)
    if up_to is not None:
        sql += " AND rowid <= ?"
        args.append(up_to)
    row = conn.execute(sql, args).fetchone()
    text = row[0] if row is not None and row[0] is not None else ""
    return np.fromstring(text, dtype=np.int64, sep=",")


def matching_count(conn: sqlite3.Connection, expression: str) -> int:
    """How many rows match an FTS5 ``expression`` (raises ``sqlite3.OperationalError`` for one
    FTS5 cannot read)."""
    return conn.execute(
        "SELECT count(*) FROM search WHERE search MATCH ?", (expression,)
    ).fetchone()[0]


def split_point(conn: sqlite3.Connection) -> int | None:
    """The row id halfway between the articles' first and last (found in the table's tree, not
    counted); None when they span too few to be worth two queries."""
    # Two subqueries: ``min(id), max(id)`` side by side in one reads every row (64 ms at a
    # million), each alone reads one end of the table's tree.
    low, high = conn.execute(
        "SELECT (SELECT min(id) FROM articles), (SELECT max(id) FROM articles)"
    ).fetchone()
    if low is None or high - low < SPLIT_FROM:
        return None
    return (low + high) // 2


def file_id(path: Path) -> tuple[int, int] | None:
    """A file's device and inode, which tell it from a file put at its path since; None when it
    cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class UpperHalf:
    """A read-only connection to the index file in a daemon thread, searching above a row id.

    A daemon thread rather than a pool: the reader quits without waiting for it. The connection
    is opened in the thread, which is the only one that uses it.
    """

    def __init__(self, db_path: Path, file_id: tuple[int, int] | None) -> None:
        """``file_id``: the index file's device and inode as the caller's connection opened it;
        a file put in its place since (another program rebuilt it) is not searched."""
        self._path = db_path
        self._file_id = file_id
        self._uri = db_path.absolute().as_uri() + "?mode=ro"
        self._jobs: queue.SimpleQueue[tuple[str, int, Future[np.ndarray]] | None]
        self._jobs = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="newsreader-search-half", daemon=True)
        self.thread.start()

    def search(self, expression: str, above: int) -> Future[np.ndarray]:
        """The ids matching ``expression`` above ``above`` (see :func:`matching_ids`), to come.

        Parsed here too: numpy holds the interpreter lock while it parses, and the caller's
        half is then still being searched in SQLite, which does not.
        """
        future: Future[np.ndarray] = Future()
        self._jobs.put((expression, above, future))
        return future

    def close(self) -> None:
        """Close the connection once the searches asked for are answered; the thread ends."""
        self._jobs.put(None)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        failure: Exception | None = None
        try:
            conn = sqlite3.connect(self._uri, uri=True, timeout=BUSY_SECONDS)
            if self._file_id is None or file_id(self._path) != self._file_id:
                conn.close()
                conn = None
                failure = sqlite3.OperationalError("the index file was replaced")
        except (sqlite3.Error, OSError) as exc:  # every search is then answered by its caller
            conn, failure = None, exc
        while (job := self._jobs.get()) is not None:
            expression, above, future = job
            try:
                if conn is None:
                    raise sqlite3.OperationalError(f"no second connection: {failure}")
                future.set_result(matching_ids(conn, expression, above=above))
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                future.set_exception(exc)
        if conn is not None:
            conn.close()
