"""The loaded entries and the views over them: which entries, in which order, for a view.

:class:`Collection` answers the question the list asks: which entries, in
which order, for a topic and a search (the sidebar counts with
:mod:`reader.scopes`, the orders in :mod:`reader.ordering`). Plain Python, so
it can be tested, and timed, without a terminal.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING

from reader.entry import Entry, file_key, split_topics
from reader.filtering import Rows, flip_known
from reader.grouping import Groups
from reader.hiding import NO_RULES, HideRules, Match
from reader.ordering import (
    ARRAY_SORT_FROM,
    SortKey,
    patched_order,
    quality_order,
    sort_entries,
    without,
)
from reader.pieces import pieces
from reader.qualifiers import QUALITY, Marks
from reader.query import fts_expression, parse_query, title_expression
from reader.scopes import topic_counts
from reader.topic_names import NO_RENAMES, TopicNames

if TYPE_CHECKING:
    import numpy as np

    from reader.index import Index

_DATE = attrgetter("published")
_QUALITY = attrgetter("quality")
_TOPICS = attrgetter("topics")


def _known(ordered: list[Entry], key: SortKey) -> int:
    """How many of ``ordered`` (in a forward order of ``key``) have its value: they come first."""
    value = _DATE if key is SortKey.DATE else _QUALITY
    return bisect_left(ordered, True, key=lambda e: value(e) is None)


TOPIC_VIEWS_KEPT = 64
"""Topic views a collection keeps, least recently used dropped first: going back to a topic is
then instant for every topic of a usual sidebar in the order in use. The bound is on memory: a
view holds a reference per entry of its topic, and its filter columns once searched."""


CARRIERS_KEPT = 256
"""Topics whose carrying topic strings a collection keeps (all of them forgotten past this)."""


class Collection:
    """Loaded entries with cached sorted orders, and the search over them."""

    def __init__(
        self,
        entries: list[Entry],
        search: Callable[[str], list[str]] | None = None,
        match: Callable[[str], set[int]] | None = None,
        names: TopicNames = NO_RENAMES,
        match_array: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        self.entries = entries
        self.names = names  # the topic renames ``entries`` carry already
        self.rules = NO_RULES
        """The hide rules that left out :attr:`hidden` (applied again to the files that change)."""
        self.hidden: Collection | None = None
        """What the hide rules leave out, listed on its own (None when there are no rules)."""
        self._search = search
        """Ranked full-text search (FTS5 expression -> paths, best first); substring matching
        without it."""
        self._match = match
        """Unranked full-text search (FTS5 expression -> row ids): what the hide rules use."""
        self._match_array = match_array
        """:attr:`_match` as an array of row ids (see :meth:`Rows.filtered`): what typing a search
        uses, when given."""
        self._sorted: dict[tuple[SortKey, bool], Rows] = {}
        self._sorting = {key: threading.RLock() for key in SortKey}
        """Held while an order (either way) is sorted: the worker warming it and a key asking
        for it would otherwise both sort, each at half speed, the interpreter lock shared. One
        per key: the first reverse at a million waited 0.5 s for the other key's sort."""
        self._haystacks: dict[str, str] | None = None
        self._paths: dict[str | int, Entry] | None = None
        """Every entry by its :func:`~reader.entry.file_key` (made for a ranked search)."""
        self._groups: Groups | None = None
        self._topic_views: OrderedDict[tuple[SortKey, bool, str], Rows] = OrderedDict()
        """The most recently used topic views (see :data:`TOPIC_VIEWS_KEPT`), latest last."""
        self._topic_names: dict[str, list[str]] | None = None
        """Every spelling of each topic in the files, by its casefolded name, most used first."""
        self._codes: dict[SortKey, np.ndarray] = {}
        """Per forward order, the number of each entry's joined topics (see :meth:`_distinct`):
        what topic views are filtered by."""
        self._distinct_topics: dict[str, int] | None = None
        """The distinct joined topic strings of the entries (a few thousand at 100,000), each with
        its number."""
        self._carriers: dict[str, set[str]] = {}
        """Per topic asked for, the distinct joined topic strings of the entries that carry it."""
        self._loaded_codes: np.ndarray | None = None
        """The topic number of each entry of :attr:`entries`, when the load numbered them (see
        :meth:`topics_numbered`); dropped once an order has picked its own from them."""

    def __len__(self) -> int:
        return len(self.entries)

    def part(self, entries: list[Entry]) -> Collection:
        """Some of these ``entries`` as a collection that searches as this one does: which of
        them a query keeps (what a mark changes in a saved search's count, see
        :mod:`reader.marks`)."""
        return Collection(entries, self._search, self._match, self.names, self._match_array)

    @classmethod
    def hiding(
        cls,
        entries: list[Entry],
        rules: HideRules,
        search: Callable[[str], list[str]] | None = None,
        match: Match | None = None,
        names: TopicNames = NO_RENAMES,
        match_array: Callable[[str], np.ndarray] | None = None,
    ) -> Collection:
        """The collection of the ``entries`` that ``rules`` leave shown; the rest in ``hidden``."""
        shown, hidden = rules.split(entries, match)
        collection = cls(shown, search, match, names, match_array)
        if rules:
            collection.rules = rules
            collection.hidden = cls(hidden, search, match, names, match_array)
        return collection

    def sorted(self, key: SortKey, reverse: bool = False) -> list[Entry]:
        """The entries in one order, computed once per order."""
        return self._rows(key, reverse).entries

    def shown_ahead(self, key: SortKey, reverse: bool = False) -> None:
        """Sort one order, and make the duplicate groups with that order folded by them, in the
        caller's thread (a worker), so that the screen's first view of this collection finds
        them made: 35 + 17 ms at a million, and over a second when thousands of copies arrive."""
        self.groups.collapse(self.sorted(key, reverse))

    def ordered(self, key: SortKey, reverse: bool = False) -> bool:
        """Whether one order is at hand without a sort: made already, or its forward order is
        (the reverse is then a slice of it)."""
        return (key, reverse) in self._sorted or (key, False) in self._sorted

    def _rows(self, key: SortKey, reverse: bool = False) -> Rows:
        """One order with its filter columns, computed once per order."""
        rows = self._sorted.get((key, reverse))
        if rows is None:
            with self._sorting[key]:  # one thread sorts; another asking meanwhile waits for it
                return self._sort(key, reverse)
        return rows

    def _sort(self, key: SortKey, reverse: bool) -> Rows:
        rows = self._sorted.get((key, reverse))  # sorted while this thread waited
        if rows is None:
            if reverse:
                # Reversed is the forward order with its known part flipped (unknowns stay last):
                # a slice and a reversal instead of a second sort; the same for its filter columns.
                forward = self._rows(key)
                rows = forward.flipped(_known(forward.entries, key))
            elif key is SortKey.QUALITY and (SortKey.DATE, False) in self._sorted:
                # Stable sorts from the date order: its date sort is then one pass. A long one is
                # picked by positions, which pick its columns and topic numbers from the date
                # order's as well (see Rows.reordered).
                by_date = self._sorted[(SortKey.DATE, False)]
                order = None
                if len(by_date.entries) >= ARRAY_SORT_FROM:
                    # Read once: the orders' masks are made over the list as loaded (Rows._over).
                    qualities = by_date.array(QUALITY, make=True, keep=False)
                    order = quality_order(by_date.entries, qualities=qualities)
                if order is not None:
                    rows = Rows.reordered(by_date, order)
                else:
                    rows = Rows(sort_entries(by_date.entries, key, date_ordered=True))
            elif key is SortKey.DATE and len(self.entries) >= ARRAY_SORT_FROM:
                rows = Rows.in_date_order(self.entries)  # columns made as the entries lie
            else:
                rows = Rows(sort_entries(self.entries, key))
            self._sorted[(key, reverse)] = rows
        return rows

    def topics_numbered(self, numbers: dict[str, int], codes: Sequence[array]) -> None:
        """Take the topic numbers the load made for :attr:`entries` (``numbers``: every joined
        topics string met, ``codes``: each entry's, in the order of :attr:`entries`, in arrays
        of ``i`` one after another), so that no pass over the entries numbers them (0.3 s of the
        interpreter at a million, shared with the screen's keys, and a first topic chosen
        meanwhile waited for it). Ignored when they do not match the entries, and for a list
        too short to be sorted in arrays (its orders are numbered by a pass, as quick)."""
        if len(self.entries) < ARRAY_SORT_FROM or self._distinct_topics:
            return
        if sum(map(len, codes)) != len(self.entries):
            return
        import numpy as np  # a long list's load imported it (see ordering.arrays_ahead)

        self._distinct_topics = numbers
        self._loaded_codes = np.concatenate([np.frombuffer(c, dtype=np.int32) for c in codes])

    def warm(self, key: SortKey, reverse: bool = False) -> None:
        """Sort one order and make its filter columns ahead of use (from a worker thread); the
        topics' look-up too, so that the first topic chosen is as quick as the next."""
        self._rows(key, reverse).prepare()
        self._topic_codes(key)

    def warm_ids(self, key: SortKey, reverse: bool = False) -> None:
        """Make one order's row ids ahead of use (from a worker): the first key of a search reads
        them, and made on that key they held it 0.2 s and more at 1,000,000 rows."""
        self._rows(key, reverse).ids_ready()

    def warm_topics(self, key: SortKey) -> None:
        """Number the topics of one order ahead of use (from a worker): the first topic chosen
        in it then picks its rows at once (0.1 s of numbering at 1,000,000 rows)."""
        self._topic_codes(key)

    def in_topic(self, key: SortKey, reverse: bool, topic: str) -> list[Entry]:
        """One topic's entries in one order, remembered so going back to a topic is instant."""
        return self._topic_rows(key, reverse, topic).entries

    def _topic_rows(self, key: SortKey, reverse: bool, topic: str) -> Rows:
        cache_key = (key, reverse, topic)
        rows = self._topic_views.get(cache_key)
        if rows is None:
            if reverse:  # the forward view flipped: a slice, not a pass over every entry
                forward = self._topic_rows(key, False, topic).entries
                rows = Rows(flip_known(forward, _known(forward, key)))
            else:
                rows = Rows(self._in_one_topic(self.sorted(key), topic, self._topic_codes(key)))
            self._topic_views[cache_key] = rows
            if len(self._topic_views) > TOPIC_VIEWS_KEPT:
                self._topic_views.popitem(last=False)
        else:
            self._topic_views.move_to_end(cache_key)
        return rows

    def _carrying(self, entries: list[Entry], topics: list[str]) -> list[Entry]:
        """``entries`` (some of this collection's) that carry every one of ``topics``.

        The joined topic strings that carry a topic are found once per topic, over the distinct
        strings (entries share them, see :func:`reader.entry.shared`); each row is then looked up
        in a set, in C.
        """
        wanted = set.intersection(*map(self._carriers_of, topics))
        return list(compress(entries, map(wanted.__contains__, map(_TOPICS, entries))))

    def _in_one_topic(self, entries: list[Entry], topic: str, codes: np.ndarray) -> list[Entry]:
        """The entries of one forward order (``codes``: their topic numbers) that carry ``topic``.

        A set look-up per row (see :meth:`_carrying`) took 0.11 s at 1,000,000 rows. Here the
        rows' topic numbers pick, in one array operation, whether each row is kept from a table
        with an entry per distinct topic string (3-7 ms at 1,000,000 rows).
        """
        import numpy as np  # imported behind the first page (see ordering.arrays_ahead)

        numbers = self._distinct()
        table = np.zeros(len(numbers), dtype=np.bool_)
        table[[numbers[joined] for joined in self._carriers_of(topic)]] = True
        # Only the rows kept are reached: ``compress`` takes a reference to every entry in turn,
        # and a million entries scattered in memory cost 38 ms where these 84,000 cost 13.
        return list(map(entries.__getitem__, np.flatnonzero(table[codes]).tolist()))

    def _topic_codes(self, key: SortKey) -> np.ndarray:
        """The topic number of each entry of one forward order, made once per order.

        An order picked from the other (see :meth:`Rows.reordered`) picks that order's numbers
        (5 ms at a million, where a pass over its entries took 0.3-0.8 s), made first when
        needed: the worker that warms the orders then finds both made. The date order of a long
        list picks them from a pass over the entries as loaded (see :meth:`Rows.in_date_order`).

        Two threads may number the same order at once (a topic chosen while the worker numbers
        it). Making the key wait for the worker's pass instead was tried: the first topic at a
        million then took 0.33-0.54 s against 0.07-0.19, the worker's pass being in slices.
        """
        codes = self._codes.get(key)
        if codes is not None:
            return codes
        source = self._rows(key)._source
        if source is not None and source[0] is self._sorted.get((key.other, False)):
            codes = self._codes[key] = self._topic_codes(key.other)[source[1]]
        elif source is not None and source[0].entries is self.entries:
            loaded = self._loaded_codes
            if loaded is None:
                loaded = self._numbered(self.entries)
            codes = self._codes[key] = loaded[source[1]]
            self._loaded_codes = None  # the other order picks this one's
        else:
            codes = self._codes[key] = self._numbered(self.sorted(key))
        return codes

    def _numbered(self, entries: list[Entry]) -> np.ndarray:
        """The topic number of each of ``entries`` (see :meth:`_distinct`)."""
        import numpy as np

        number = self._distinct().__getitem__
        topics = map(_TOPICS, pieces(entries))
        return np.fromiter(map(number, topics), np.int32, len(entries))

    def _distinct(self) -> dict[str, int]:
        """Every distinct joined topics string of the entries, numbered."""
        distinct = self._distinct_topics
        if distinct is None:
            distinct = dict.fromkeys(map(_TOPICS, pieces(self.entries)))
            distinct = self._distinct_topics = {joined: n for n, joined in enumerate(distinct)}
        return distinct

    def _carriers_of(self, topic: str) -> set[str]:
        """The distinct joined topic strings that carry ``topic``: found when first asked for, by
        a pass over the distinct strings (a millisecond), rather than for every topic at once
        (a set per topic, 3 MiB at 100,000 entries)."""
        carriers = self._carriers.get(topic)
        if carriers is None:
            carriers = {j for j in self._distinct() if topic in j and topic in split_topics(j)}
            if len(self._carriers) >= CARRIERS_KEPT:
                self._carriers.clear()
            self._carriers[topic] = carriers
        return carriers

    def _spellings(self, name: str) -> list[str]:
        """Every spelling of a topic in the files, for a name typed in any case, most used first."""
        name = self.names.name(name)  # topic:AI finds what AI was renamed to
        if self._topic_names is None:
            self._topic_names = {}
            for topic, _ in topic_counts(self.entries).most_common():
                self._topic_names.setdefault(topic.casefold(), []).append(topic)
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
        marks_version: Hashable | None = None,
    ) -> Sequence[Entry]:
        """The entries for one sort, topic (None for all) and query (see :mod:`reader.query`):
        a list, or many rows of a long one as :class:`~reader.picked.Picked`.

        With ``relevance`` and free words in the query, the best matches come first
        instead of the sort order. ``marks_version`` changes whenever ``read`` or ``starred``
        do: with it, a search's ``is:`` is not checked again at every key.
        """
        query = parse_query(text) if text.strip() else None
        topics = [topic] if topic is not None else []
        if query is not None and query.values("topic"):
            # A typed topic spelled one way in the files becomes that exact name, filtered like the
            # sidebar's (fast, cached); one spelled several ways ("AI", "ai") stays in the query,
            # whose check ignores case, so that no spelling is left out.
            terms = []
            for term in query.terms:
                spellings = self._spellings(term.value) if term.name == "topic" else []
                if term.name == "topic" and len(spellings) <= 1:
                    topics.append(spellings[0] if spellings else term.value)
                else:
                    terms.append(term)
            query = replace(query, terms=tuple(terms))
        if query is None:
            return self.in_topic(key, reverse, topics[0]) if topics else self.sorted(key, reverse)
        marks = Marks(read or frozenset(), starred or frozenset(), marks_version)
        if query.words and relevance:
            found = self._ranked(self._matching_paths(query.words))
            if reverse:
                found.reverse()
            rows = Rows(self._carrying(found, topics) if topics else found)
            return rows.filtered(query, None, marks)
        rows = self._topic_rows(key, reverse, topics[0]) if topics else self._rows(key, reverse)
        if topics[1:]:
            rows = Rows(self._carrying(rows.entries, topics[1:]))
        ids = None
        # title: words the index can narrow join the words': their rows are then few, and only
        # theirs have titles read and checked (see query.title_expression).
        words = fts_expression(query.words) if query.words else ""
        expression = " AND ".join(part for part in (words, title_expression(query)) if part)
        if expression and self._match_array is not None:
            ids = self._match_array(expression)
        elif expression and self._match is not None:
            ids = self._match(expression)
        elif query.words:
            hits = set(self._matching_paths(query.words))
            rows = Rows([e for e in rows.entries if e.path in hits])
        return rows.filtered(query, ids, marks)

    @property
    def groups(self) -> Groups:
        """The duplicate groups here, and the views folded by them (see :mod:`reader.grouping`)."""
        self._groups = self._groups if self._groups is not None else Groups(self.entries)
        return self._groups

    def copies(self, entry: Entry) -> list[Entry]:
        """The other copies of ``entry``'s story here, newest first."""
        return self.groups.copies(entry)

    def _ranked(self, paths: list[str]) -> list[Entry]:
        """The entries here at ``paths`` (a ranked search's), in that order. Looked up by
        :func:`~reader.entry.file_key`: a row whose path stays in the index is found by the id
        its file has (the index's ``ids_at``, through the row's type)."""
        if self._paths is None:
            self._paths = dict(zip(map(file_key, self.entries), self.entries))
        by_file = self._paths
        ids_at = getattr(type(self.entries[0]), "ids_at", None) if self.entries else None
        ids = ids_at(paths) if ids_at is not None else {}
        found = (by_file.get(ids.get(path, path)) or by_file.get(path) for path in paths)
        return [row for row in found if row is not None]

    def patched(self, index: Index, touched: list[str]) -> Collection:
        """A new collection: this one with ``touched`` paths re-read from ``index``.

        After a scan that changed a few files, this costs far less than loading
        every entry again. The sorted orders are patched too, not sorted again; the
        entries (in no particular order) are then one of them.
        """
        gone, fresh = index.file_keys(touched), self.names.apply(index.entries_at(touched))
        fresh, fresh_hidden = self.rules.split(fresh, self._match)
        patched = self._replaced(gone, fresh)
        patched.rules = self.rules
        if self.hidden is not None:
            patched.hidden = self.hidden._replaced(gone, fresh_hidden)
        return patched

    def _replaced(self, gone: set[str | int], fresh: list[Entry]) -> Collection:
        """A new collection: this one without the rows ``gone`` (their
        :func:`~reader.entry.file_key`), with ``fresh`` added."""
        orders = {
            key: Rows(patched_order(rows.entries, gone, fresh, key))
            for (key, reverse), rows in self._sorted.items()
            if not reverse  # the reversed orders are made from these again, cheaply
        }
        entries = next(iter(orders.values())).entries if orders else without(self.entries, gone)
        patched = Collection(
            entries if orders else entries + fresh,
            self._search,
            self._match,
            self.names,
            self._match_array,
        )
        patched._sorted = {(key, False): rows for key, rows in orders.items()}
        return patched
