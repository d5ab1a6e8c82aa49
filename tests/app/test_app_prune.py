"""Pilot test: a fetch in the reader (``R``) prunes, says so, and the list drops what went.

The feed is ``tests/fixtures/ui/feeds/harbour.xml`` served on 127.0.0.1 by
the server of :mod:`app.test_app_fetch`. Its two articles are fetched first
without a limit; then ``max_items = 1`` makes the next fetch, in the reader,
bring nothing new and prune the older one: the list reloads all the same.
"""

from __future__ import annotations

from app.conftest import SIZE, Notes, build_app, wait_loaded, wait_until
from app.test_app_fetch import NEW_TITLES, feed_server, titles  # noqa: F401 - a fixture
from reader.feeds import Feed, fetch_feeds, save_feeds
from reader.widgets.article_list import ArticleList

OLDER = "Lighthouse keeper retires after forty years"


async def test_R_prunes_after_the_fetch_and_the_list_drops_the_pruned_article(
    fixture_locations,
    feed_server,  # noqa: F811 - the fixture imported above
):
    feed_server.release.set()
    config = fixture_locations.feeds_config_path
    save_feeds(config, [Feed(url=feed_server.url("/harbour.xml"))])
    assert len(fetch_feeds(fixture_locations).new_paths) == 2
    config.write_text("max_items = 1\nprune_unread = true\n" + config.read_text())
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert NEW_TITLES <= titles(screen) and len(screen.query_one(ArticleList).entries) == 14
        notes = Notes(app)
        await pilot.press("R")
        await wait_until(
            pilot, lambda: OLDER not in titles(screen), timeout=10, what="the pruned article to go"
        )
        assert notes.items[-1] == (
            "0 new articles; 1 old article pruned",
            "Feeds fetched",
            "information",
        )
        await wait_until(pilot, lambda: not screen.scanning, what="the rescan")
        assert titles(screen) >= NEW_TITLES - {OLDER}
        assert len(screen.query_one(ArticleList).entries) == 13
