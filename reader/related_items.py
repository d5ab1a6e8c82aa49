"""The detail pane's related items: which are in the cache, and in what order. No Textual.

An article's own ``related`` list (from its file) says nothing of what the
cache holds; :func:`look_up` asks the index which of those links are cached
articles and which cached articles are most like this one, and
:func:`arrange` puts it all in the order the pane shows: the media file, the
other copies of the same story, the file's own items that are in the cache,
the computed ones, then the file's own items that are not.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING

from reader.articles import Related
from reader.entry import Entry
from reader.sanitize import clean_line

if TYPE_CHECKING:
    from reader.index import Index

SIMILAR_LIMIT = 10
"""How many computed related articles the pane lists."""


class Kind(Enum):
    """Where an item comes from: what its marker says and what ``enter`` does on it."""

    MEDIA = "media"
    """The article's enclosure: ``o`` plays it."""
    COPY = "copy"
    """Another copy of the same story: ``enter`` reads it."""
    CACHED = "cached"
    """One of the file's own related items, found in the cache: ``enter`` goes to it."""
    SIMILAR = "similar"
    """A cached article computed to be related: ``enter`` goes to it."""
    LINK = "link"
    """One of the file's own related items, not in the cache: ``enter`` opens it."""


@dataclass(frozen=True)
class PaneItem:
    """One line pair of the related list."""

    kind: Kind
    title: str
    url: str | None
    provider: str
    """The provider's name, else its domain ("" when the file names neither)."""
    published: float | None = None
    """POSIX timestamp."""
    quality: int | None = None
    entry: Entry | None = None
    """The cached article it stands for (None for media and links not in the cache)."""

    @property
    def in_cache(self) -> bool:
        """Whether ``enter`` can go to the article in the list."""
        return self.entry is not None and self.kind in (Kind.CACHED, Kind.SIMILAR)


@dataclass(frozen=True)
class Found:
    """What the index said about one article's related items."""

    article_id: int | None
    by_url: dict[str, Entry] = field(default_factory=dict)
    """The cached article at each of the file's own related links, where there is one."""
    similar: list[Entry] = field(default_factory=list)
    """The computed related articles, best first."""
    seconds: float = 0.0
    """How long the look-up took (for the record)."""


def look_up(index: Index, entry: Entry, urls: list[str], limit: int = SIMILAR_LIMIT) -> Found:
    """Ask ``index`` which of ``urls`` are cached, and what else is like ``entry`` (~5-30 ms).

    A closed or broken index (the cache reloaded meanwhile) gives an empty answer.
    """
    started = time.perf_counter()
    try:
        ids = index.ids_for_urls(urls) if urls else {}
        # While a big scan stores files, the tables are half full and a look-up slows it:
        # the list is shown again when it ends, and asks again then.
        wanted = entry.id is not None and not index.bulk_indexing
        ranked = index.related(entry.id, limit) if wanted else []
        entries = index.entries_by_id([*ids.values(), *(article for article, _ in ranked)])
    except sqlite3.Error:
        return Found(entry.id, seconds=time.perf_counter() - started)
    by_url = {url: entries[i] for url, i in ids.items() if i in entries}
    similar = [entries[i] for i, _ in ranked if i in entries]
    return Found(entry.id, by_url, similar, time.perf_counter() - started)


def _from_related(item: Related, kind: Kind, entry: Entry | None = None) -> PaneItem:
    provider = item.provider.name or item.provider.domain
    published = item.published.timestamp() if item.published else None
    return PaneItem(kind, item.title, item.url, provider, published, item.quality, entry)


def _from_entry(entry: Entry, kind: Kind) -> PaneItem:
    # Index rows were cleaned when the file was read; cleaned again as they reach the screen.
    provider = clean_line(entry.provider or entry.domain)
    return PaneItem(
        kind, clean_line(entry.title), entry.url, provider, entry.published, entry.quality, entry
    )


def _filled(item: PaneItem, entry: Entry) -> PaneItem:
    """``item`` with what its file leaves out (provider, date, quality) taken from the cache."""
    cached = _from_entry(entry, item.kind)
    return replace(
        item,
        title=item.title or cached.title,
        provider=item.provider or cached.provider,
        published=item.published if item.published is not None else cached.published,
        quality=item.quality if item.quality is not None else cached.quality,
    )


def media_item(item: Related) -> PaneItem:
    """The enclosure (built as a :class:`Related` by the pane) as the first item."""
    return PaneItem(Kind.MEDIA, item.title, item.url, item.provider.domain)


def arrange(
    own: tuple[Related, ...],
    media: Related | None = None,
    copies: list[Entry] | tuple[Entry, ...] = (),
    found: Found | None = None,
) -> list[PaneItem]:
    """The pane's items in order; before ``found`` arrives the file's own items as they are.

    Each cached article is listed once: an own link to a copy of the story (or
    to the article itself) is left out, and so is a computed one already listed.
    """
    items = [media_item(media)] if media is not None else []
    items += [_from_entry(copy, Kind.COPY) for copy in copies]
    if found is None:
        return items + [_from_related(item, Kind.LINK) for item in own]
    listed = {copy.id for copy in copies} | {found.article_id}
    cached, links = [], []
    for item in own:
        entry = found.by_url.get(item.url) if item.url else None
        if entry is None:
            links.append(_from_related(item, Kind.LINK))
        elif entry.id not in listed:
            listed.add(entry.id)
            cached.append(_filled(_from_related(item, Kind.CACHED, entry), entry))
    similar = []
    for entry in found.similar:
        if entry.id not in listed:
            listed.add(entry.id)
            similar.append(_from_entry(entry, Kind.SIMILAR))
    return items + cached + similar + links


def heading(items: list[PaneItem]) -> str:
    """The section's title: what it holds, counted, one line per kind (a narrow pane wraps a
    single line mid-phrase): "Media", "Same story from 3 sources", "Related (4, 1 in your
    cache)", "Similar in your cache (10)"."""
    counts = {kind: sum(item.kind is kind for item in items) for kind in Kind}
    parts = ["Media"] if counts[Kind.MEDIA] else []
    if counts[Kind.COPY]:
        parts.append(f"Same story from {counts[Kind.COPY] + 1} sources")
    own = counts[Kind.CACHED] + counts[Kind.LINK]
    if own:
        note = f", {counts[Kind.CACHED]} in your cache" if counts[Kind.CACHED] else ""
        parts.append(f"Related ({own}{note})")
    if counts[Kind.SIMILAR]:
        parts.append(f"Similar in your cache ({counts[Kind.SIMILAR]})")
    return "\n".join(parts)
