"""A small cache of fetched articles for the screenshots of the feed features.

Three subscribed feeds, their articles written by the program's own writer
(as a fetch would), and what their last fetch did, one of them failing; all
invented, all dated around the screenshots' fixed clock.
"""

from __future__ import annotations

import datetime as dt

from reader.feeds.config import Feed, save_feeds
from reader.feeds.parse import FeedEntry
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.feeds.store import ArticleWriter
from reader.paths import Locations

FEEDS = [
    (
        Feed(url="https://orbit-weekly.example/feed.xml", topics=("Space",)),
        "Orbit Weekly",
        "orbit-weekly.example",
        [
            ("A second look at the comet that broke apart over the Atlantic", 3),
            ("Why the new lunar lander carries a tiny library", 9),
            ("Amateur astronomers catch a supernova in a nearby galaxy", 27),
            ("The quiet return of the solar sail", 50),
        ],
    ),
    (
        Feed(url="https://harbour.example/notes/atom", name="Harbour Tech Notes"),
        "Harbour Tech Notes",
        "harbour.example",
        [
            ("Terminal apps are having a moment, and here is why", 5),
            ("What a year of plain-text notes taught one team", 20),
            ("Small servers, long lives: keeping old hardware useful", 40),
        ],
    ),
    (
        Feed(url="https://valley-gazette.example/rss", topics=("Local",)),
        "Valley Gazette",
        "valley-gazette.example",
        [
            ("Night trains return to the valley line in spring", 30),
            ("The market square gets its fountain back", 70),
        ],
    ),
]
FAILED = "https://valley-gazette.example/rss"
"""The feed whose last fetch failed (the others answered)."""


def make_feed_cache(locations: Locations, now: dt.datetime) -> None:
    """Write the config, the articles and the fetch results into ``locations``."""
    save_feeds(locations.feeds_config_path, [feed for feed, *_ in FEEDS])
    writer = ArticleWriter(locations.cache)
    status = StatusStore(locations.data / STATUS_FILE, locations.cache)
    for feed, title, domain, items in FEEDS:
        for number, (headline, hours) in enumerate(items):
            entry = FeedEntry(
                key=f"{domain}/{number}",
                title=headline,
                summary=f"{headline}. A short summary, as the feed gives it.",
                url=f"https://{domain}/articles/{number}",
                published=now - dt.timedelta(hours=hours),
            )
            writer.write(entry, feed_title=title, domain=domain, topics=feed.topics)
        failed = feed.url == FAILED
        status.record(
            feed.url,
            ok=not failed,
            result="HTTP 503 Service Unavailable" if failed else f"ok: {len(items)} new",
            title=title,
            domain=domain,
            provider=title,
            when=now - dt.timedelta(minutes=12),
        )
    status.save()
