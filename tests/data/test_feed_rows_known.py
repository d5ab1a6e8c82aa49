"""``feed_rows`` given the open reader's articles and marks counts what the index would.

The feeds screen passes what the reader holds in memory, instead of updating
the index and reading the marks again (seconds at 100,000 articles).
"""

from __future__ import annotations

import datetime as dt

from app.feeds_setup import subscribe_examples

from reader.feeds import load_feeds
from reader.feeds.listing import feed_rows
from reader.library import Source
from reader.paths import Locations
from reader.state import StateStore

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def test_known_articles_count_as_the_index_does(tmp_path):
    locations = Locations(cache=tmp_path / "cache", config=tmp_path / "c", data=tmp_path / "d")
    subscribe_examples(locations, NOW)
    feeds = load_feeds(locations.feeds_config_path)
    from_index, warnings = feed_rows(locations, feeds)
    assert not warnings
    source = Source(locations)
    source.scan_index()
    entries = list(source.index.entries())
    source.index.close()
    state = StateStore(locations.state_path)
    read = set(state.read)
    state.close()
    from_memory, warnings = feed_rows(locations, feeds, known=(entries, read))
    assert not warnings and from_memory == from_index
    assert [(row.articles, row.unread) for row in from_memory] == [(3, 2), (1, 1), (0, 0)]


def test_the_index_gives_the_listing_three_fields_of_the_feeds_articles_only(tmp_path, monkeypatch):
    """A million whole entries took seconds and hundreds of megabytes to count a few feeds."""
    from reader.index import Index

    locations = Locations(cache=tmp_path / "cache", config=tmp_path / "c", data=tmp_path / "d")
    subscribe_examples(locations, NOW)
    outside = locations.cache / "imported" / "old.md"
    outside.parent.mkdir(parents=True)
    outside.write_text("---\ntitle: Imported\n---\nBody.\n", encoding="utf-8")
    whole = []
    monkeypatch.setattr(Index, "entries", lambda self: whole.append(self) or [])
    rows, warnings = feed_rows(locations, load_feeds(locations.feeds_config_path))
    assert not warnings and not whole
    assert [(row.articles, row.unread) for row in rows] == [(3, 2), (1, 1), (0, 0)]
