"""Writing parsed files into the index, a batch per transaction, cheaply however large it is.

Kept apart from :mod:`reader.index` (which decides what to parse and when) so
that what a batch costs can be read in one place. A cold scan of 1,000,000
files stores 500 batches, so each statement here is written for what it costs
when the index is already large:

- the full-text tables take plain ``VALUES``: an ``INSERT ... SELECT`` into
  an FTS5 table opens a statement savepoint, at which FTS5 writes its pending
  terms out as a new segment, so a row at a time made a segment at a time
  (0.18 ms a row against 0.045, and more merging as the index grew);
- files the index has never seen (all of them on a cold scan) skip the
  look-ups and deletes of a changed file;
- while many files are stored, SQLite does not wait for the disk at
  checkpoints (:func:`bulk_writes`), and a stop ends the batch being stored
  at once (:func:`stoppable`).

No Textual.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress

from reader import similar_store
from reader.article_text import markdown_to_text
from reader.filecheck import FileInfo
from reader.fulltext.store import FullTextStore
from reader.index_rows import STORED, ArticleRow
from reader.index_schema import INSERT_ARTICLE
from reader.similarity import Signature

CHUNK = 500
"""Parameters per ``IN (...)`` look-up (SQLite allows 32,766; smaller chunks keep plans simple)."""


def forget(
    conn: sqlite3.Connection,
    gone: list[str],
    skips: list[FileInfo],
    removed: dict[int, str] | None = None,
) -> set[int]:
    """Forget ``gone`` paths and record ``skips``: the duplicate groups the articles left
    (``removed``: see :func:`delete_articles`)."""
    stale: set[int] = set()
    if gone:
        stale |= delete_articles(conn, gone, removed)
        conn.executemany("DELETE FROM skipped WHERE path = ?", ((p,) for p in gone))
    return stale | store_skips(conn, skips, removed)


def regroup(conn: sqlite3.Connection, added: dict[int, Signature], stale: set[int]) -> list[str]:
    """Recompute the duplicate groups of ``added`` and ``stale``: the paths of other articles
    whose group changed with them (a loaded list re-reads those too)."""
    return paths_of(conn, similar_store.regroup(conn, added, stale) - set(added))


def paths_of(conn: sqlite3.Connection, ids: set[int]) -> list[str]:
    """The paths of articles ``ids``."""
    found: list[str] = []
    wanted = sorted(ids)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found += [
            row[0]
            for row in conn.execute(
                f"SELECT path FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        ]
    return found


def ids_at(conn: sqlite3.Connection, paths: list[str]) -> dict[str, int]:
    """The ids of the articles at ``paths`` (those the index holds)."""
    found: dict[str, int] = {}
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        found.update(
            conn.execute(
                f"SELECT path, id FROM articles WHERE path IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        )
    return found


def delete_articles(
    conn: sqlite3.Connection, paths: list[str], removed: dict[int, str] | None = None
) -> set[int]:
    """Remove the articles at ``paths`` with their search and similarity rows; the duplicate
    groups they left. Found by path, then deleted by id: nothing is done for unknown paths.
    ``removed``, when given, is told each id removed with its path (a loaded list still holds
    those rows until it is patched, and reads their paths by id)."""
    found = ids_at(conn, paths)
    ids = list(found.values())
    if not ids:
        return set()
    if removed is not None:
        removed.update(zip(ids, found))
    stale = similar_store.forget(conn, ids)
    params = [(at,) for at in ids]
    conn.executemany("DELETE FROM search WHERE rowid = ?", params)
    conn.executemany("DELETE FROM articles WHERE id = ?", params)
    return stale


def store_skips(
    conn: sqlite3.Connection, skips: list[FileInfo], removed: dict[int, str] | None = None
) -> set[int]:
    """Record files that cannot be articles (and forget the articles they were)."""
    if not skips:
        return set()
    stale = delete_articles(conn, [s.path for s in skips], removed)
    conn.executemany("INSERT OR REPLACE INTO skipped VALUES (?, ?, ?, ?)", skips)
    return stale


def store_rows(
    conn: sqlite3.Connection,
    full_texts: FullTextStore,
    rows: list[ArticleRow],
    stale: set[int],
    removed: dict[int, str] | None = None,
    pending: bool = False,
) -> tuple[set[int], dict[int, Signature]]:
    """Store ``rows``: the groups left (with ``stale``) and the stored ids' signatures.
    With ``pending``, their sameness keys wait to be grouped (see :mod:`reader.pending_groups`)."""
    paths = [r.path for r in rows]
    downloaded = full_texts.texts([r.url for r in rows if r.url and not r.body])
    fetched = {url: markdown_to_text(text) for url, text in downloaded.items()}
    conn.executemany("DELETE FROM skipped WHERE path = ?", ((p,) for p in paths))
    stale = stale | delete_articles(conn, paths, removed)
    # The body goes to search, the signature to the similarity tables.
    conn.executemany(INSERT_ARTICLE, (r[:STORED] for r in rows))
    ids = ids_at(conn, paths)
    conn.executemany(
        "INSERT INTO search (rowid, title, excerpt, provider, body) VALUES (?, ?, ?, ?, ?)",
        (
            (
                ids[r.path],
                r.title,
                r.excerpt,
                f"{r.provider} {r.domain}",
                r.body or fetched.get(r.url or "", ""),
            )
            for r in rows
            if r.path in ids
        ),
    )
    added = {ids[r.path]: r.signature for r in rows if r.path in ids}
    texts = {ids[r.path]: (r.title, r.excerpt) for r in rows if r.path in ids}
    similar_store.add(conn, added, texts, pending)
    return stale, added


BULK_CACHE_KIB = 64 * 1024
"""SQLite's page cache while many files are stored (2 MiB otherwise)."""
BULK_FULL_TEXT = {"automerge": (16, 4), "crisismerge": (64, 16), "hashsize": (8 << 20, 1 << 20)}
"""The full-text tables' settings while many files are stored, and after (FTS5's defaults).
``crisismerge`` stays above ``automerge``: at 16 both, a level's 16th segment made FTS5 merge
them all at once, a 12 s stall in a million."""
FULL_TEXT_TABLES = ("search", "similar")


@contextmanager
def bulk_writes(conn: sqlite3.Connection, lock: AbstractContextManager) -> Iterator[None]:
    """Let SQLite write more at a time, and without waiting for the disk, while a scan stores
    many files.

    ``synchronous = OFF`` lets a checkpoint hand its pages to the system
    without waiting for the disk. With WAL, the reader dying loses nothing
    committed; only the machine losing power mid-build could damage the file,
    and the index is a cache: a damaged one is found on open and rebuilt
    (:mod:`reader.index_db`). Once the build is over the usual ``NORMAL``
    comes back, and with it the wait at each checkpoint.

    A bigger page cache keeps the indexes' pages between batches instead of reading them
    again from the system (the storing process spent a fifth of its time copying pages in
    and out at a million). The full-text tables gather 8 MiB of terms before writing them
    out, and merge their segments 16 at a time instead of 4: a million rows stored in both
    in 47 s instead of 71, with searches as fast (``benchmarks/RESULTS.md``).
    """
    usual = -2000
    with lock, suppress(sqlite3.Error):  # ``lock``: the connection is shared with searches
        conn.execute("PRAGMA synchronous = OFF")
        usual = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        _full_text_settings(conn, 0)
    try:
        yield
    finally:
        with lock, suppress(sqlite3.Error):
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA cache_size = {usual}")
            _full_text_settings(conn, 1)


def _full_text_settings(conn: sqlite3.Connection, which: int) -> None:
    """Each full-text table's :data:`BULK_FULL_TEXT` settings: 0 while storing many, 1 after.
    Kept in the tables themselves, so written in a transaction of their own."""
    with conn:
        for table in FULL_TEXT_TABLES:
            for name, values in BULK_FULL_TEXT.items():
                conn.execute(
                    f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)", (name, values[which])
                )


def optimize_full_text(conn: sqlite3.Connection) -> None:
    """Merge each full-text table into one segment (FTS5's ``optimize``), at the end of a build,
    while it says so: the segments a build leaves (its merge settings, see
    :data:`BULK_FULL_TEXT`) were merged by the next small write instead, the first start after
    100 changed files at a million storing its 30 removals in 4.7 s (30-70 ms later). It takes
    12 s at a million (1.2 s at 100,000). A table a transaction of its own: a stop rolls back
    the one it cut, and the next writes merge what is left."""
    for table in FULL_TEXT_TABLES:
        with conn:
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


PROGRESS_STEPS = 20000
"""SQLite steps between two looks at the stop while a batch is stored (well under a millisecond)."""


@contextmanager
def stoppable(conn: sqlite3.Connection, stop: threading.Event | None) -> Iterator[list[bool]]:
    """Around one store: ends it (rolled back) as soon as ``stop`` is set, instead of waiting.

    A batch at a million articles takes most of a second to store on a busy
    machine, and quitting must not wait for it. SQLite asks a progress handler
    every few thousand steps whether to go on; the batch's transaction is then
    rolled back, and the next scan parses those files again. The list yielded
    holds True afterwards when the stop cut the store short. (Not
    ``Connection.interrupt`` from another thread: its flag outlives the
    statement it was meant for while another one is open.)
    """
    interrupted: list[bool] = []
    if stop is None:
        yield interrupted
        return
    conn.set_progress_handler(stop.is_set, PROGRESS_STEPS)
    try:
        yield interrupted
    except sqlite3.OperationalError as exc:
        if not stop.is_set() or not _is_interrupt(exc):
            raise
        interrupted.append(True)
    finally:
        conn.set_progress_handler(None, 0)


def _is_interrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_INTERRUPT or "interrupted" in str(exc)
