"""The open reader's background refresh, as plain functions over the config and status files.

:mod:`reader.feeds.schedule` decides from values; these read the values
(the feed list, the top-level settings, each feed's status) for the
reader's worker threads, so the component stays thin and the reading is
tested without a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from reader.feeds.config import (
    Feed,
    FeedConfigError,
    feeds_from_document,
    policy_from_document,
    read_document,
)
from reader.feeds.policy import Policy
from reader.feeds.schedule import due_feeds, next_refresh, refresh_summary
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.feeds.store import site_domain
from reader.paths import Locations


def due_now(locations: Locations, now: dt.datetime) -> list[Feed]:
    """The subscribed feeds due for a fetch at ``now`` (none without a config).

    Raises :class:`~reader.feeds.config.FeedConfigError` when the config
    cannot be read; the caller stays quiet about it (``R`` says it).
    """
    path = locations.feeds_config_path
    document = read_document(path)
    feeds = feeds_from_document(document, path)
    if not feeds:
        return []
    policy = policy_from_document(document, path)
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    return due_feeds(feeds, policy, {feed.url: store.get(feed.url) for feed in feeds}, now)


def refresh_words(
    locations: Locations,
    new_by_feed: Mapping[str, int],
    failures: Sequence[tuple[str, str]],
    feeds: Sequence[Feed],
    now: dt.datetime | None = None,
) -> str:
    """The status line after a background refresh of ``feeds``: what came, what failed, when next.

    Read after the fetch saved the status, so a failing feed's next try
    includes the back-off it has just earned.
    """
    now = now or dt.datetime.now(dt.UTC)
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    statuses = {feed.url: store.get(feed.url) for feed in feeds}
    try:
        policy = policy_from_document(
            read_document(locations.feeds_config_path), locations.feeds_config_path
        )
    except FeedConfigError:  # it broke since the fetch began: the defaults will do
        policy = Policy()
    names = {
        feed.url: feed.name or statuses[feed.url].title or site_domain(feed.url) for feed in feeds
    }
    retries = {feed.url: next_refresh(feed, policy, statuses[feed.url], now).when for feed in feeds}
    return refresh_summary(new_by_feed, failures, names, retries, now)
