"""The persistent SQLite index of a cache directory.

Parsing every file at each start would take half a minute on a big cache, so
what the sidebar and the list need is kept in ``.newsreader/index.sqlite3``,
keyed by the file's path relative to the cache with its size and mtime. A
scan re-parses only files whose size or mtime changed, in worker processes
when there are many. An index from another schema version, or one SQLite
cannot read, is thrown away and rebuilt: it is a cache, never the truth. One
that cannot be written is left alone and the run indexes in memory
(:mod:`reader.index_db`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from reader import filecheck, index_db, index_store, pending_groups, search_halves
from reader.article_text import markdown_to_text
from reader.entry import Entry, entries_from_json
from reader.filecheck import (
    FOLDERS_TABLE,
    FileDiff,
    FileInfo,
    FolderTimes,
    PendingDiff,
    compare,
    folders_compare,
    recorded_folders,
)
from reader.fulltext.store import FullTextStore
from reader.index_reads import REMOVED_KEPT, IndexReads
from reader.index_rows import ArticleRow, ParseJob, parse_files
from reader.index_schema import (
    BULK_QUERY,
    COLUMNS,
    COUNTED,
    PROBES,
    SCHEMA,
    SCHEMA_VERSION,
)
from reader.paths import OWN_DIR_NAME
from reader.prefix_answers import PrefixAnswers
from reader.side_reads import SideReads
from reader.similarity import Signature

BULK_FILES = 2000
"""From this many files to parse, a scan counts as building the index (see ``bulk_indexing``)."""
GROUP_LATER_FROM = 20_000
"""From this many files to parse, a scan groups duplicates once at its end, not per batch (see
:mod:`reader.pending_groups`)."""
CLOSE_WAIT = 2.0
"""How long closing the index waits for a statement another thread runs on its connection."""
BATCH = 2000
"""Parsed files stored per transaction: what a stop or a failed write loses at most."""
FIRST_BATCH = 200
"""The first batch of a scan is this small, so that a cold start lists articles sooner."""


class Skip(NamedTuple):
    """A file that was not loaded, and why."""

    path: str
    reason: str


@dataclass
class ScanResult:
    """What a scan changed; the caller reloads entries when ``changed``."""

    parsed: int = 0
    removed: int = 0
    total_files: int = 0
    touched: list[str] = field(default_factory=list)
    """Paths that were added, changed or removed (what a loaded list must update)."""
    skipped: list[Skip] = field(default_factory=list)
    regrouped: list[str] = field(default_factory=list)
    """Unchanged articles whose duplicate group changed (a copy of their story came or went)."""
    stopped: bool = False
    """The scan was asked to stop before every file was parsed; the next scan parses the rest."""

    @property
    def changed(self) -> bool:
        """Whether the index differs from before the scan."""
        return bool(self.parsed or self.removed)


def merged(first: ScanResult, then: ScanResult) -> ScanResult:
    """One result for two scans made one after the other (the skips as the second left them)."""
    known = set(first.touched)
    return ScanResult(
        parsed=first.parsed + then.parsed,
        removed=first.removed + then.removed,
        total_files=first.total_files,
        touched=first.touched + [path for path in then.touched if path not in known],
        skipped=then.skipped,
        regrouped=first.regrouped + then.regrouped,
        stopped=first.stopped or then.stopped,
    )


ProgressFn = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are parsed."""


def start_diff(index: Index, first: bool = False) -> PendingDiff | None:
    """Compare the files with ``index`` in a helper process; None for in-memory indexes.
    ``first``: by folder times first, on a big index (see :data:`filecheck.FIRST_FLAG`)."""
    if index.db_path is None:
        return None
    root, db_path = str(index.root), str(index.db_path)
    return filecheck.start(root, db_path, by_folders=index.by_folders, first=first)


class Index(IndexReads):
    """The index of one folder of articles, on disk or (for read-only places) in memory."""

    def __init__(self, root: Path, db_path: Path | None) -> None:
        self.root = root
        self.db_path = db_path
        self._lock = threading.RLock()  # one connection, shared by the scan worker and searches
        self.problem = ""
        """Why the index is kept in memory this run though it has a file (empty when it is not)."""
        self.conn = self._open()
        self.file_id = None if self.db_path is None else search_halves.file_id(self.db_path)
        """The index file's device and inode as it was opened (see :mod:`reader.search_halves`)."""
        self.bulk_indexing = False
        """Whether a scan is storing many files now: related look-ups wait for it to end (the
        similarity tables are incomplete, and a look-up would slow the storing)."""
        self._counted: tuple[object, int] = (None, 0)
        """The version of the index an article count was made at, and that count (related
        look-ups reuse it)."""
        self._matched: dict = {}
        """The last few searches' matching ids, for the index as it was (see ``match_array``)."""
        self._heads: dict = {}
        """The list's size and the orders' heads last read, with the index's version then."""
        self._upper_half = None
        """The second connection a big index's searches are split with (opened when needed)."""
        self._prefixes = PrefixAnswers()
        """A big index's first letters' matches, found ahead (see :meth:`keep_prefixes`)."""
        self._side = None if self.db_path is None else SideReads(self.db_path, self.file_id)
        """The connection the detail pane's look-ups read on (see :mod:`reader.side_reads`)."""
        self._searches_beside = (
            None if self.db_path is None else SideReads(self.db_path, self.file_id)
        )
        """The connection a search reads on while a store holds the index's (``match_array``)."""
        self._titles_beside = (
            None if self.db_path is None else SideReads(self.db_path, self.file_id)
        )
        """The connection the titles of the rows on screen are read on (``titles_by_id``)."""
        self.removed: dict[int, str] = {}
        """The ids of the articles removed lately, with their paths, oldest first (at most
        :data:`REMOVED_KEPT`): a loaded list holds their rows until it is patched, and those
        read their paths by id (see ``paths_by_id``)."""
        self.full_texts = FullTextStore(root)
        """Downloaded article pages: searched as the body of articles that have none."""
        self.by_folders = False
        """Whether a scan compares only the files of folders whose time changed (config.toml's
        ``check = "folders"``, see :func:`reader.filecheck.folders_compare`)."""

    # --- opening ---------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """Open the index: rebuilt when damaged or of another version, in memory when unusable."""
        opened = index_db.open_index(self.db_path, SCHEMA, SCHEMA_VERSION, PROBES, COUNTED)
        self.db_path, self.problem = opened.path, opened.problem
        return opened.conn

    def in_memory(self, problem: str) -> Index:
        """A copy of this index in memory, for the rest of a run its file cannot take writes."""
        copy = Index(self.root, None)
        copy.conn.close()
        with self._lock:
            copy.conn = index_db.memory_copy(self.conn, SCHEMA, SCHEMA_VERSION, PROBES, COUNTED)
        copy.problem = problem
        return copy

    def close(self) -> None:
        """Close the database connection (and the one searches are split with)."""
        self._prefixes.close()
        if self._upper_half is not None:
            self._upper_half.close()
        for side in (self._side, self._searches_beside, self._titles_beside):
            if side is not None:
                side.close()
        # A thread's statement on this connection (the prefixes' version, a few milliseconds)
        # ends first: closed under it, SQLite crashes the process. Not for ever, though.
        locked = self._lock.acquire(timeout=CLOSE_WAIT)
        try:
            self.conn.close()
        finally:
            if locked:
                self._lock.release()

    # --- reading ----------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every indexed article, in no particular order."""
        try:
            return self._entries_in_bulk()
        except (sqlite3.OperationalError, ValueError):  # an SQLite without JSON, or an odd value
            rows = self.conn.execute(f"SELECT {COLUMNS} FROM articles").fetchall()
            return list(map(Entry._make, rows))

    def _entries_in_bulk(self) -> list[Entry]:
        """:meth:`entries` read as one JSON array per column.

        Fetched row by row, 100,000 rows cost 100,000 round trips between
        SQLite and Python, each giving up and taking back the interpreter lock
        that the starting UI needs too. One aggregate row is built by SQLite
        alone, decoded by the C JSON parser, and zipped into entries in C:
        about half the time, and far less time holding the lock.
        """
        with self._lock:
            count, *texts = self.conn.execute(BULK_QUERY).fetchone()
        return entries_from_json(count, texts) if count else []

    def skipped(self) -> list[Skip]:
        """Every file the last scan could not load, with its reason."""
        rows = self.conn.execute("SELECT path, reason FROM skipped ORDER BY path").fetchall()
        return list(map(Skip._make, rows))

    def urls(self) -> set[str]:
        """The URLs of every indexed article (the importer's duplicate check)."""
        return {
            row[0] for row in self.conn.execute("SELECT url FROM articles WHERE url IS NOT NULL")
        }

    # --- scanning ---------------------------------------------------------------

    def scan(
        self,
        progress: ProgressFn | None = None,
        *,
        workers: int | None = None,
        diff: FileDiff | None = None,
        stop: threading.Event | None = None,
    ) -> ScanResult:
        """Bring the index up to date with the files, re-parsing only what changed.

        ``diff`` is a comparison made beforehand (by :func:`diff_files`, in
        another process while the UI starts); without it the files are walked here.
        Setting ``stop`` ends it within a tenth of a second, keeping what was parsed.
        """
        result = ScanResult()
        if diff is None:
            with self._lock:
                check = folders_compare if self.by_folders else compare
                diff = check(self.root, self.conn)
        changed, gone, result.total_files = diff.changed, diff.gone, diff.seen
        root = str(self.root)
        instant_skips = [c for c in changed if c.problem is not None]
        regrouped = self.store(gone=gone, skips=instant_skips)
        result.removed = len(gone)
        result.parsed = len(instant_skips)
        result.touched = gone + [skip.path for skip in instant_skips]
        result.touched += [c.path for c in changed if c.problem is None]
        # Made as the parser processes take them: a million at once cost ~90 MiB.
        jobs = (ParseJob(root, c.path, c.size, c.mtime_ns) for c in changed if c.problem is None)
        count = len(changed) - len(instant_skips)
        self._parse_all(jobs, count, result, progress, workers, stop)
        regrouped += result.regrouped
        if not result.stopped:
            grouped = self.group_pending(stop)
            result.stopped = grouped is None
            regrouped += grouped or []
        if count >= BULK_FILES and not result.stopped:
            result.stopped = not self.merge_full_text(stop)
        known = set(result.touched)
        result.touched += [path for path in dict.fromkeys(regrouped) if path not in known]
        result.skipped = self.skipped()
        if diff.folders is not None and not result.stopped:
            self.note_folders(diff.folders)
        return result

    def folders_first(self) -> FileDiff:
        """The check of a command that waits for it (``list``, ``mark``, ``related``): by folder
        times on an index of :data:`reader.filecheck.WHOLE_BELOW` articles or more (at any size
        with ``check = "folders"``), else every file: the reader's first look, which has a
        screen to check every file behind; a command has none."""
        with self._lock:
            whole_below = 0 if self.by_folders else filecheck.WHOLE_BELOW
            return folders_compare(self.root, self.conn, whole_below)

    def note_folders(self, folders: FolderTimes) -> None:
        """Record the folder times of a check by folders whose changes are all stored: the next
        one lists only the folders changed since (see :func:`reader.filecheck.folders_compare`).
        A file that refuses the write keeps its older records, which are still true: the
        folders changed since are listed again."""
        gone = [(rel + "/", rel + "0", rel) for rel in folders.gone if rel]
        if folders.whole and not gone and self._folders_recorded() == folders.times:
            return  # a small cache checked whole at each start: no write when nothing moved
        with suppress(sqlite3.Error), self._lock, self.conn:
            if folders.whole or "" in folders.gone:
                self.conn.execute(f"DELETE FROM {FOLDERS_TABLE}")
            self.conn.executemany(
                f"DELETE FROM {FOLDERS_TABLE} WHERE (path >= ? AND path < ?) OR path = ?", gone
            )
            self.conn.executemany(
                f"INSERT OR REPLACE INTO {FOLDERS_TABLE} VALUES (?, ?)", folders.times.items()
            )

    def _folders_recorded(self) -> dict[str, int]:
        with self._lock:
            return recorded_folders(self.conn)

    def store(
        self,
        rows: list[ArticleRow] | None = None,
        skips: list[FileInfo] | None = None,
        gone: list[str] | None = None,
        pending: bool = False,
    ) -> list[str]:
        """In one transaction: forget ``gone`` paths, record ``skips``, store parsed ``rows``.

        Returns the paths of other articles whose duplicate group changed with them (a new copy
        of a story joins the copies already there): a loaded list must re-read those too. With
        ``pending`` the rows are grouped later, by :meth:`group_pending`.
        """
        with self._lock, self.conn:
            stale = index_store.forget(self.conn, gone or [], skips or [], self.removed)
            added: dict[int, Signature] = {}
            if rows:
                stale, added = index_store.store_rows(
                    self.conn, self.full_texts, rows, stale, self.removed, pending
                )
            self._forget_removed()
            return index_store.regroup(self.conn, {} if pending else added, stale)

    def _forget_removed(self) -> None:
        """Keep :attr:`removed` to its last :data:`REMOVED_KEPT`."""
        extra = len(self.removed) - REMOVED_KEPT
        if extra > 0:
            for at in list(islice(self.removed, extra)):
                del self.removed[at]

    def store_unless(
        self,
        stop: threading.Event | None,
        rows: list[ArticleRow] | None = None,
        skips: list[FileInfo] | None = None,
        gone: list[str] | None = None,
        pending: bool = False,
    ) -> list[str] | None:
        """:meth:`store`, ended and rolled back as soon as ``stop`` is set: None then."""
        with self._lock, index_store.stoppable(self.conn, stop) as interrupted:
            regrouped = self.store(rows, skips, gone, pending)
        return None if interrupted else regrouped

    def group_pending(self, stop: threading.Event | None = None) -> list[str] | None:
        """Group the articles a long scan stored without grouping them (see
        :mod:`reader.pending_groups`): the paths whose group changed. None when ``stop`` cut it
        short: rolled back, left for the next scan's end."""
        with self._lock:
            if not pending_groups.has_pending(self.conn):
                return []
        self.bulk_indexing = True
        try:
            with (
                index_store.bulk_writes(self.conn, self._lock),
                self._lock,
                index_store.stoppable(self.conn, stop) as interrupted,
                self.conn,
            ):
                changed = pending_groups.group_pending(self.conn)
                paths = index_store.paths_of(self.conn, changed)
        finally:
            self.bulk_indexing = False
        return None if interrupted else paths

    def merge_full_text(self, stop: threading.Event | None = None) -> bool:
        """Merge the full-text tables a build wrote (see
        :func:`reader.index_store.optimize_full_text`); whether it ended (else ``stop`` cut it
        short). A file that refuses the write is left as it is."""
        with self._lock, index_store.stoppable(self.conn, stop) as interrupted:
            try:
                index_store.optimize_full_text(self.conn)
            except sqlite3.OperationalError:
                if stop is not None and stop.is_set():
                    raise  # an interrupt: stoppable() takes it
        return not interrupted

    def known(self, paths: list[str]) -> dict[str, tuple[int, int, str | None]]:
        """What the index last saw of ``paths``: size, mtime and the skip reason (None: an article).

        Looked up by path, so the cost is that of ``paths``, not of the index.
        """
        found: dict[str, tuple[int, int, str | None]] = {}
        with self._lock:
            for start in range(0, len(paths), 500):
                chunk = paths[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for path, size, mtime, reason in self.conn.execute(
                    f"SELECT path, size, mtime_ns, NULL FROM articles WHERE path IN ({marks})"
                    f" UNION ALL SELECT path, size, mtime_ns, reason FROM skipped"
                    f" WHERE path IN ({marks})",
                    chunk + chunk,
                ):
                    found[path] = (size, mtime, reason)
        return found

    def paths_under(self, folder: str) -> list[str]:
        """Indexed paths (articles and skips) inside ``folder`` (relative, ``/``-separated)."""
        low, high = folder.rstrip("/") + "/", folder.rstrip("/") + "0"  # '0' follows '/'
        with self._lock:
            rows = self.conn.execute(
                "SELECT path FROM articles WHERE path >= ? AND path < ?"
                " UNION SELECT path FROM skipped WHERE path >= ? AND path < ?",
                (low, high, low, high),
            ).fetchall()
        return [row[0] for row in rows]

    def add_full_texts(self, texts: dict[str, str]) -> None:
        """Make downloaded full texts (Markdown, by URL) searchable, for articles without a body.

        An index that refuses the write (locked, full) is left as it is: the
        texts are kept on disk, and a later scan of those articles adds them.
        """
        urls = list(texts)
        with suppress(sqlite3.Error), self._lock, self.conn:
            for start in range(0, len(urls), 500):
                chunk = urls[start : start + 500]
                found = self.conn.execute(
                    f"SELECT id, url FROM articles WHERE url IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                self.conn.executemany(
                    "UPDATE search SET body = ? WHERE rowid = ? AND body = ''",
                    ((markdown_to_text(texts[url]), rowid) for rowid, url in found),
                )

    def _parse_all(
        self,
        jobs: Iterable[ParseJob],
        total: int,
        result: ScanResult,
        progress: ProgressFn | None,
        workers: int | None,
        stop: threading.Event | None = None,
    ) -> None:
        """Parse the ``total`` ``jobs`` (in processes when there are many), stored a batch per
        transaction."""
        if not total:
            return
        self.bulk_indexing = total >= BULK_FILES
        later = total >= GROUP_LATER_FROM
        bulk = index_store.bulk_writes(self.conn, self._lock) if self.bulk_indexing else None
        results = parse_files(jobs, workers or os.cpu_count() or 1, stop, total)
        rows: list[ArticleRow] = []
        skips: list[FileInfo] = []
        done = stored = 0
        last_report = 0.0
        try:
            with bulk or nullcontext():
                for row in results:
                    (rows if isinstance(row, ArticleRow) else skips).append(row)
                    done += 1
                    batch = BATCH if stored else FIRST_BATCH
                    if len(rows) + len(skips) >= batch or done == total:
                        if stop is not None and stop.is_set():
                            break  # a stop does not wait for a batch to be stored: parsed again
                        regrouped = self.store_unless(stop, rows, skips, pending=later)
                        if regrouped is None:
                            break  # the stop came while storing: the batch was rolled back
                        result.regrouped += regrouped
                        stored, rows, skips = done, [], []
                    now = time.monotonic()
                    if progress and (now - last_report > 0.1 or done == total):
                        last_report = now
                        progress(done, total)
        finally:
            self.bulk_indexing = False
            results.close()  # ends the parser processes, even when storing failed
        result.parsed, result.stopped = result.parsed + stored, stored < total


def scan_anyway(
    index: Index,
    progress: ProgressFn | None = None,
    diff: FileDiff | None = None,
    stop: threading.Event | None = None,
) -> tuple[Index, ScanResult]:
    """Scan ``index``; when its file refuses a write, scan an in-memory copy instead.

    Another program may take the file, or the disk fill up, after it was
    opened: the scan then goes on in the copy (returned, with its
    ``problem`` saying why) and the file is left as it was. A damaged file
    still raises, for the caller to rebuild.
    """
    try:
        return index, index.scan(progress, diff=diff, stop=stop)
    except sqlite3.Error as exc:
        if index.db_path is None or index_db.is_damaged(exc):
            raise
        problem = f"{index_db.describe(exc, index.db_path)}: indexing in memory"
        copy = index.in_memory(problem)
        return copy, copy.scan(progress, stop=stop)


def index_path_for(root: Path) -> Path:
    """Where the index of ``root`` lives."""
    return root / OWN_DIR_NAME / "index.sqlite3"
