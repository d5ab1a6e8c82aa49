"""Read marks, stars and saved searches, in SQLite in the user data dir.

Kept out of the cache so that clearing it, re-importing or rebuilding the
index never loses them, and keyed by the article's URL (its path when it has
none) so they survive renames. Every change is one small transaction of
upserts, so two running instances never overwrite each other's marks.

The sets in memory are the truth during a run. A change that the file
refuses (another program holds it, it is read-only, the disk is full) waits
in memory, with :attr:`StateStore.problem` saying why, and is written by a
later :meth:`StateStore.save` once the file takes it (no write waits long:
marks are made on the UI thread). A change of many marks at once is written
by a thread of its own instead, batch after batch, while the sets in memory
already hold it. What is still refused at the end of the run waits in a file
beside it for the next run. A damaged file is left as it is.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from reader import atomic
from reader.index_db import describe, in_use, is_damaged, read_only
from reader.sync.ledger import SCHEMA as SYNC_SCHEMA
from reader.sync.ledger import stamp_local

_FIRST = itemgetter(0)

OPEN_WAIT = 0.1
"""Seconds opening waits for another instance (it runs on the UI thread)."""
WRITE_WAIT_MS = 50
"""How long a change waits for another program's write before it waits in memory instead."""
CLOSE_WAIT_MS = 300
"""How long the last save, at exit, waits for the file."""
BEHIND_ABOVE = 20_000
"""More waiting changes than this are written by a thread of their own ("mark all read" on a
big view): a million marks and their sync stamps took 7-8 s to write, which held the screen."""
BEHIND_WAIT_MS = 1000
"""How long the writer thread waits for another program's write (it holds no screen)."""
JSON_ABOVE = 1000
"""More marks of one kind than this go to SQLite as JSON arrays (see :func:`_by_value`)."""
JSON_SLICE = 20_000
"""Keys made into JSON at a time (milliseconds each; the interpreter's lock is free between)."""
UNSAVED = ".unsaved.json"
"""Beside the state file: the changes it refused until a run ended (the next run writes them)."""

_SCHEMA = (
    """
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
    + SYNC_SCHEMA
)
_MARKS = "SELECT key, read_at, starred_at FROM marks"
_VIEWS = "SELECT name, query, created FROM views"


def _set_wal(conn: sqlite3.Connection, wait: float) -> None:
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


def create_tables(conn: sqlite3.Connection) -> None:
    """Make the tables a new (or older) state file lacks, in one write transaction.

    Statement by statement, each CREATE would take the write lock on its own: several
    instances opening a new file at once met each other's locks once per table.
    """
    names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if {"marks", "views", "sync_stamps", "sync_meta", "sync_files"} <= names:
        return
    conn.executescript(f"BEGIN IMMEDIATE;\n{_SCHEMA}\nCOMMIT;")


@dataclass(frozen=True)
class SavedView:
    """A named search shown in the sidebar."""

    name: str
    query: str


class StateStore:
    """Read/starred marks and saved views; safe to use from several threads."""

    def __init__(self, path: Path | None, *, wait: float = OPEN_WAIT) -> None:
        self.path = path
        self._lock = threading.RLock()
        self.problem = ""
        """Why marks are kept in memory only (empty when they are saved)."""
        self.reason = ""
        """The last reason the file could not be used, alone (the CLI's one line)."""
        self.loaded = True
        """Whether the marks on file could be read (False: only this run's marks are known)."""
        self.read: set[str] = set()
        """Keys of read articles (kept in memory: the list asks per row)."""
        self.starred: set[str] = set()
        """Keys of starred articles."""
        self._views: dict[str, tuple[str, float]] = {}
        self._read_changes: dict[str, float | None] = {}
        self._star_changes: dict[str, float | None] = {}
        self._view_changes: dict[str, tuple[str, float] | None] = {}
        self._behind: threading.Thread | None = None
        """The thread writing a big change, while it runs (see :meth:`save`)."""
        self._in_flight: tuple[dict, dict, dict] | None = None
        """The batch that thread is writing (out of the waiting changes meanwhile)."""
        self._json: bool | None = None
        """Whether this SQLite reads JSON (see :meth:`_has_json`), once asked."""
        self.version = 0
        """Moves on with every change made here (rows read before it may lack that change)."""
        self._machine = ""
        """This machine's sync id once a change has looked it up (:mod:`reader.sync.ledger`)."""
        self._retry = path is not None
        """Whether the file may take the changes later (not when damaged: it is left as it is)."""
        self._unsaved_taken = self._take_unsaved()
        conn = self._open_file(wait)
        self.on_file = conn is not None
        """Whether :attr:`conn` is the file (not the in-memory stand-in)."""
        self.conn = conn or self._stand_in()
        self.reload()
        if self._unsaved_taken:
            self.save()

    # --- changes a closed run could not write -------------------------------------------

    @property
    def _unsaved_path(self) -> Path | None:
        return None if self.path is None else self.path.with_name(self.path.name + UNSAVED)

    def _take_unsaved(self) -> bool:
        """Take over the changes a run could not write at its end; whether there were any."""
        path = self._unsaved_path
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else None
            read, starred, views = data["read"], data["starred"], data["views"]
            self._read_changes.update({str(k): v for k, v in read.items()})
            self._star_changes.update({str(k): v for k, v in starred.items()})
            self._view_changes.update({str(k): tuple(v) if v else None for k, v in views.items()})
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return False
        return True

    def _keep_unsaved(self) -> bool:
        """At the end of a run, put the changes the state file refused beside it, if it can."""
        path = self._unsaved_path
        if path is None or not self._retry:
            return False
        data = {"read": self._read_changes, "starred": self._star_changes}
        data["views"] = {
            name: list(view) if view else None for name, view in self._view_changes.items()
        }
        try:
            atomic.write_text(path, json.dumps(data))
        except OSError:  # the same disk full or read-only: :attr:`problem` said so
            return False
        return True

    def _stand_in(self) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        conn.executescript(_SCHEMA)
        return conn

    def _open_file(self, wait: float) -> sqlite3.Connection | None:
        """The state file's connection, or None with :attr:`problem` saying why."""
        if self.path is None:
            return None
        conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and not self.path.is_file():
                raise IsADirectoryError(21, "not a file", str(self.path))
            conn = sqlite3.connect(
                str(self.path), timeout=wait, check_same_thread=False, isolation_level=None
            )
            conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            _set_wal(conn, wait)
            create_tables(conn)
            # Read everything once: a file with a valid header but damaged pages fails here.
            conn.execute("SELECT count(*), max(key), max(read_at), max(starred_at) FROM marks")
            conn.execute("SELECT count(*), max(name), max(query), max(created) FROM views")
            return conn
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            self.reason = reason = describe(exc, self.path)
            if is_damaged(exc):
                self._retry = False
                self.problem = f"{reason} (left as it is): marks are not saved this run"
            else:
                self.problem = f"{reason}: marks are kept in memory until it can be written"
            return None

    def reload(self, rows: tuple[list, list] | None = None) -> None:
        """Re-read the marks (another instance may have changed them), keeping unsaved changes.

        ``rows``: the marks and views already read elsewhere (:func:`read_rows`, in a
        thread), taken only if no change was made here since (:attr:`version`).
        """
        with self._lock:
            if rows is None:
                rows = self._rows()
                if rows is None:
                    return
            marks, views = rows
            read = {key for key, read_at, _ in marks if read_at is not None}
            starred = {key for key, _, starred_at in marks if starred_at is not None}
            self._views = {name: (query, created) for name, query, created in views}
            # Over the file's: the batch the writer thread is writing, then what waits (newer).
            for read_changes, star_changes, view_changes in filter(
                None, (self._in_flight, self._changes())
            ):
                for key, stamp in read_changes.items():
                    (read.discard if stamp is None else read.add)(key)
                for key, stamp in star_changes.items():
                    (starred.discard if stamp is None else starred.add)(key)
                for name, view in view_changes.items():
                    if view is None:
                        self._views.pop(name, None)
                    else:
                        self._views[name] = view
            # In place: the list holds these very sets.
            self.read.intersection_update(read)
            self.read.update(read)
            self.starred.intersection_update(starred)
            self.starred.update(starred)

    def _rows(self) -> tuple[list, list] | None:
        """The marks and views on file, read even when it cannot be written (a full disk); None
        when the writer thread has the connection and the file cannot be read beside it."""
        if self._behind is not None and self.path is not None:
            return read_rows(self.path)  # on a connection of its own: the writer's is in use
        if self.on_file:
            return self.conn.execute(_MARKS).fetchall(), self.conn.execute(_VIEWS).fetchall()
        if not self._retry or self.path is None or not self.path.is_file():
            self.loaded = self.path is None or not self.path.exists() and self._retry
            return [], []
        snapshot = read_only(self.path)
        try:
            if snapshot is not None:
                tables = snapshot.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if not tables:  # created empty just now (the disk filled up before the tables)
                    return [], []
                return snapshot.execute(_MARKS).fetchall(), snapshot.execute(_VIEWS).fetchall()
        except sqlite3.Error:
            pass
        finally:
            if snapshot is not None:
                snapshot.close()
        self.loaded = False
        return [], []

    @property
    def pending(self) -> bool:
        """Whether changes wait in memory for the file."""
        return bool(self._read_changes or self._star_changes or self._view_changes)

    def save(self, wait_ms: int = WRITE_WAIT_MS, behind: bool = True) -> bool:
        """Write the changes waiting in memory; returns whether none waits any more.

        Waits at most ``wait_ms`` for another program's write. On failure the
        changes stay in memory and :attr:`problem` says why. More than
        :data:`BEHIND_ABOVE` changes are written by a thread of their own (with
        ``behind``), and so are changes made while it writes: False then.
        """
        with self._lock:
            if not self.pending:
                return True
            if self._behind is not None:
                return False  # the writer takes these once its batch is in
            if behind and self._waiting() > BEHIND_ABOVE:
                self._behind = threading.Thread(
                    target=self._write_behind, name="newsreader-marks", daemon=True
                )
                self._behind.start()
                return False
            try:
                if not self._on_file(wait_ms):
                    return False
                self._write(wait_ms, *self._changes())
            except sqlite3.Error as exc:
                self._failed(exc)
                return False
            for changes in self._changes():
                changes.clear()
            self._saved()
            return True

    def _changes(self) -> tuple[dict, dict, dict]:
        """The waiting changes: of read marks, of stars, of saved searches."""
        return self._read_changes, self._star_changes, self._view_changes

    def _waiting(self) -> int:
        return sum(map(len, self._changes()))

    def _on_file(self, wait_ms: int) -> bool:
        """Make :attr:`conn` the file again when a failure left it (False: it still refuses)."""
        if self.on_file:
            return True
        conn = self._open_file(wait_ms / 1000) if self._retry else None
        if conn is None:
            return False
        self.conn.close()
        self.conn, self.on_file = conn, True
        self.reload()  # what other instances wrote meanwhile, under this run's changes
        return True

    def _failed(self, exc: sqlite3.Error) -> None:
        """A write failed: say why, and let the next one start afresh (the changes wait)."""
        if self.conn.in_transaction:  # SQLite has rolled back already after some errors
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        assert self.path is not None
        self.reason = reason = describe(exc, self.path)
        self.problem = f"{reason}: marks are kept in memory until it can be written"
        if not in_use(exc):  # a file opened read-only stays so: open it afresh next time
            self.conn.close()
            self.conn, self.on_file = self._stand_in(), False

    def _saved(self) -> None:
        """What waited is written: no problem any more, nothing left for the next run."""
        self.problem = ""
        if self._unsaved_taken and self._unsaved_path:
            self._unsaved_taken = False
            with suppress(OSError):
                self._unsaved_path.unlink(missing_ok=True)

    def _write_behind(self) -> None:
        """The writer thread: the waiting changes, batch after batch, until none waits.

        A batch leaves the waiting changes while it is written, so marks made
        meanwhile wait apart and follow in the next batch. When a write fails, the
        batch goes back under them (a key's newer change wins) and the thread ends,
        leaving them to :meth:`save` like any refused change.
        """
        while True:
            with self._lock:
                try:  # a reopening waits no longer than a mark's: the screen may want the lock
                    ready = self.pending and self._on_file(WRITE_WAIT_MS)
                except sqlite3.Error as exc:
                    self._failed(exc)
                    ready = False
                if not ready:
                    self._behind = None
                    return
                batch = self._in_flight = self._changes()
                self._read_changes, self._star_changes, self._view_changes = {}, {}, {}
            error = None
            try:
                self._write(BEHIND_WAIT_MS, *batch)
            except sqlite3.Error as exc:
                error = exc
            with self._lock:
                self._in_flight = None
                if error is None:
                    self._saved()
                    continue
                for taken, newer in zip(batch, self._changes(), strict=True):
                    taken.update(newer)
                self._read_changes, self._star_changes, self._view_changes = batch
                self._failed(error)
                self._behind = None
                return

    @property
    def writing(self) -> bool:
        """Whether the writer thread is writing a big change (see :meth:`save`)."""
        return self._behind is not None

    def wait_written(self, timeout: float | None = None) -> bool:
        """Wait for the writer thread's batches (at once when none runs); whether it ended."""
        behind = self._behind
        if behind is None:
            return True
        behind.join(timeout)
        return not behind.is_alive()

    def _write(
        self,
        wait_ms: int,
        read_changes: dict[str, float | None],
        star_changes: dict[str, float | None],
        view_changes: dict[str, tuple[str, float] | None],
    ) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {wait_ms}")
        conn.execute("BEGIN IMMEDIATE")
        bulk: list[tuple[str, bool, str]] = []
        reads: list[tuple[str, float | None]] = []
        stars: list[tuple[str, float | None]] = []
        for kind, column, changes, rows in (
            ("read", "read_at", read_changes, reads),
            ("star", "starred_at", star_changes, stars),
        ):
            if len(changes) > JSON_ABOVE and self._has_json():
                # Each time's keys as one JSON array, sorted and stored by SQLite: bound row by
                # row (or made into JSON at once), a million marks held the interpreter's lock,
                # and so the screen beside the writer thread, for seconds.
                for stamp, keys in _by_value(changes).items():
                    conn.execute(
                        f"INSERT INTO marks (key, {column}) SELECT value, ? FROM json_each(?) "
                        f"WHERE true ORDER BY value "
                        f"ON CONFLICT(key) DO UPDATE SET {column} = excluded.{column}",
                        (stamp, keys),
                    )
                    bulk.append((kind, stamp is not None, keys))
                continue
            # In key order: "mark all read" on 83,000 articles wrote its marks and their sync
            # stamps in 1.1 s, each row in another page of the tables' keys; sorted, in 0.6 s.
            rows += sorted(changes.items(), key=_FIRST)
            conn.executemany(
                f"INSERT INTO marks (key, {column}) VALUES (?, ?) "
                f"ON CONFLICT(key) DO UPDATE SET {column} = excluded.{column}",
                rows,
            )
        for name, view in view_changes.items():
            if view is None:
                conn.execute("DELETE FROM views WHERE name = ?", (name,))
            else:
                conn.execute(
                    "INSERT INTO views (name, query, created) VALUES (?, ?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                    (name, *view),
                )
        stamped = _stamped_changes(reads, stars, view_changes)
        self._machine = stamp_local(conn, stamped, self._machine, bulk)
        conn.execute("COMMIT")

    def _has_json(self) -> bool:
        """Whether this SQLite reads JSON (built in since 3.38; an older one may lack it)."""
        if self._json is None:
            try:
                self.conn.execute("SELECT count(*) FROM json_each('[]')")
                self._json = True
            except sqlite3.Error:
                self._json = False
        return self._json

    def close(self) -> str:
        """Save what waits (waiting a little longer, it is the last chance) and close.

        Returns one line for the user when changes could be kept nowhere (the
        file and its folder both refuse them), so the loss is never silent;
        empty otherwise.
        """
        self.wait_written()  # a big change being written: the last save follows it
        with self._lock:
            lost = ""
            if not self.save(CLOSE_WAIT_MS, behind=False) and not self._keep_unsaved():
                count = len(self._read_changes) + len(self._star_changes) + len(self._view_changes)
                lost = (
                    f"{count} change(s) to read marks, stars or saved searches could not be saved: "
                    f"{self.reason or self.problem}"
                )
            self.conn.close()
        return lost

    # --- marks ------------------------------------------------------------------------

    def set_read(self, keys: Iterable[str], read: bool = True) -> int:
        """Mark ``keys`` read (or unread); returns how many changed."""
        stamp = time.time() if read else None
        with self._lock:
            keys = flipping(keys, self.read, read)
            if not keys:
                return 0
            (self.read.update if read else self.read.difference_update)(keys)
            self._read_changes.update(dict.fromkeys(keys, stamp))
            self.version += 1
            self.save()
        return len(keys)

    def set_starred(self, keys: Iterable[str], starred: bool = True) -> int:
        """Star (or unstar) ``keys`` in one write; returns how many changed."""
        stamp = time.time() if starred else None
        with self._lock:
            keys = flipping(keys, self.starred, starred)
            if not keys:
                return 0
            (self.starred.update if starred else self.starred.difference_update)(keys)
            self._star_changes.update(dict.fromkeys(keys, stamp))
            self.version += 1
            self.save()
        return len(keys)

    def toggle_star(self, key: str) -> bool:
        """Flip one article's star; returns the new state."""
        with self._lock:
            starred = key not in self.starred
            (self.starred.add if starred else self.starred.discard)(key)
            self._star_changes[key] = time.time() if starred else None
            self.version += 1
            self.save()
        return starred

    # --- saved views -----------------------------------------------------------------------

    def views(self) -> list[SavedView]:
        """Saved searches, oldest first."""
        with self._lock:
            ordered = sorted(self._views.items(), key=lambda item: item[1][1])
        return [SavedView(name, query) for name, (query, _) in ordered]

    def save_view(self, name: str, query: str) -> None:
        """Save (or replace) a named search; a replaced one keeps its place."""
        with self._lock:
            created = self._views.get(name, ("", time.time()))[1]
            self._views[name] = self._view_changes[name] = (query, created)
            self.version += 1
            self.save()

    def delete_view(self, name: str) -> None:
        """Forget a saved search."""
        with self._lock:
            self._views.pop(name, None)
            self._view_changes[name] = None
            self.version += 1
            self.save()


def flipping(keys: Iterable[str], marked: set[str], on: bool) -> set[str]:
    """Those of ``keys`` a change to ``on`` flips (as set operations: a million at once)."""
    flipping = set(keys)
    if on:
        flipping -= marked
    else:
        flipping &= marked
    return flipping


def _by_value(changes: dict[str, float | None]) -> dict[float | None, str]:
    """The keys of ``changes`` by their value (a mark's time, or None), each as a JSON array."""
    values = set(changes.values())
    if len(values) == 1:  # one action's marks: one time
        grouped = {values.pop(): list(changes)}
    else:
        grouped = {}
        for key, value in changes.items():
            grouped.setdefault(value, []).append(key)
    return {value: _json_array(keys) for value, keys in grouped.items()}


def _json_array(keys: list[str]) -> str:
    """``json.dumps(keys)``, a slice at a time: at once, a million keys held the interpreter's
    lock for a second, and the screen runs beside the thread that writes them."""
    slices = (
        json.dumps(keys[at : at + JSON_SLICE], ensure_ascii=False)[1:-1]
        for at in range(0, len(keys), JSON_SLICE)
    )
    return "[" + ",".join(slices) + "]"


def _stamped_changes(
    reads: list[tuple[str, float | None]],
    stars: list[tuple[str, float | None]],
    views: dict[str, tuple[str, float] | None],
) -> list[tuple[str, str, object]]:
    """Changes (``reads`` and ``stars``: the marks' as written, in key order) as the sync
    ledger records them (kind, key, value or None), in the order of its keys."""
    changes: list[tuple[str, str, object]] = [
        ("read", key, None if stamp is None else True) for key, stamp in reads
    ]
    changes += [("star", key, None if stamp is None else True) for key, stamp in stars]
    changes += [
        ("view", name, None if view is None else {"q": view[0], "t": view[1]})
        for name, view in views.items()
    ]
    return changes


def read_rows(path: Path) -> tuple[list, list] | None:
    """The marks and views in the state file, read on a connection of their own (any thread).

    For :meth:`StateStore.reload` off the UI thread; None when the file cannot be read.
    """
    try:  # not read_only(): its fallback for a full disk would miss the merge still in the WAL
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=OPEN_WAIT)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # both tables from one moment
        return conn.execute(_MARKS).fetchall(), conn.execute(_VIEWS).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
