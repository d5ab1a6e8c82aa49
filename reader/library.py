"""The cache as a whole: which folder to read, and the views over its entries.

:class:`Source` decides what is read (the cache, or the bundled samples when
the cache holds no article) and keeps its index. :class:`Collection` holds
the loaded entries and answers the questions the list and sidebar ask:
sorted, filtered by topic and by text, topic counts. All of it is plain
Python so it can be tested, and timed, without a terminal.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from reader.index import TOPIC_SEP, Entry, Index, ProgressFn, ScanResult, index_path_for
from reader.paths import SAMPLES_DIR, Locations
from reader.query import entry_filter, fts_expression, parse_query


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


def _quality_key(entry: Entry) -> tuple[bool, int, float]:
    # Highest first, no quality last, ties newest first: all in one ascending key.
    quality = entry.quality
    return (quality is None, -(quality or 0), -_date_key(entry))


def sort_entries(entries: list[Entry], key: SortKey, reverse: bool = False) -> list[Entry]:
    """``entries`` in the order the list shows them (``reverse`` flips it)."""
    if key is SortKey.DATE:
        ordered = sorted(entries, key=_date_key, reverse=True)
    else:
        ordered = sorted(entries, key=_quality_key)
    if reverse:
        ordered.reverse()
    return ordered


@dataclass(frozen=True)
class TopicCount:
    """A sidebar line: a topic and how many articles carry it."""

    name: str
    count: int


class Collection:
    """Loaded entries with cached sorted orders, and the search over them."""

    def __init__(self, entries: list[Entry], search: Callable[[str], list[str]] | None = None) -> None:
        self.entries = entries
        self._search = search
        """Full-text search (FTS5 expression -> paths, best first); substring matching without it."""
        self._sorted: dict[tuple[SortKey, bool], list[Entry]] = {}
        self._haystacks: dict[str, str] | None = None
        self._paths: dict[str, Entry] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def topics(self) -> list[TopicCount]:
        """Every topic with its count, most articles first, ties by name."""
        counts: Counter[str] = Counter()
        for entry in self.entries:
            if entry.topics:
                counts.update(entry.topics.split(TOPIC_SEP))
        return [TopicCount(n, c) for n, c in sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))]

    def sorted(self, key: SortKey, reverse: bool = False) -> list[Entry]:
        """The entries in one order, computed once per order."""
        cached = self._sorted.get((key, reverse))
        if cached is None:
            if (key, not reverse) in self._sorted:
                cached = self._sorted[(key, not reverse)][::-1]
            else:
                cached = sort_entries(self.entries, key, reverse)
            self._sorted[(key, reverse)] = cached
        return cached

    def _haystack(self) -> dict[str, str]:
        if self._haystacks is None:
            self._haystacks = {
                e.path: f"{e.title}\n{e.excerpt}\n{e.provider}\n{e.domain}".casefold() for e in self.entries
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
        if query is not None and query.words and relevance:
            by_path = self._by_path()
            rows = [by_path[p] for p in self._matching_paths(query.words) if p in by_path]
            if reverse:
                rows.reverse()
        else:
            rows = self.sorted(key, reverse)
            if query is not None and query.words:
                hits = set(self._matching_paths(query.words))
                rows = [e for e in rows if e.path in hits]
        if topic is not None:
            rows = [e for e in rows if topic in e.topics and topic in e.topics.split(TOPIC_SEP)]
        check = entry_filter(query, read, starred) if query is not None else None
        if check is not None:
            rows = [e for e in rows if check(e)]
        return rows

    def _by_path(self) -> dict[str, Entry]:
        if self._paths is None:
            self._paths = {e.path: e for e in self.entries}
        return self._paths


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
        return Collection(self.index.entries(), self.index.search)

    def scan(self, progress: ProgressFn | None = None) -> ScanResult:
        """Update the index from the files; switch to the samples when there are no articles."""
        result = self.index.scan(progress)
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
