"""The index's questions beyond the list itself: search, and articles like or equal to another.

A mixin of :class:`reader.index.Index`, kept apart so that the index's own
module stays about storing and scanning. Every method takes the index's lock:
the scan worker writes through the same connection. No Textual.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from reader import index_db, prefix_answers, prefix_terms, search_halves, similar_store
from reader.entry import Entry, EntryDecoder, entry_keys, rows_apart
from reader.index_db import in_use
from reader.index_schema import BULK_QUERY, COLUMNS, bulk_query
from reader.side_reads import SideReads

if TYPE_CHECKING:
    import numpy as np

    from reader.key_hashes import KeyTable

APART_CHUNK = 5_000
"""Row ids read and decoded at a time by :meth:`IndexReads.entries_apart`: the texts of a chunk
and their decoded columns are held beside the entries so far (20,000: 10 MiB more at the load's
peak than 5,000, for no less time)."""
_T = TypeVar("_T")
CHUNK_QUERY = BULK_QUERY + " WHERE id > ? AND id <= ?"
ROWS_APART_QUERY = bulk_query(frozenset({"title", "path"})) + " WHERE id > ? AND id <= ?"
"""A chunk of the whole list, its titles and paths left in the index (see
``IndexReads.entries_apart``)."""
ROWS_KEYED_QUERY = bulk_query(frozenset({"title"}), keyed=True) + " WHERE id > ? AND id <= ?"
"""A chunk of a long list, its titles left in the index, its URLs (and the paths of the rows
without one) read to be hashed (see ``IndexReads.entries_apart``)."""
KEYS_APART_FROM = 20_000
"""Lists with ids this high leave their URLs in the index too, their keys hashed (see
:mod:`reader.key_hashes`): shorter ones hold them (no numpy loaded for them at a start)."""
TITLES_BY_LIST = 20_000
"""Up to this many titles (or paths) are read by their ids (see ``IndexReads.titles_by_id``)."""
TITLES_RANGE = 50_000
"""The ids a query reads the titles (or paths) of when many are asked for."""
REMOVED_KEPT = 100_000
"""The articles removed lately whose paths the index keeps in memory (see ``Index.removed``):
a loaded list is patched within seconds of a removal, and holds the rows removed until then."""
MATCHES_BYTES = 12 << 20
"""How much of the last searches' matching ids :meth:`IndexReads.match_array` keeps: the eight
keys of a two-word search typed letter by letter at a million articles (its first two letters
match nearly every article: 4 MiB each)."""

WRITE_WAIT = 0.05
"""How long a search waits for the index's connection before it reads on one of its own (see
``IndexReads._match_beside_write``): longer than a look-up holds it, far shorter than a store."""


class Filed(NamedTuple):
    """What the feeds listing needs of an article: where it is filed, its provider and URL
    (:func:`reader.entry.entry_key` reads it as it reads an entry)."""

    path: str
    provider: str
    url: str | None


class IndexReads:
    """Search and similarity over an open index (``conn`` and ``_lock`` come from the index)."""

    conn: sqlite3.Connection
    _lock: threading.RLock
    _counted: tuple[object, int]
    _side: SideReads | None
    _searches_beside: SideReads | None
    _titles_beside: SideReads | None
    _row_types: tuple[type[Entry], type[Entry]] | None = None
    _key_table: KeyTable | None = None
    removed: dict[int, str]
    _matched: dict[tuple, np.ndarray]
    _heads: dict[object, object]
    _upper_half: search_halves.UpperHalf | None = None
    _prefixes: prefix_answers.PrefixAnswers
    bulk_indexing: bool
    file_id: tuple[int, int] | None
    db_path: Path | None

    def entries_apart(
        self,
        chunk: int = APART_CHUNK,
        between: Callable[[], object] | None = None,
        decoder: EntryDecoder | None = None,
    ) -> list[Entry]:
        """:meth:`entries`, read on a connection of its own to the index file, a chunk at a time.

        A scan storing files meanwhile then never waits for this read (the
        connection's lock is held while SQLite builds the rows), nor this for
        the scan: the whole list loads beside the start's scan. One read
        transaction sees the index before or after each of the scan's
        transactions, never a part of one; the scan's changes are patched in
        afterwards. In chunks of ``chunk`` row ids, each decoded in a few
        milliseconds (and little memory): one JSON array per column of every row held the
        interpreter lock for tenths of a second (seconds at a million rows),
        and the screen painted and took keys only between them. ``between`` is called before
        each chunk: it may hold the read up while something more urgent runs. ``decoder``, when
        given, decodes them (and numbers their topics, see :class:`EntryDecoder`).

        The rows leave their titles and paths in the index (see
        :func:`reader.entry.rows_apart`): the list reads those of the rows it shows, by id, on a
        connection of their own. A long list's rows leave their URLs there too, their keys'
        hashes kept by id for the marks (:class:`reader.key_hashes.KeyTable`).
        """
        if self.db_path is None:
            return self.entries()
        try:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error:
            return self.entries()
        try:
            conn.execute("BEGIN")  # one snapshot for every chunk
            top = conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
            entries: list[Entry] = []
            if decoder is None:  # one for every chunk: a provider's name is one string in all
                decoder = EntryDecoder()
            keyed = top >= KEYS_APART_FROM
            query, decoder.keys = ROWS_KEYED_QUERY if keyed else ROWS_APART_QUERY, None
            for low in range(0, top, chunk):
                if between is not None:
                    between()
                if keyed and decoder.keys is None:
                    # numpy loads here, once ``between`` has let the first chunk go: it held
                    # the first screen's paint for tenths of a second made before it.
                    from reader.key_hashes import KeyTable

                    decoder.keys = KeyTable(top)
                count, *texts = conn.execute(query, (low, low + chunk)).fetchone()
                if count:
                    entries += decoder.decode(count, texts, self.row_type(keyed))
                del texts
            if decoder.keys is not None:
                self._key_table = decoder.keys
            return entries
        except (sqlite3.Error, ValueError):  # an SQLite without JSON, an odd value
            return self.entries()
        finally:
            conn.close()

    def row_type(self, keyed: bool = False) -> type[Entry]:
        """The type of the rows :meth:`entries_apart` reads: their titles read by
        :meth:`titles_by_id`, their paths by :meth:`paths_by_id`, and (``keyed``, a long list)
        their URLs by :meth:`urls_by_id`, their keys' hashes from the table taken as they were
        read. One per index, so that a row reads the index it came from."""
        kinds = self._row_types
        if kinds is None:
            kinds = self._row_types = (
                rows_apart(self.titles_by_id, self.paths_by_id, self.ids_at),
                rows_apart(
                    self.titles_by_id,
                    self.paths_by_id,
                    self.ids_at,
                    self.urls_by_id,
                    self._key_hashes,
                ),
            )
        return kinds[keyed]

    def _key_hashes(self, ids: np.ndarray) -> np.ndarray:
        """The hashes of the keys of rows ``ids``, as the last long list read apart took them
        (0 for none: see :mod:`reader.key_hashes`)."""
        table = self._key_table
        if table is None:
            import numpy as np

            return np.zeros(len(ids), dtype=np.int64)
        return table.of(ids)

    def urls_by_id(self, ids: list[int]) -> dict[int, str | None]:
        """The URLs of the rows with ``ids`` (None for a row without one), read as
        :meth:`titles_by_id` reads."""
        return self._by_id("url", ids)  # type: ignore[return-value]

    def paths_by_id(self, ids: list[int]) -> dict[int, str]:
        """The paths of the rows with ``ids``: as last committed, else as they were when this
        index removed them lately (see ``Index.removed``); read as :meth:`titles_by_id` reads."""
        found = self._by_id("path", ids)
        if len(found) < len(ids):
            removed = self.removed  # written by the scan's thread: each look-up one step
            gone = ((at, removed.get(at)) for at in ids if at not in found)
            found.update((at, path) for at, path in gone if path is not None)
        return found

    def ids_at(self, paths: list[str]) -> dict[str, int]:
        """The ids of the rows the index holds now for ``paths`` (those it holds), on the titles'
        connection."""
        found: dict[str, int] = {}
        try:
            for at in range(0, len(paths), 500):
                part = paths[at : at + 500]
                query = f"SELECT path, id FROM articles WHERE path IN ({','.join('?' * len(part))})"
                found.update(self._titles_read(query, part))
        except (sqlite3.Error, ValueError):
            pass
        return found

    def file_keys(self, paths: Iterable[str]) -> set[str | int]:
        """Every :func:`reader.entry.file_key` a loaded row of a file at ``paths`` may have: the
        paths, the ids the index holds for them now, and those of their rows removed lately
        (what a loaded list drops when it is patched for ``paths``)."""
        wanted = set(paths)
        keys: set[str | int] = set(wanted)
        keys.update(self.ids_at(list(wanted)).values())
        removed = dict(self.removed)  # a copy made in one step: the scan's thread adds to it
        keys.update(at for at, path in removed.items() if path in wanted)
        return keys

    def titles_by_id(self, ids: list[int]) -> dict[int, str]:
        """The titles of the rows with ``ids``, as last committed; those it cannot read (the
        index closed or replaced, the row gone) left out.

        On a connection of their own: the list asks for them on the screen's thread, and the
        detail pane's look-ups hold the side connection for seconds. Up to
        :data:`TITLES_BY_LIST` ids, or ids far between, are asked for by list, 500 a query;
        more are read as ranges of ids, each taken as a whole: a million titles in 0.7 s
        rather than 1.3 s. The connection is let go between queries, so a title on screen
        waits for one, not all.
        """
        return self._by_id("title", ids)

    def _by_id(self, column: str, ids: list[int]) -> dict[int, str]:
        """``column`` of the rows with ``ids`` (see :meth:`titles_by_id`)."""
        found: dict[int, str] = {}
        low, high = (min(ids), max(ids)) if ids else (0, 0)
        select = f"SELECT id, {column} FROM articles WHERE"
        if len(ids) <= TITLES_BY_LIST or len(ids) * 4 < high - low:  # few, or far between
            asks = [
                (f"{select} id IN ({','.join('?' * len(part))})", part)
                for part in (ids[at : at + 500] for at in range(0, len(ids), 500))
            ]
            wanted = None
        else:
            asks = [
                (f"{select} id >= ? AND id < ?", [at, at + TITLES_RANGE])
                for at in range(low, high + 1, TITLES_RANGE)
            ]
            wanted = set(ids)
        try:
            for query, values in asks:
                rows = self._titles_read(query, values)
                found.update(rows if wanted is None else (r for r in rows if r[0] in wanted))
        except (sqlite3.Error, ValueError):  # closed, or a file put in the index's place
            pass
        return found

    def _titles_read(self, query: str, values: list) -> list[tuple]:
        side = self._titles_beside
        with side.connection() if side is not None else nullcontext() as conn:
            if conn is not None:
                return conn.execute(query, values).fetchall()
        with self._lock:
            return self.conn.execute(query, values).fetchall()

    def count(self) -> int:
        """How many articles the index holds (see :func:`reader.index_db.article_count`)."""
        return index_db.article_count(self.conn)

    def version(self) -> tuple[int, int, int]:
        """What changes whenever the index may have: a write through this connection, or a
        commit by another (another process's included). Called under the lock."""
        data_version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return id(self.conn), self.conn.total_changes, data_version

    def _kept_head(self, key: tuple, read: Callable[[], object]) -> object:
        """``read()``'s answer, kept while the index stays as it is (see :meth:`version`).

        At a million articles, the count and an order's head cost 25 ms each on a connection
        whose cache does not hold them: an `s` pressed while the other order is still sorted
        shows that order's head (see :mod:`reader.components.order_wait`), which the first
        screen read already. Called under the lock.
        """
        version = self.version()
        if self.conn.in_transaction:  # a rollback would not change the version
            return read()
        kept = self._heads
        if kept.get("version") != version:
            kept = self._heads = {"version": version}
        if key not in kept:
            kept[key] = read()
        return kept[key]

    def list_size(self) -> tuple[int, int]:
        """How many rows the whole list has: ``(articles, stories)``, a story's copies one row.

        Read from the indexes alone (the grouped rows through their own partial
        index), so the first screen's title is right before every row is loaded.
        """
        with self._lock:
            return self._kept_head(("size",), self._list_size)  # type: ignore[return-value]

    def _list_size(self) -> tuple[int, int]:
        total = self.count()
        grouped, stories = self.conn.execute(
            "SELECT count(*), count(DISTINCT dup_group) FROM articles WHERE dup_group IS NOT NULL"
        ).fetchone()
        return total, total - grouped + stories

    def page(self, key: str, reverse: bool = False, limit: int = 200) -> list[Entry]:
        """The first ``limit`` entries in a list order, read through the order's SQL index.

        The same order as :func:`reader.ordering.sort_entries` over every entry
        (``key`` is a :class:`~reader.ordering.SortKey` value), but its cost is
        that of ``limit`` rows, not of the cache: the first screen of a big
        cache is painted from this while everything else is still loading.
        """
        column = "published" if key == "date" else "quality"
        forward = "published DESC, id" if key == "date" else "quality DESC, published DESC, id"
        if not reverse:  # one scan of the order's index: unknown values sort last under DESC
            queries = [(f"ORDER BY {forward}", limit)]
        else:  # the known part flipped, then the unknown part as in the forward order
            backward = "published, id DESC" if key == "date" else "quality, published, id DESC"
            queries = [
                (f"WHERE {column} IS NOT NULL ORDER BY {backward}", limit),
                (f"WHERE {column} IS NULL ORDER BY published DESC, id", limit),
            ]

        def read() -> tuple[Entry, ...]:
            rows: list[tuple] = []
            for clause, _ in queries:
                wanted = limit - len(rows)
                if wanted <= 0:
                    break
                rows += self.conn.execute(
                    f"SELECT {COLUMNS} FROM articles {clause} LIMIT ?", (wanted,)
                ).fetchall()
            return tuple(map(Entry._make, rows))

        with self._lock:
            return list(self._kept_head(("page", key, reverse, limit), read))  # type: ignore[call-overload]

    def search(self, expression: str) -> list[str]:
        """Paths of the articles matching an FTS5 ``expression``, best match first."""
        try:
            with self._lock:
                rows = self.conn.execute(
                    "SELECT a.path FROM search JOIN articles a ON a.id = search.rowid"
                    " WHERE search MATCH ? ORDER BY rank",
                    (expression,),
                ).fetchall()
        except sqlite3.OperationalError:
            return []  # an expression FTS5 cannot read matches nothing
        return [row[0] for row in rows]

    def match_ids(self, expression: str) -> set[int]:
        """Row ids of the articles matching an FTS5 ``expression``, unranked (fast: no scoring):
        :meth:`match_array`'s answer as a set, for the hide rules and ``list QUERY``."""
        return set(self.match_array(expression).tolist())

    def match_array(self, expression: str) -> np.ndarray:
        """The row ids of the articles matching an FTS5 ``expression``, unranked, as an array,
        for filtering a list in array operations (empty when FTS5 cannot read it).

        A one-letter prefix matches nearly every article: at 1,000,000, the text of their ids is
        read into an array in 13 ms, where decoding it and making a set of it took 120.

        The last answers (up to :data:`MATCHES_BYTES`) are kept while the index stays as it is
        (no write through this connection or another): a search typed again, with a qualifier
        added or a letter taken back, finds its ids at once, where FTS5 took 55-65 ms for a
        one-letter prefix at a million. A big index's search is read in two halves at once
        (see :meth:`_matching_ids`).
        """
        import numpy as np

        try:
            if not self._lock.acquire(timeout=WRITE_WAIT):  # a store holds the index
                found = self._match_beside_write(expression)
                if found is not None:
                    return found
                self._lock.acquire()
            try:
                return self._match_kept(expression)
            finally:
                self._lock.release()
        except sqlite3.OperationalError:
            return np.zeros(0, dtype=np.int64)  # an expression FTS5 cannot read matches nothing

    def _match_kept(self, expression: str) -> np.ndarray:
        """:meth:`match_array` on the index's connection, from the answers kept when it can.
        Called under the lock."""
        import numpy as np

        key = (expression, *self.version())
        found = self._short_prefix(expression, key[1:])
        if found is not None:
            return found
        found = self._matched.pop(key, None)
        if found is not None:  # the newest again
            self._matched[key] = found
        else:
            found = self._matching_ids(expression)
            if found.size and found.max() < 2**31:  # half the memory while kept
                found = found.astype(np.int32)
            found.flags.writeable = False  # shared by whoever asks again
            if not self.conn.in_transaction:  # a rollback would not change the key
                self._matched = _kept_matches(self._matched, key, found)
        return found

    def _match_beside_write(self, expression: str) -> np.ndarray | None:
        """:meth:`match_array` read on a connection of its own while a store holds the index's
        connection; None where there is none, or where it would wait too (the caller waits for
        the lock then).

        A key typed while thousands of changed files were stored waited for the store: 1.3 s
        at 100,000 articles. The index is in WAL mode: the other connection reads what was last
        committed, which is what the list shows (it takes the files in once they are stored).
        """
        if self._searches_beside is None:
            return None
        with self._searches_beside.connection() as conn:
            if conn is None:
                return None
            try:
                return search_halves.matching_ids(conn, prefix_terms.expanded(conn, expression))
            except sqlite3.OperationalError as exc:
                if in_use(exc):
                    return None
                raise

    def keep_prefixes(self) -> None:
        """Find the answers of a search's first letters ahead, and again behind the screen
        whenever a short search finds them stale (see :mod:`reader.prefix_answers`)."""
        self._prefixes.wanted = True
        self._prefixes.start(self._find_prefixes)

    def _short_prefix(self, expression: str, version: tuple) -> np.ndarray | None:
        """The kept answer of a one- or two-letter ``expression`` (None: not kept); a stale
        answer has it found again behind the screen. Called under the lock."""
        prefix = prefix_answers.short_prefix(expression)
        if prefix is None:
            return None
        found = self._prefixes.get(prefix, version)
        stale = self._prefixes.version() != version
        if found is None and stale and self._prefixes.wanted and not self.bulk_indexing:
            self._prefixes.start(self._find_prefixes)
        return found

    def _find_prefixes(self, stop: threading.Event) -> None:
        """Find and keep the short prefixes' answers for the index as it is now, on the side
        connection (none: nothing is found); dropped when the index changed meanwhile."""
        side = self._side
        if side is None:
            return
        with self._lock:
            if stop.is_set() or self.conn.in_transaction:  # closed, or a write not committed
                return
            version = self.version()
            count = index_db.article_count(self.conn)
            top = self.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
        if count < prefix_answers.WARM_FROM:
            self._prefixes.fill(version, {}, 0)  # a small index: nothing to find ahead
            return

        def asked(question: Callable[[sqlite3.Connection], _T]) -> _T | None:
            with side.connection() as conn:
                if conn is None:
                    return None
                try:
                    return question(conn)
                except sqlite3.Error:  # closed or interrupted: the index is closing
                    return None

        def listed(expression: str, above: int, up_to: int) -> np.ndarray | None:
            return asked(lambda conn: search_halves.matching_ids(conn, expression, above, up_to))

        def counted(expression: str) -> int | None:
            return asked(lambda conn: search_halves.matching_count(conn, expression))

        def keep(answers: dict[str, np.ndarray]) -> None:
            with self._lock:
                unchanged = not self.conn.in_transaction and self.version() == version
                if not stop.is_set() and unchanged:
                    self._prefixes.fill(version, answers, top + 1)

        answers = prefix_answers.find_answers(listed, counted, top, stop, keep)
        if answers is not None:
            keep(answers)

    def _matching_ids(self, expression: str) -> np.ndarray:
        """The ids matching ``expression``, the upper half of a big index's searched on a second
        connection meanwhile (see :mod:`reader.search_halves`). Called under the lock.

        Not split while this connection holds a transaction open: the other would not see its
        rows yet. A last word typed past the index's prefixes is asked as the words it starts
        (see :mod:`reader.prefix_terms`).
        """
        import numpy as np

        expression = prefix_terms.expanded(self.conn, expression)
        split = None
        if self.db_path is not None and not self.conn.in_transaction:
            split = search_halves.split_point(self.conn)
        if split is None:
            return search_halves.matching_ids(self.conn, expression)
        if self._upper_half is None:
            self._upper_half = search_halves.UpperHalf(self.db_path, self.file_id)
        upper = self._upper_half.search(expression, split)
        lower = search_halves.matching_ids(self.conn, expression, up_to=split)
        try:
            higher = upper.result()
        except sqlite3.Error:  # the second connection could not answer: this one does
            higher = search_halves.matching_ids(self.conn, expression, above=split)
        return np.concatenate((lower, higher))

    def filed_under(self, folder: str) -> Iterator[Filed]:
        """Path, provider and URL of every indexed article below ``folder`` (``/`` separated),
        read through the index on paths, one at a time as SQLite reads them: the feeds listing
        counts these, and a million whole entries cost seconds and hundreds of megabytes (the
        index's lock is held until the last is read)."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT path, provider, url FROM articles WHERE path >= ? AND path < ?",
                (folder + "/", folder + "0"),  # "0" sorts right after "/"
            )
            yield from map(Filed._make, rows)

    def url_hashes_under(self, folder: str) -> np.ndarray:
        """The ``hash`` of the URL of each indexed article below ``folder`` (``/`` separated),
        sorted: what a fetch looks an entry's URL up in before it writes it, rather than reading
        every file's head. 8 bytes an article, where the URLs themselves cost about 100."""
        import numpy as np

        query = "SELECT url FROM articles WHERE path >= ? AND path < ? AND url IS NOT NULL"
        bounds = (folder + "/", folder + "0")
        if self.db_path is None:
            with self._lock:
                hashes = np.fromiter(
                    (hash(u) for (u,) in self.conn.execute(query, bounds)), np.int64
                )
        else:  # seconds at a million: on a connection of its own, holding up no other read
            conn = sqlite3.connect(f"{self.db_path.absolute().as_uri()}?mode=ro", uri=True)
            try:
                hashes = np.fromiter((hash(u) for (u,) in conn.execute(query, bounds)), np.int64)
            finally:
                conn.close()
        hashes.sort()
        return hashes

    def entries_with_url(self, url: str) -> list[Entry]:
        """The indexed articles whose URL is exactly ``url``, in id order (the table searched
        in SQLite: a few tenths of a second at a million, where loading every entry took 5 s)."""
        with self._lock:
            rows = self.conn.execute(
                f"SELECT {COLUMNS} FROM articles WHERE url = ? ORDER BY id", (url,)
            )
            return list(map(Entry._make, rows))

    def entries_at(self, paths: list[str]) -> list[Entry]:
        """The indexed articles among ``paths`` (to update a loaded list after a small scan)."""
        found: list[Entry] = []
        with self._lock:
            for start in range(0, len(paths), 500):
                chunk = paths[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.conn.execute(
                    f"SELECT {COLUMNS} FROM articles WHERE path IN ({marks})", chunk
                )
                found += map(Entry._make, rows)
        table = self._key_table
        return found if table is None or not found else self._keyed(found, table)

    def _keyed(self, rows: list[Entry], table: KeyTable) -> list[Entry]:
        """``rows`` as a long list read apart holds them (see :meth:`entries_apart`), their keys'
        hashes added to ``table``: patched into that list, they are of its kind, and its marks
        are told the same way for all its rows (see :mod:`reader.key_hashes`)."""
        table.add([row.id for row in rows], entry_keys(rows))
        kind = self.row_type(keyed=True)
        return [
            tuple.__new__(kind, (at, at, *row[2:7], None if row.url is None else at, *row[8:]))
            for row in rows
            if (at := row.id) is not None
        ]

    def related(self, article_id: int, limit: int = 10) -> list[tuple[int, float]]:
        """The articles most like ``article_id`` as (id, score), best first, without its copies."""
        with self._aside() as conn:
            version = (id(conn), conn.total_changes, conn.execute("PRAGMA data_version").fetchone())
            if self._counted[0] != version:
                self._counted = (version, index_db.article_count(conn))
            try:
                return similar_store.related(conn, article_id, limit, self._counted[1])
            except sqlite3.OperationalError:
                return []

    def ids_for_urls(self, urls: Iterable[str]) -> dict[str, int]:
        """The cached article at each of ``urls`` (after normalisation), where there is one."""
        with self._aside() as conn:
            return similar_store.ids_for_urls(conn, urls)

    @contextmanager
    def _aside(self) -> Iterator[sqlite3.Connection]:
        """The connection for a worker's look-up beside the screen: the index's second one (see
        :mod:`reader.side_reads`), or its own under its lock where there is none, or while a
        scan's writes are not committed yet (only its own connection sees them)."""
        side = self._side
        if side is not None and not self.conn.in_transaction:
            with side.connection() as conn:
                if conn is not None:
                    yield conn
                    return
        with self._lock:
            yield self.conn

    def entries_by_id(self, ids: Iterable[int]) -> dict[int, Entry]:
        """The indexed articles with ``ids``."""
        wanted = list(dict.fromkeys(ids))
        found: dict[int, Entry] = {}
        with self._aside() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT {COLUMNS} FROM articles WHERE id IN ({marks})", chunk
                ):
                    entry = Entry._make(row)
                    found[entry.id] = entry
        return found


def _kept_matches(kept: dict[tuple, np.ndarray], key: tuple, found: np.ndarray) -> dict:
    """``kept`` with ``found`` added as the newest, less the oldest beyond :data:`MATCHES_BYTES`
    and those of another version of the index (``key`` is the expression, then the version)."""
    newest = [(key, found)]
    size = found.nbytes
    for old_key, ids in reversed(kept.items()):
        size += ids.nbytes
        if old_key[1:] != key[1:] or size > MATCHES_BYTES:
            break
        newest.append((old_key, ids))
    return dict(reversed(newest))
