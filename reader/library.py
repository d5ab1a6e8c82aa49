"""The cache as a whole: which folder to read, and the views over its entries.

:class:`Source` decides what is read (the cache, or the bundled samples when
the cache holds no article) and keeps its index. :class:`Collection` holds
the loaded entries and answers the questions the list and sidebar ask:
sorted, filtered by topic and by text, topic counts. All of it is plain
Python so it can be tested, and timed, without a terminal.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from enum import Enum
from operator import attrgetter
from pathlib import Path

from reader import gc_pause
from reader.columns import Columns, flip_known
from reader.index import (
    FileDiff,
    Index,
    PendingDiff,
    ProgressFn,
    ScanResult,
    index_path_for,
    start_diff,
)
from reader.entry import Entry, has_topic
from reader.paths import SAMPLES_DIR, Locations
from reader.query import entry_checks, fts_expression, parse_query
from reader.scopes import topic_counts

_DATE = attrgetter("published")
_QUALITY = attrgetter("quality")


class SortKey(str, Enum):
    """The orders the list offers."""

    DATE = "date"
    QUALITY = "quality"

    @property
    def other(self) -> "SortKey":
        """The order ``s`` switches to."""
        return SortKey.QUALITY if self is SortKey.DATE else SortKey.DATE


def _date_key(entry: Entry) -> float:
    return entry.published if entry.published is not None else -math.inf


def sort_entries(entries: list[Entry], key: SortKey, reverse: bool = False) -> list[Entry]:
    """``entries`` in the order the list shows them.

    Date: newest first. Quality: highest first, ties newest first. ``reverse``
    flips the known values only: articles without a date (or quality) stay
    last either way, themselves newest first. Plain float keys and stable
    sorts keep this fast on 100,000 entries.
    """
    by_date = sorted(entries, key=_date_key, reverse=True)
    if key is SortKey.DATE:
        known = [e for e in by_date if e.published is not None]
        unknown = [e for e in by_date if e.published is None]
    else:
        known = [e for e in by_date if e.quality is not None]
        known.sort(key=lambda e: e.quality, reverse=True)  # stable: ties stay newest first
        unknown = [e for e in by_date if e.quality is None]
    if reverse:
        known.reverse()
    return known + unknown


@dataclass(frozen=True)
class TopicCount:
    """A sidebar line: a topic and how many articles carry it."""

    name: str
    count: int


class Collection:
    """Loaded entries with cached sorted orders, and the search over them."""

    def __init__(
        self,
        entries: list[Entry],
        search: Callable[[str], list[str]] | None = None,
        match: Callable[[str], set[int]] | None = None,
    ) -> None:
        self.entries = entries
        self._search = search
        """Ranked full-text search (FTS5 expression -> paths, best first); substring matching without it."""
        self._match = match
        """Unranked full-text search (FTS5 expression -> row ids): what filtering as you type uses."""
        self._sorted: dict[tuple[SortKey, bool], list[Entry]] = {}
        self._haystacks: dict[str, str] | None = None
        self._paths: dict[str, Entry] | None = None
        self._topic_views: dict[tuple[SortKey, bool, str], list[Entry]] = {}
        self._row_columns: dict[int, Columns] = {}
        """Filtering columns of recently filtered lists of rows, by the list's identity."""
        self._topic_names: dict[str, list[str]] | None = None
        """Every spelling of each topic in the files, by its casefolded name, most used first."""

    def __len__(self) -> int:
        return len(self.entries)

    def topics(self) -> list[TopicCount]:
        """Every topic with its count, most articles first, ties by name."""
        counts = topic_counts(self.entries)
        return [TopicCount(n, c) for n, c in sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))]

    def sorted(self, key: SortKey, reverse: bool = False) -> list[Entry]:
        """The entries in one order, computed once per order."""
        cached = self._sorted.get((key, reverse))
        if cached is None:
            if reverse:
                # Reversed is the forward order with its known part flipped (unknowns stay last):
                # a slice and a reversal instead of a second sort; the same for its filtering columns.
                forward = self.sorted(key)
                value = _DATE if key is SortKey.DATE else _QUALITY
                known = bisect_left(forward, True, key=lambda e: value(e) is None)
                cached = flip_known(forward, known)
                columns = self._row_columns.get(id(forward))
                if columns is not None and columns.rows is forward:
                    self._row_columns[id(cached)] = columns.flipped(cached, known)
            else:
                cached = sort_entries(self.entries, key)
            self._sorted[(key, reverse)] = cached
        return cached

    def warm(self, key: SortKey, reverse: bool = False) -> None:
        """Sort one order and make its filtering columns ahead of use (from a worker thread)."""
        self._columns(self.sorted(key, reverse)).prepare()

    def in_topic(self, key: SortKey, reverse: bool, topic: str) -> list[Entry]:
        """One topic's entries in one order, remembered so going back to a topic is instant."""
        cache_key = (key, reverse, topic)
        rows = self._topic_views.get(cache_key)
        if rows is None:
            if len(self._topic_views) > 64:
                self._topic_views.clear()
            rows = [e for e in self.sorted(key, reverse) if has_topic(e, topic)]
            self._topic_views[cache_key] = rows
        return rows

    def _spellings(self, name: str) -> list[str]:
        """Every spelling of a topic in the files, for a name typed in any case."""
        if self._topic_names is None:
            self._topic_names = {}
            for t in self.topics():
                self._topic_names.setdefault(t.name.casefold(), []).append(t.name)
        return self._topic_names.get(name.casefold(), [])

    def _haystack(self) -> dict[str, str]:
        if self._haystacks is None:
            self._haystacks = {
                e.path: f"{e.title}\n{e.provider}\n{e.domain}".casefold() for e in self.entries
            }
        return self._haystacks

    def _matching_paths(self, words: tuple[str, ...]) -> list[str]:
        """Paths matching every free word, best first: full-text search when the index offers it."""
        if self._search is not None:
            return self._search(fts_expression(words))
        hay = self._haystack()
        needles = [w.casefold() for w in words]
        return [e.path for e in self.entries if all(n in hay[e.path] for n in needles)]

    def view(
        self,
        key: SortKey,
        reverse: bool = False,
        topic: str | None = None,
        text: str = "",
        *,
        read: set[str] | None = None,
        starred: set[str] | None = None,
        relevance: bool = False,
    ) -> list[Entry]:
        """The entries for one sort, topic (None for all) and query (see :mod:`reader.query`).

        With ``relevance`` and free words in the query, the best matches come first
        instead of the sort order.
        """
        query = parse_query(text) if text.strip() else None
        topics = [topic] if topic is not None else []
        if query is not None and query.topics:
            # A typed topic spelled one way in the files becomes that exact name, filtered like the
            # sidebar's (fast, cached); one spelled several ways ("AI", "ai") stays in the query,
            # whose check ignores case, so that no spelling is left out.
            several = []
            for typed in query.topics:
                spellings = self._spellings(typed)
                if len(spellings) > 1:
                    several.append(typed)
                else:
                    topics.append(spellings[0] if spellings else typed)
            query = replace(query, topics=tuple(several))
        if query is not None and query.words and relevance:
            by_path = self._by_path()
            rows = [by_path[p] for p in self._matching_paths(query.words) if p in by_path]
            if reverse:
                rows.reverse()
            if topics:
                rows = [e for e in rows if all(has_topic(e, t) for t in topics)]
        else:
            rows = self.in_topic(key, reverse, topics[0]) if topics else self.sorted(key, reverse)
            for extra in topics[1:]:
                rows = [e for e in rows if has_topic(e, extra)]
            if query is not None:
                ids = None
                if query.words:
                    if self._match is not None:
                        ids = self._match(fts_expression(query.words))
                    else:
                        hits = set(self._matching_paths(query.words))
                        rows = [e for e in rows if e.path in hits]
                rows, query = self._columns(rows).narrowed(query, ids, read, starred)
        for check in entry_checks(query, read, starred) if query is not None else ():
            rows = [e for e in rows if check(e)]
        return rows

    def _by_path(self) -> dict[str, Entry]:
        if self._paths is None:
            self._paths = {e.path: e for e in self.entries}
        return self._paths

    def _columns(self, rows: list[Entry]) -> Columns:
        """The filtering columns of ``rows``, kept while ``rows`` is one of the cached orders or topics."""
        columns = self._row_columns.get(id(rows))
        if columns is None or columns.rows is not rows:
            if len(self._row_columns) >= 8:
                self._row_columns.clear()
            columns = self._row_columns[id(rows)] = Columns(rows)
        return columns

    def patched(self, index: Index, touched: list[str]) -> Collection:
        """A new collection: this one with ``touched`` paths re-read from ``index``.

        After a scan that changed a few files, this costs far less than loading
        every entry again.
        """
        gone = set(touched)
        entries = [e for e in self.entries if e.path not in gone]
        entries += index.entries_at(touched)
        return Collection(entries, self._search, self._match)


PATCH_LIMIT = 5000
"""Up to this many changed files, a scan patches the loaded list instead of reloading it."""


class Source:
    """The folder being read and its index: the cache, or the samples when it is empty."""

    def __init__(self, locations: Locations) -> None:
        self.locations = locations
        self.cache = locations.cache
        self.is_samples = False
        self.index = Index(self.cache, index_path_for(self.cache) if self.cache.is_dir() else None)

    @property
    def root(self) -> Path:
        """The folder whose files the entries' paths are relative to."""
        return self.index.root

    def load(self) -> Collection:
        """What the index holds now, without touching the files (fast)."""
        with gc_pause.paused():
            entries = self.index.entries()
        return Collection(entries, self.index.search, self.index.match_ids)

    def reload(self, loaded: Collection, result: ScanResult) -> Collection:
        """The collection after ``result``: patched when few files changed, else loaded afresh."""
        if len(result.touched) <= PATCH_LIMIT and len(loaded) and not self.is_samples:
            return loaded.patched(self.index, result.touched)
        return self.load()

    def scan(self, progress: ProgressFn | None = None, diff: FileDiff | None = None) -> ScanResult:
        """Update the index from the files; switch to the samples when there are no articles."""
        result = self.index.scan(progress, diff=diff)
        if self.index.count() == 0 and not self.is_samples:
            self.use_samples()
            self.index.scan()
        return result

    def use_samples(self) -> None:
        """Read the bundled samples instead of the (empty) cache, indexed in memory."""
        self.index.close()
        self.index = Index(SAMPLES_DIR, None)
        self.is_samples = True

    def path_of(self, entry: Entry) -> Path:
        """The file behind an entry."""
        return self.root / entry.path


@dataclass
class Preloaded:
    """What :func:`preload` has ready: the source, its entries, and the files' comparison."""

    source: Source
    collection: Collection
    diff: PendingDiff | None
    """The walk of the cache, running in a helper process (None when there is none)."""


def preload(locations: Locations) -> Future[Preloaded]:
    """Open the index, start comparing the files with it, and load its entries, before the UI boots.

    Reading 100,000 rows takes a few tenths of a second and walking their files
    as long again; started first, in a thread and a helper process, they
    overlap the start-up of the terminal UI instead of following it.
    """
    future: Future[Preloaded] = Future()

    def run() -> None:
        try:
            source = Source(locations)
            diff = start_diff(source.index)
            future.set_result(Preloaded(source, source.load(), diff))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="newsreader-preload", daemon=True).start()
    return future
