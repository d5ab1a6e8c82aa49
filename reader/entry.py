"""The row model: what the list, the sidebar and the search know of one article.

Every other module (the index that stores rows, the query that filters them,
the sidebar that counts them, the widgets that draw them) imports the row
type from here, so it needs nothing heavier than the standard library.
"""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple

TOPIC_SEP = "\x1f"
"""Joins an entry's topics into one string (cheap to store, load and compare)."""


class Entry(NamedTuple):
    """What the list and the sidebar need of one article, as stored in the index."""

    path: str
    """Relative to the cache directory, with ``/`` separators."""
    title: str
    published: float | None
    """POSIX timestamp, or None when the file gives no usable date."""
    quality: int | None
    heat: int | None
    provider: str
    domain: str
    url: str | None
    type: str
    """``article`` or ``video`` (the file's ``type`` field)."""
    topics: str
    """Topic names joined by :data:`TOPIC_SEP` (see :func:`topics_of`)."""
    id: int | None = None
    """The index's row id: what full-text matches are reported as (None outside an index)."""


def split_topics(joined: str) -> list[str]:
    """The topic names in a :data:`TOPIC_SEP`-joined string."""
    return joined.split(TOPIC_SEP) if joined else []


def topics_of(entry: Entry) -> list[str]:
    """An entry's topics as a list."""
    return split_topics(entry.topics)


def has_topic(entry: Entry, name: str) -> bool:
    """Whether ``entry`` carries the topic spelled exactly ``name``."""
    return name in entry.topics and name in entry.topics.split(TOPIC_SEP)


def entry_key(entry: Entry) -> str:
    """What read/star state is keyed by: the URL, else the path (survives re-indexing)."""
    return entry.url or entry.path


_URL = attrgetter("url")


def entry_keys(entries: list[Entry]) -> list[str]:
    """:func:`entry_key` of every entry, with the loop in C when every entry has a URL (the usual
    case)."""
    keys = list(map(_URL, entries))
    if None in keys:
        keys = [url or entry.path for url, entry in zip(keys, entries)]
    return keys
