"""Pilot tests: ``R`` fetches the subscribed feeds in a worker, without freezing the screen.

A small HTTP server on 127.0.0.1 (a free port, in a thread) serves
``tests/fixtures/ui/feeds/harbour.xml``; it holds each answer until the test
releases it, so the "fetching" state can be looked at without racing the
worker. Every wait is bounded and the server is shut down after each test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from textual.widgets import Static

import reader.feeds
from app.conftest import (
    MARKS,
    SIZE,
    UI_FIXTURES,
    Notes,
    build_app,
    list_rows,
    sidebar_lines,
    wait_loaded,
    wait_until,
)
from reader.feeds import Feed, save_feeds
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList

FEED = UI_FIXTURES / "feeds" / "harbour.xml"
NEW_TITLES = {
    "Ferry timetable changes for the winter",
    "Lighthouse keeper retires after forty years",
}
HOLD_SECONDS = 5.0
"""Longest a request waits for the test to release it."""


class _Handler(BaseHTTPRequestHandler):
    server: _FeedServer

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.requests.append(self.path)
        self.server.release.wait(HOLD_SECONDS)
        if self.path == "/harbour.xml":
            body, status, kind = FEED.read_bytes(), 200, "application/rss+xml; charset=utf-8"
        else:
            body, status, kind = b"not here", 404, "text/plain"
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[str] = []
        self.release = threading.Event()
        """Set it to let the held requests (and every later one) be answered."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def feed_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_FeedServer]:
    """The local feed server, running until the test ends."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    server = _FeedServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status", Static).content)


def titles(screen: MainScreen) -> set[str]:
    return {entry.title for entry in screen.query_one(ArticleList).entries}


async def test_R_without_feeds_says_so_and_a_broken_config_is_reported(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("R")
        assert notes.items == [
            (
                "No feeds yet. Subscribe with: newsreader feeds add URL",
                "Nothing to fetch",
                "information",
            )
        ]
        assert not screen.fetcher.running and "Fetching" not in status(screen)
        fixture_locations.config.mkdir(parents=True)
        fixture_locations.feeds_config_path.write_text("[[feeds]\nurl = ", encoding="utf-8")
        await pilot.press("R")
        message, title, severity = notes.items[-1]
        assert (title, severity) == (
            "Feeds not fetched",
            "error",
        ) and "is not valid TOML" in message
        assert not screen.fetcher.running and app.is_running


async def test_R_fetches_and_the_new_articles_appear_marked_new(fixture_locations, feed_server):
    save_feeds(
        fixture_locations.feeds_config_path,
        [Feed(url=feed_server.url("/harbour.xml"), topics=("Harbour",))],
    )
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("R")
        # The server holds the answer: the fetch is running, and the screen says so and stays
        # usable.
        await wait_until(pilot, lambda: feed_server.requests, what="the feed to be requested")
        assert screen.fetcher.running and status(screen).startswith("Fetching 1 feed… (R to stop)")
        await pilot.press("j")
        assert screen.query_one(ArticleList).cursor == 1
        feed_server.release.set()
        await wait_until(
            pilot, lambda: NEW_TITLES <= titles(screen), timeout=10, what="the new articles"
        )
        await wait_until(pilot, lambda: not screen.scanning, what="the rescan")
        await pilot.pause()
        assert not screen.fetcher.running
        assert ("2 new articles", "Feeds fetched", "information") in notes.items
        # Without a restart: in the list, marked new, counted everywhere.
        articles = screen.query_one(ArticleList)
        rows = dict(zip((entry.title for entry in articles.entries), list_rows(app)))
        assert len(rows) == 14
        for title in NEW_TITLES:
            assert rows[title][:MARKS] == " ✦ ", rows[title]
        assert sum(row[:MARKS] == " ● " for row in rows.values()) == 12
        assert status(screen).startswith(f"14 articles in {fixture_locations.cache} · 14 unread")
        assert sidebar_lines(app)[0] == ["All", "articles", "14", "14"]
        assert ["Harbour", "2", "2"] in sidebar_lines(app)
        # The highlight stayed on the article it was on (the new ones sort in around it).
        assert articles.highlighted.path == "two-days.md"
        # A new article read is just read.
        ferry = [entry.title for entry in articles.entries].index(
            "Ferry timetable changes for the winter"
        )
        articles.cursor = ferry
        await pilot.press("m")
        assert list_rows(app)[ferry][:MARKS] == "   "
        # Fetching again brings nothing new.
        await pilot.press("R")
        await wait_until(
            pilot, lambda: not screen.fetcher.running, timeout=10, what="the second fetch"
        )
        assert notes.items[-1] == ("0 new articles", "Feeds fetched", "information")
        assert len(articles.entries) == 14


async def test_a_second_R_stops_the_fetch_at_once_keeping_nothing_half_written(
    fixture_locations, feed_server
):
    save_feeds(fixture_locations.feeds_config_path, [Feed(url=feed_server.url("/harbour.xml"))])
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("R")
        await wait_until(pilot, lambda: feed_server.requests, what="the feed to be requested")
        await pilot.press("R")  # the server still holds its answer
        await wait_until(
            pilot, lambda: not screen.fetcher.running, timeout=3, what="the fetch to stop"
        )
        assert not feed_server.release.is_set()
        assert notes.items[-1] == (
            "Fetch stopped; 0 new articles so far",
            "Feeds fetched",
            "information",
        )
        assert not NEW_TITLES & titles(screen) and len(screen.query_one(ArticleList).entries) == 12
        assert not status(screen).startswith(("Fetching", "Stopping"))
        # Leaving the reader stops a running fetch the same way (it must not wait for a slow feed).
        await pilot.press("R")
        await wait_until(pilot, lambda: len(feed_server.requests) == 2, what="the second request")
        worker = next(w for w in app.workers if w.group == "fetch" and not w.is_finished)
        screen.fetcher.on_unmount()  # as leaving the reader does
        await wait_until(
            pilot, lambda: worker.is_finished, timeout=3, what="the fetch to stop on unmount"
        )


async def test_failed_feeds_and_a_crashed_fetch_are_reported(
    fixture_locations, feed_server, monkeypatch
):
    save_feeds(fixture_locations.feeds_config_path, [Feed(url=feed_server.url("/gone.xml"))])
    feed_server.release.set()
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("R")
        await wait_until(pilot, lambda: not screen.fetcher.running, timeout=10, what="the fetch")
        message, title, severity = notes.items[-1]
        assert (title, severity) == ("Fetched, with failures", "warning")
        assert (
            message.startswith(f"0 new articles. Failed: {feed_server.url('/gone.xml')}: ")
            and "404" in message
        )

        # A fetch that fails outright is reported too, and R can be pressed again.
        def crash(*args, **kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(reader.feeds, "fetch_feeds", crash)
        await pilot.press("R")
        await wait_until(
            pilot, lambda: not screen.fetcher.running, timeout=10, what="the failed fetch"
        )
        assert notes.items[-1] == (
            "the fetch failed: RuntimeError: disk on fire",
            "Feeds not fetched",
            "error",
        )
        assert app.is_running and "Fetching" not in status(screen)
        assert len(screen.query_one(ArticleList).entries) == 12
