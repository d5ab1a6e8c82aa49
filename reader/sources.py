"""The feeds the sidebar's Feeds section lists: title, what finds their articles, last failure.

No Textual. Read from the feed list in config.toml and each feed's last fetch
(:mod:`reader.feeds.status`): two small files, read at start and after each
fetch. A feed's articles carry the provider name it wrote them with (its
``name`` in the config, else its own title, else its host), which the status
records; ``source:"NAME"`` lists exactly those, and the sidebar counts the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.feeds.config import FeedConfigError, load_feeds
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.feeds.store import site_domain
from reader.paths import Locations


@dataclass(frozen=True)
class FeedSource:
    """One subscribed feed, as the sidebar shows it."""

    title: str
    """The config's name, else the feed's own title at its last fetch, else its host."""
    provider: str
    """The provider name its articles carry: what ``source:`` matches."""
    problem: str = ""
    """Why its last fetch failed ("" when it succeeded or never ran)."""


def feed_sources(locations: Locations) -> tuple[list[FeedSource] | None, str]:
    """The subscribed feeds in config order, or None and a one-line reason the list is unknown."""
    try:
        feeds = load_feeds(locations.feeds_config_path)
    except FeedConfigError as exc:
        return None, str(exc)
    if not feeds:
        return [], ""
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    sources = []
    for feed in feeds:
        status = store.get(feed.url)
        title = feed.name or status.title or site_domain(feed.url)
        failed = status.fetched_at is not None and not status.ok
        sources.append(
            FeedSource(
                title=title,
                provider=status.provider or title,
                problem=(status.result or "failed") if failed else "",
            )
        )
    return sources, ""
