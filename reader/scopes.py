"""What the sidebar offers: all articles, unread, starred, saved searches, topics.

A :class:`Scope` is what the list shows before the typed search narrows it;
:class:`Counts` keeps the sidebar's numbers and is adjusted per article as
marks change, so reading an article does not recount 100,000 entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, not_

from reader.entry import Entry, entry_keys, split_topics, topics_of


@dataclass(frozen=True)
class Scope:
    """One sidebar line: a base query, a topic, or everything."""

    kind: str
    """``all``, ``unread``, ``starred``, ``view`` (a saved search) or ``topic``."""
    name: str
    """What the sidebar and the list title call it."""
    query: str = ""
    """Search text the scope applies (for unread, starred and saved views)."""
    topic: str | None = None
    """The topic it filters on (for topic scopes)."""


ALL = Scope("all", "All articles")
UNREAD = Scope("unread", "Unread", query="is:unread")
STARRED = Scope("starred", "Starred", query="is:starred")


def topic_scope(name: str) -> Scope:
    """The scope of one topic."""
    return Scope("topic", name, topic=name)


def view_scope(name: str, query: str) -> Scope:
    """The scope of a saved search."""
    return Scope("view", name, query=query)


_TOPICS = attrgetter("topics")


def topic_counts(entries: list[Entry]) -> Counter[str]:
    """Articles per topic, counted per distinct joined topic string: thousands of splits, not
    100,000."""
    counts: Counter[str] = Counter()
    for joined, n in Counter(map(_TOPICS, entries)).items():
        if joined:
            for topic in split_topics(joined):
                counts[topic] += n
    return counts


class Counts:
    """Totals and unread counts for the sidebar, overall and per topic."""

    def __init__(self, entries: Iterable[Entry], read: set[str], starred: set[str]) -> None:
        # This runs at every start over every entry, so the loops are left to C (map, compress,
        # Counter).
        rows = entries if isinstance(entries, list) else list(entries)
        keys = entry_keys(rows)
        unread = list(compress(rows, map(not_, map(read.__contains__, keys))))
        self.total = len(rows)
        self.unread = len(unread)
        self.starred = sum(map(starred.__contains__, keys)) if starred else 0
        self.topic_total = topic_counts(rows)
        self.topic_unread = topic_counts(unread)

    def topics(self) -> list[tuple[str, int, int]]:
        """``(topic, total, unread)``, most articles first, ties by name."""
        ordered = sorted(self.topic_total.items(), key=lambda item: (-item[1], item[0].casefold()))
        return [(name, total, self.topic_unread[name]) for name, total in ordered]

    def read_changed(self, entry: Entry, now_read: bool) -> None:
        """Adjust for one article whose read mark flipped."""
        step = -1 if now_read else 1
        self.unread += step
        for topic in topics_of(entry):
            self.topic_unread[topic] += step

    def star_changed(self, now_starred: bool) -> None:
        """Adjust for one article whose star flipped."""
        self.starred += 1 if now_starred else -1
