"""Pilot tests: the sidebar's Feeds (or Providers) section, and topic renames, as a user meets them.

The cache holds articles written by two feeds (under ``feeds/<domain>/``, with
the feed's title as provider name) and one imported article; the config lists
three feeds, and ``feed_status.json`` says the second failed its last fetch.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

from textual.widgets import Static

from app.conftest import (
    SIZE,
    Notes,
    build_app,
    choose_scope,
    locations_for,
    paths,
    screen_text,
    sidebar_line,
    sidebar_lines,
    wait_loaded,
    wait_until,
)
from reader.paths import Locations
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.topic_sidebar import TopicSidebar

HARBOUR = "https://harbour.example/feed.xml"
BROKEN = "https://broken.example/rss"
QUIET = "https://quiet.example/atom"
FAILURE = "HTTP 404 Not Found"


def _article(cache: Path, path: str, n: int, provider: str, domain: str, topics: str) -> None:
    file = cache / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(
        f"---\ntitle: {provider} story {n}\npublishedDateTime: 2026-11-2{n}T09:00:00Z\n"
        f"webUrl: https://{domain}/{n}\nquality: {40 + n}\n"
        f"provider:\n  name: {provider}\n  domain: {domain}\ntopics: [{topics}]\n---\n",
        encoding="utf-8",
    )


def feeds_cache(tmp_path: Path, config: str = "") -> Locations:
    """Three Harbour Gazette articles, two Broken Wire ones, one imported; three feeds listed."""
    where = locations_for(tmp_path)
    for n in (1, 2, 3):
        path = f"feeds/harbour.example/h{n}.md"
        _article(where.cache, path, n, "Harbour Gazette", "harbour.example", "Boats, Weather")
    for n in (4, 5):
        path = f"feeds/broken.example/b{n}.md"
        _article(where.cache, path, n, "Broken Wire", "broken.example", "boats")
    _article(where.cache, "imported.md", 6, "Other Paper", "other.example", "Weather")
    where.config.mkdir(parents=True)
    where.feeds_config_path.write_text(
        f'[[feeds]]\nurl = "{HARBOUR}"\nname = "Harbour Gazette"\n'
        f'[[feeds]]\nurl = "{BROKEN}"\n[[feeds]]\nurl = "{QUIET}"\n{config}',
        encoding="utf-8",
    )
    ok = {"ok": True, "fetched_at": "2026-11-26T11:00:00Z", "result": "ok: 3 new"}
    feeds = {
        HARBOUR: ok
        | {
            "title": "The Harbour",
            "domain": "harbour.example",
            "provider": "Harbour Gazette",
        },  # fmt: skip
        BROKEN: ok
        | {
            "title": "Broken Wire",
            "domain": "broken.example",
            "provider": "Broken Wire",
            "ok": False,
            "result": FAILURE,
        },  # fmt: skip
    }
    where.data.mkdir(parents=True)
    status = {"version": 1, "caches": {str(where.cache.absolute()): feeds}}
    (where.data / "feed_status.json").write_text(json.dumps(status), encoding="utf-8")
    return where


async def test_the_feeds_section_lists_each_feed_with_counts_and_a_failure_mark(tmp_path):
    app = build_app(feeds_cache(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        lines = sidebar_lines(app)
        feeds = lines.index(["Feeds"])
        assert lines[feeds - 1] == ["─"] and lines[feeds + 1 : feeds + 4] == [
            ["Harbour", "Gazette", "3", "3"],  # unread, then total
            ["!", "Broken", "Wire", "2", "2"],  # its last fetch failed
            ["quiet.example", "0"],  # never fetched: its host, no article
        ]
        assert lines[feeds + 4 : feeds + 6] == [["─"], ["Topics"]]
        assert ["Providers"] not in lines and app.screen.query_one(TopicSidebar).border_title == (
            "Feeds & topics"
        )


async def test_choosing_a_feed_lists_its_articles_and_reading_one_counts(tmp_path):
    app = build_app(feeds_cache(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await choose_scope(pilot, screen, "Harbour Gazette")
        assert sorted(paths(screen)) == [f"feeds/harbour.example/h{n}.md" for n in (1, 2, 3)]
        assert 'source:"Harbour Gazette"' == screen.view.scope.query
        await pilot.press("m")  # read the first
        await pilot.pause()
        assert sidebar_line(app, "Harbour Gazette") == ["Harbour", "Gazette", "2", "3"]
        assert sidebar_line(app, "All articles")[-2:] == ["5", "6"]
        # the highlight stayed on the feed through the refresh
        assert screen.query_one(TopicSidebar).current.name == "Harbour Gazette"


async def test_a_failed_feed_says_why_and_the_headings_are_skipped_by_the_keys(tmp_path):
    app = build_app(feeds_cache(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        sidebar = screen.query_one(TopicSidebar)
        await pilot.press("h", "j", "j", "j")  # All, Unread, Starred, then past the heading
        assert sidebar.current.name == "Harbour Gazette"
        await pilot.press("j")
        assert sidebar.current.name == "Broken Wire" and screen.view.scope.name == "Broken Wire"
        assert sorted(paths(screen)) == ["feeds/broken.example/b4.md", "feeds/broken.example/b5.md"]
        title = str(screen.query_one("#list-title", Static).content)
        assert title == f"Broken Wire · ! last fetch failed: {FAILURE} · 2 · by date, newest first"
        assert sidebar.tooltip == f"Last fetch failed: {FAILURE}"
        await pilot.press("j", "j")  # past the Topics heading, onto the first topic
        assert sidebar.current.kind == "topic" and sidebar.tooltip is None
        await pilot.press("k")  # back past the heading
        assert sidebar.current.name == "quiet.example"


async def test_a_cache_without_feeds_gets_a_providers_section(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        lines = sidebar_lines(app)
        assert ["Feeds"] not in lines and ["Topics"] not in lines  # topics first, as before
        assert lines.index(["Providers"]) > lines.index(["Security", "4", "4"])
        assert screen.query_one(TopicSidebar).border_title == "Topics & providers"
        sidebar = screen.query_one(TopicSidebar)
        providers = [scope for scope in sidebar.scopes if scope.kind == "source"]
        start = lines.index(["Providers"]) + 1
        totals = [int(words[-1]) for words in lines[start : start + len(providers)]]
        assert totals == sorted(totals, reverse=True) and sum(totals) == 12  # most articles first
        first = providers[0]
        await choose_scope(pilot, screen, first.name)
        assert len(paths(screen)) == totals[0]
        assert {e.provider.casefold() for e in screen.query_one(ArticleList).entries} == {
            first.name.casefold()
        }


async def test_the_samples_get_no_providers_section(samples_locations):
    """The bundled samples are a demonstration, not the user's cache: the sidebar is as before."""
    app = build_app(samples_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert ["Providers"] not in sidebar_lines(app) and ["Topics"] not in sidebar_lines(app)


def _closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: a fetch of it fails at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


async def test_a_fetch_that_fails_puts_the_mark_on_its_feed(tmp_path, monkeypatch):
    """After a fetch the Feeds section is read again: the failure shows at once."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    where = locations_for(tmp_path / "one", None)
    _article(where.cache, "imported.md", 1, "Other Paper", "other.example", "Weather")
    where.config.mkdir(parents=True)
    url = _closed_port_url()
    where.feeds_config_path.write_text(f'[[feeds]]\nurl = "{url}"\n', encoding="utf-8")
    app = build_app(where)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert sidebar_line(app, "127.0.0.1") == ["127.0.0.1", "0"]
        await choose_scope(pilot, screen, "127.0.0.1")
        await pilot.press("R")
        await wait_until(pilot, lambda: not screen.fetcher.running, timeout=15, what="the fetch")
        await pilot.pause()
        assert sidebar_line(app, "! 127.0.0.1") == ["!", "127.0.0.1", "0"]
        # the feed stays chosen, and the list title now says why its fetch failed
        title = str(screen.query_one("#list-title", Static).content)
        assert screen.view.scope.name == "127.0.0.1" and "! last fetch failed: " in title


async def test_topic_renames_reach_the_sidebar_the_search_and_the_detail_pane(tmp_path):
    app = build_app(feeds_cache(tmp_path, '[topics]\nrename = {"boats" = "Shipping"}\n'))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        lines = sidebar_lines(app)
        assert ["Shipping", "5", "5"] in lines  # Boats and boats, merged
        assert not [words for words in lines if words[0].casefold() == "boats"]
        await choose_scope(pilot, screen, "Shipping")
        assert len(paths(screen)) == 5
        detail = screen.query_one(DetailPane)
        assert detail.article is not None and "Shipping" in detail.article.topics
        assert "Topics     Shipping" in screen_text(app)


async def test_a_bad_topics_section_is_a_warning_not_a_crash(tmp_path):
    app = build_app(feeds_cache(tmp_path, "[topics]\nrename = 3\n"))
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert any(
            "rename must be a table" in message and severity == "warning"
            for message, _, severity in notes.items
        ), notes.items
        assert ["Boats", "3", "3"] in sidebar_lines(app) and app.is_running
