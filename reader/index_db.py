"""Opening the index's SQLite file, and what to do when it cannot be used. No Textual.

The index is a cache, so a file SQLite calls damaged (or of another
version) is rebuilt. Every other failure (the file is in use by another
program, read-only, on a full disk, or not a file at all) leaves it as it
is: the run indexes in memory, starting from a copy of what the file holds
when it can be read, and says why in one line. :func:`describe` words the
reasons for the state database too.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

OPEN_WAIT = 1.0
"""Seconds an open waits for another program's write before indexing in memory instead."""
WRITE_WAIT_MS = 2000
"""How long a write of the index waits for another program (the scan runs in a worker)."""

_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_IN_USE = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_NOT_WRITABLE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN}


def _code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (None when it is not an SQLite error)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damaged(exc: BaseException) -> bool:
    """Whether ``exc`` says the file itself is unreadable (the only reason to rebuild an index)."""
    return _code(exc) in _DAMAGED


def in_use(exc: BaseException) -> bool:
    """Whether ``exc`` says another connection holds the file (it may be free in a moment)."""
    return _code(exc) in _IN_USE


def _disk_full(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def describe(exc: BaseException, path: Path) -> str:
    """One line saying why ``path`` cannot be used, for the status line and stderr."""
    code = _code(exc)
    if path.exists() and not path.is_file():
        return f"{path} is not a file"
    if code in _DAMAGED:
        return f"{path} is damaged or not a database"
    if code in _IN_USE:
        return f"{path} is in use by another program"
    if code == sqlite3.SQLITE_FULL or _disk_full(path):
        return f"the disk is full ({path})"
    if code in _NOT_WRITABLE or isinstance(exc, PermissionError):
        return f"{path} cannot be written"
    if code == sqlite3.SQLITE_IOERR:
        return f"disk I/O error on {path}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{path}: {exc.strerror}"
    return f"{path}: {exc}"


def connect(path: Path | None, wait_ms: int = WRITE_WAIT_MS) -> sqlite3.Connection:
    """A connection to the index file (or a new in-memory one), with WAL and a bounded wait."""
    conn = sqlite3.connect(
        str(path) if path else ":memory:", timeout=wait_ms / 1000, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {wait_ms}")
    if path:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


ADDED_WITHIN_VERSION = (
    "CREATE INDEX IF NOT EXISTS",
    "CREATE TABLE IF NOT EXISTS folders",
    "CREATE TABLE IF NOT EXISTS same_keys_pending",
)
"""What a schema may gain without a new version: made on a file that lacks it (see
:func:`prepare`)."""


def prepare(
    conn: sqlite3.Connection,
    schema: str,
    version: int,
    probes: list[str],
    counted: str = "",
) -> None:
    """Bring ``conn`` to ``schema`` (dropping the tables of another version) and check it.

    Every ``probes`` query must run: an unversioned or foreign file fails here. ``counted``:
    the script of the article count (see :data:`reader.index_schema.COUNTED`), made when the
    file lacks it.
    """
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found != version:
        if found != 0:
            conn.executescript(
                "DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS skipped;"
                " DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS folders;"
                " DROP TABLE IF EXISTS same_keys_pending; DROP TABLE IF EXISTS article_count;"
            )
        conn.executescript(schema)
    elif any(added in schema for added in ADDED_WITHIN_VERSION):
        # Indexes and tables added within a version (the list's orders, the folder times) are
        # made once on an index that lacks them, instead of rebuilding it from the files; a file
        # that refuses the write is read without them (slower ordered reads, same answers; every
        # file checked).
        with contextlib.suppress(sqlite3.OperationalError):
            conn.executescript(
                ";".join(s for s in schema.split(";") if any(a in s for a in ADDED_WITHIN_VERSION))
            )
    for probe in probes:
        conn.execute(probe).fetchall()
    if counted:
        add_count(conn, counted)


COUNT_TABLE = "article_count"
"""The index's one-row table of how many articles it holds (see
:data:`reader.index_schema.COUNTED`)."""


def article_count(conn: sqlite3.Connection) -> int:
    """How many articles the index behind ``conn`` holds: its kept count (one page), else
    counted (a file that could not take the count when it was opened)."""
    try:
        row = conn.execute(f"SELECT n FROM {COUNT_TABLE}").fetchone()
    except sqlite3.OperationalError:
        row = None
    if row is None:
        row = conn.execute("SELECT count(*) FROM articles").fetchone()
    return row[0]


def add_count(conn: sqlite3.Connection, counted: str) -> None:
    """Make the article count and its triggers, counted once, unless the file has them: in one
    transaction, so no row is stored between the count and its triggers. A file that refuses
    the write is read without it (see :meth:`reader.index_reads.IndexReads.count`)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_counted_out'").fetchone():
        return
    try:
        conn.executescript(f"BEGIN IMMEDIATE; {counted} COMMIT;")
    except sqlite3.OperationalError:
        if conn.in_transaction:
            conn.rollback()


def check_writable(conn: sqlite3.Connection, path: Path) -> None:
    """Raise when the file cannot take a write now (another program holds it, or it is read-only).

    A scan would otherwise find out only at its first write, after parsing, or
    wait for the lock on every batch.
    """
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise PermissionError(13, "read-only", str(path))
    conn.execute(f"PRAGMA busy_timeout = {int(OPEN_WAIT * 1000)}")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("ROLLBACK")
    conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")


def read_only(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to what ``path`` holds, even on a full disk; None if unreadable.

    ``immutable=1`` needs no lock and no shared-memory file (which a full disk
    cannot create); it misses a write still in the WAL, which the scan redoes.
    """
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=OPEN_WAIT)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        pass
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        return None


def memory_copy(
    source: sqlite3.Connection | Path | None,
    schema: str,
    version: int,
    probes: list[str],
    counted: str = "",
) -> sqlite3.Connection:
    """An in-memory index holding what ``source`` (a connection or file) holds, else empty."""
    conn = connect(None)
    try:
        reader = read_only(source) if isinstance(source, Path) else source
        if reader is not None:
            reader.backup(conn)
            if reader is not source:
                reader.close()
        prepare(conn, schema, version, probes, counted)
    except sqlite3.Error:
        conn.close()
        conn = connect(None)
        made(conn, schema, counted)
    return conn


def made(conn: sqlite3.Connection, schema: str, counted: str = "") -> None:
    """Make ``schema`` and the article count (``counted``, see :func:`prepare`) on a new file."""
    conn.executescript(schema)
    if counted:
        add_count(conn, counted)


@dataclass
class Opened:
    """An opened index: its connection, its file (None in memory), and why it is in memory."""

    conn: sqlite3.Connection
    path: Path | None
    problem: str = ""


def open_index(
    path: Path | None, schema: str, version: int, probes: list[str], counted: str = ""
) -> Opened:
    """Open the index at ``path``: rebuilt when damaged, in memory when it cannot be used
    (``counted``: see :func:`prepare`)."""
    if path is None:
        conn = connect(None)
        made(conn, schema, counted)
        return Opened(conn, None)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only cache still gets an index, in memory
        return Opened(
            memory_copy(path, schema, version, probes, counted), None, describe(exc, path.parent)
        )
    conn = None
    try:
        if path.exists() and not path.is_file():
            raise IsADirectoryError(21, "not a file", str(path))
        conn = connect(path)
        prepare(conn, schema, version, probes, counted)
        check_writable(conn, path)
        return Opened(conn, path)
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()
        if is_damaged(exc) and _remove(path):
            return open_index(path, schema, version, probes, counted)
        problem = f"{describe(exc, path)}: indexing in memory this run"
        return Opened(memory_copy(path, schema, version, probes, counted), None, problem)


def _remove(path: Path) -> bool:
    """Delete a damaged index file and its WAL; whether it is gone (so a rebuild may start)."""
    try:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    except OSError:
        return False
    return not path.exists()
