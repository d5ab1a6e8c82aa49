"""Three subscribed feeds as the fetcher would have left them, for the feeds screen's tests.

Written by hand rather than fetched so that the times are the tests' fixed
clock and the URLs never change (the snapshots show both): ``Example News``
fetched two hours ago with three articles (one read), ``A blog`` (a name of
the user's) one article, not modified at its last fetch, with its own
refresh period, and a feed whose last fetch failed with a 503 and that has
never worked.
"""

from __future__ import annotations

import datetime as dt

from conftest import write_article

from reader.feeds import Feed, save_feeds
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.paths import Locations
from reader.state import StateStore

NEWS = "https://news.example.org/feed.xml"
BLOG = "https://blog.example.net/atom.xml"
DOWN = "https://down.example.com/rss"
FAILURE = "HTTP 503 Service Unavailable"


def subscribe_examples(locations: Locations, now: dt.datetime) -> None:
    """Write the config, the fetch records, the articles and one read mark."""
    save_feeds(
        locations.feeds_config_path,
        [
            Feed(NEWS, topics=("World",)),
            Feed(BLOG, name="A blog", overrides=(("refresh_minutes", 120),)),
            Feed(DOWN),
        ],
    )
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    store.record(
        NEWS,
        ok=True,
        result="ok: 3 new",
        title="Example News",
        domain="news.example.org",
        provider="Example News",
        when=now - dt.timedelta(hours=2),
    )
    store.record(
        BLOG,
        ok=True,
        result="not modified",
        title="The Blog",
        domain="blog.example.net",
        provider="The Blog",
        when=now - dt.timedelta(minutes=30),
    )
    store.record(DOWN, ok=False, result=FAILURE, when=now - dt.timedelta(minutes=10))
    store.save()
    for number in range(3):
        _article(locations, "news.example.org", "Example News", number, now)
    _article(locations, "blog.example.net", "The Blog", 0, now)
    state = StateStore(locations.state_path)
    state.set_read(["https://news.example.org/story-0"])
    state.close()


def _article(locations: Locations, domain: str, provider: str, number: int, now) -> None:
    write_article(
        locations.cache / "feeds" / domain,
        f"story-{number}.md",
        "Body.",
        category="news",
        title=f"{provider} story {number}",
        publishedDateTime=(now - dt.timedelta(hours=number + 3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        webUrl=f"https://{domain}/story-{number}",
        type="article",
        provider={"name": provider, "domain": domain},
    )
