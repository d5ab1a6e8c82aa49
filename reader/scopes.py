"""What the sidebar offers: all articles, unread, starred, saved searches, sources, topics.

A :class:`Scope` is what the list shows before the typed search narrows it;
:class:`Counts` keeps the sidebar's numbers and is adjusted per article as
marks change, so reading an article does not recount 100,000 entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, not_

from reader.entry import Entry, file_key, split_topics
from reader.key_hashes import marked
from reader.pieces import pieces
from reader.query import quote_value


@dataclass(frozen=True)
class Scope:
    """One sidebar line: a base query, a topic, or everything."""

    kind: str
    """``all``, ``unread``, ``starred``, ``view`` (a saved search), ``source`` or ``topic``."""
    name: str
    """What the sidebar and the list title call it."""
    query: str = ""
    """Search text the scope applies (for unread, starred and saved views)."""
    topic: str | None = None
    """The topic it filters on (for topic scopes)."""
    problem: str = field(default="", compare=False)
    """Why a feed's last fetch failed ("" when it did not): not part of what the scope is, so the
    sidebar keeps the line highlighted when the reason changes."""


ALL = Scope("all", "All articles")
UNREAD = Scope("unread", "Unread", query="is:unread")
STARRED = Scope("starred", "Starred", query="is:starred")
HIDDEN = Scope("hidden", "Hidden")
"""What the hide rules of config.toml leave out of every other scope."""


def topic_scope(name: str) -> Scope:
    """The scope of one topic."""
    return Scope("topic", name, topic=name)


def view_scope(name: str, query: str) -> Scope:
    """The scope of a saved search."""
    return Scope("view", name, query=query)


def source_scope(name: str, source: str | None = None, problem: str = "") -> Scope:
    """The scope of one feed or provider: ``source:NAME``, where ``source`` is the provider name
    its articles carry (a feed's may differ from the title shown as ``name``)."""
    return Scope("source", name, query=f"source:{quote_value(source or name)}", problem=problem)


_TOPICS = attrgetter("topics")
_PROVIDER = attrgetter("provider")
_DOMAIN = attrgetter("domain")


def topic_counts(entries: list[Entry]) -> Counter[str]:
    """Articles per topic, counted per distinct joined topic string: thousands of splits, not
    100,000."""
    counts: Counter[str] = Counter()
    for joined, n in Counter(map(_TOPICS, pieces(entries))).items():
        if joined:
            for topic in split_topics(joined):
                counts[topic] += n
    return counts


class SourceCounts:
    """Articles per source, counted as ``source:NAME`` finds them: the whole provider name or the
    whole domain, in any case.

    Counted per distinct (provider, domain) pair, a few hundred however many articles; a name's
    count is then its articles by provider name plus those with another name on its domain.
    """

    def __init__(self, entries: list[Entry]) -> None:
        self.names: Counter[str] = Counter()
        """Articles per casefolded provider name."""
        self.other_domains: Counter[str] = Counter()
        """Articles per casefolded domain, of those whose provider name is not the domain."""
        self.spellings: Counter[str] = Counter()
        """Articles per provider name as spelled (what the Providers section shows)."""
        for (provider, domain), n in Counter(
            zip(map(_PROVIDER, pieces(entries)), map(_DOMAIN, pieces(entries)))
        ).items():
            self.add(provider, domain, n)

    def less(self, other: SourceCounts) -> SourceCounts:
        """These counts without ``other``'s articles (which must be among them)."""
        counts = SourceCounts([])
        counts.names = self.names - other.names
        counts.other_domains = self.other_domains - other.other_domains
        counts.spellings = self.spellings - other.spellings
        return counts

    def more(self, other: SourceCounts) -> SourceCounts:
        """These counts with ``other``'s articles too."""
        counts = SourceCounts([])
        counts.names = self.names + other.names
        counts.other_domains = self.other_domains + other.other_domains
        counts.spellings = self.spellings + other.spellings
        return counts

    def add(self, provider: str, domain: str, n: int) -> None:
        """Count ``n`` more articles (fewer, when negative) of one provider and domain."""
        name, site = provider.casefold(), domain.casefold()
        self.names[name] += n
        if site != name:
            self.other_domains[site] += n
        self.spellings[provider] += n

    def __getitem__(self, source: str) -> int:
        """How many articles ``source:SOURCE`` lists."""
        key = source.casefold()
        return self.names[key] + self.other_domains[key]


PROVIDERS_SHOWN = 100
"""The Providers section lists this many, most articles first; ``source:NAME`` finds the rest."""


class Counts:
    """Totals and unread counts for the sidebar, overall and per topic."""

    def __init__(
        self,
        entries: Iterable[Entry],
        read: set[str],
        starred: set[str],
        hidden: list[Entry] | None = None,
    ) -> None:
        # This runs at every start over every entry, so the loops are left to C (map, compress,
        # Counter).
        # The marks are told by the keys' hashes (a long list leaves its keys in the index).
        rows = entries if isinstance(entries, list) else list(entries)
        is_read = marked(rows, read) if read else []
        read_rows = list(compress(pieces(rows), is_read))
        self.total = len(rows)
        self.unread = len(rows) - len(read_rows)
        self.starred = sum(marked(rows, starred)) if starred else 0
        self.topic_total = topic_counts(rows)
        self.source_total = SourceCounts(rows)
        if len(read_rows) <= self.unread:
            # Most are unread (a big cache's usual case): the unread counts are the totals less
            # the read rows' counts, a pass over the fewer rows.
            self.topic_unread = self.topic_total - topic_counts(read_rows)
            self.source_unread = self.source_total.less(SourceCounts(read_rows))
        else:
            unread = list(compress(pieces(rows), map(not_, is_read)))
            self.topic_unread = topic_counts(unread)
            self.source_unread = SourceCounts(unread)
        self.hidden_total = None if hidden is None else len(hidden)
        """What the hide rules leave out, not counted above (None: no rules, no Hidden line)."""
        self._hidden_paths = set(map(file_key, hidden)) if hidden else set()
        """Which articles are hidden: by file (:func:`~reader.entry.file_key`), as a key (a
        URL) may be another file's too."""
        hidden_read = sum(marked(hidden, read)) if hidden and read else 0
        self.hidden_unread = (len(hidden) if hidden else 0) - hidden_read

    def shown(self, entries: list[Entry]) -> list[Entry]:
        """Those of ``entries`` the hide rules leave shown (told by file)."""
        if not self._hidden_paths:
            return entries
        return [entry for entry in entries if file_key(entry) not in self._hidden_paths]

    def topics(self) -> list[tuple[str, int, int]]:
        """``(topic, total, unread)``, most articles first, ties by name."""
        ordered = sorted(self.topic_total.items(), key=lambda item: (-item[1], item[0].casefold()))
        return [(name, total, self.topic_unread[name]) for name, total in ordered]

    def source(self, source: str) -> tuple[int, int]:
        """``(total, unread)`` of the articles ``source:SOURCE`` lists."""
        return self.source_total[source], self.source_unread[source]

    def providers(self, limit: int = PROVIDERS_SHOWN) -> tuple[list[tuple[str, int, int]], int]:
        """``(provider, total, unread)`` of the ``limit`` providers with most articles (ties by
        name; spellings differing in case are one, under the commonest), and how many more there
        are."""
        spelled: dict[str, str] = {}
        for name, _ in self.source_total.spellings.most_common():
            if name.strip():
                spelled.setdefault(name.casefold(), name)
        totals = [(name, self.source_total[name]) for name in spelled.values()]
        totals = [(name, total) for name, total in totals if total > 0]
        totals.sort(key=lambda item: (-item[1], item[0].casefold()))
        shown = [(name, total, self.source_unread[name]) for name, total in totals[:limit]]
        return shown, max(0, len(totals) - limit)

    def read_changed(self, entries: list[Entry], now_read: bool) -> None:
        """Adjust for articles whose read mark flipped, all the same way.

        Counted as a whole count counts (per distinct topic string and provider, the loops in
        C), then taken from the unread counts or added to them: marking 83,000 articles of a
        million read took 0.5 s counting all of them again, this 0.05 s.
        """
        step = -1 if now_read else 1
        if self._hidden_paths:
            hidden = list(map(self._hidden_paths.__contains__, map(file_key, entries)))
            self.hidden_unread += step * sum(hidden)
            entries = list(compress(entries, map(not_, hidden)))
        if not entries:
            return
        self.unread += step * len(entries)
        topics, sources = topic_counts(entries), SourceCounts(entries)
        if now_read:
            self.topic_unread = self.topic_unread - topics
            self.source_unread = self.source_unread.less(sources)
        else:
            self.topic_unread = self.topic_unread + topics
            self.source_unread = self.source_unread.more(sources)

    def stars_changed(self, entries: list[Entry], now_starred: bool) -> None:
        """Adjust for articles whose star flipped, each file once (hidden ones are not counted)."""
        self.starred += len(self.shown(entries)) * (1 if now_starred else -1)
