"""Pilot tests: the open reader fetches due feeds by itself, quietly, leaving the cursor alone.

The look for due feeds runs every :data:`CHECK` seconds here (the module
constants of :mod:`reader.components.feed_fetch` are patched), against a
server on 127.0.0.1 that holds each answer until the test releases it, so
the "refreshing" state can be looked at without racing the worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from textual.widgets import Static

from app.conftest import SIZE, UI_FIXTURES, Notes, build_app, wait_loaded, wait_until
from reader import library
from reader.components import feed_fetch
from reader.feeds import Feed, save_feeds, store
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList

FEED = UI_FIXTURES / "feeds" / "harbour.xml"
NEW_TITLES = {
    "Ferry timetable changes for the winter",
    "Lighthouse keeper retires after forty years",
}
CHECK = 0.2
"""Seconds between two looks for due feeds in these tests (a minute in real use)."""
HOLD_SECONDS = 5.0


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
            self.send_header("Connection", "close")
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

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def feed_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_FeedServer]:
    for name in ("HTTP_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = _FeedServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed_fetch, "FIRST_CHECK_SECONDS", CHECK)
    monkeypatch.setattr(feed_fetch, "CHECK_SECONDS", CHECK)


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status", Static).content)


async def test_the_reader_refreshes_by_itself_and_the_cursor_stays(fixture_locations, feed_server):
    save_feeds(fixture_locations.feeds_config_path, [Feed(url=feed_server.url("/harbour.xml"))])
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        articles = screen.query_one(ArticleList)
        await pilot.press("j", "j")
        on = articles.highlighted
        await wait_until(pilot, lambda: feed_server.requests, what="the background request")
        assert screen.fetcher.running and status(screen).startswith("Refreshing 1 feed…")
        await pilot.press("j")  # the screen stays usable meanwhile
        on = articles.highlighted
        feed_server.release.set()
        await wait_until(
            pilot, lambda: NEW_TITLES <= {e.title for e in articles.entries}, timeout=10
        )
        await wait_until(pilot, lambda: not screen.scanning, what="the rescan")
        await wait_until(pilot, lambda: "Refreshed" in status(screen), what="the summary")
        assert status(screen).startswith("Refreshed ") and (
            ": 2 new articles from 1 feed · 14 articles in" in status(screen)
        )
        assert articles.highlighted.path == on.path  # the cursor stayed on its article
        assert app.focused is articles
        assert notes.items == []  # quiet: the status line says it, nothing pops up
        # Fetched just now: not due again for 30 minutes, however often the reader looks.
        await pilot.pause(CHECK * 5)
        assert feed_server.requests == ["/harbour.xml"] and not screen.fetcher.running


async def test_R_stops_a_background_refresh(fixture_locations, feed_server):
    save_feeds(fixture_locations.feeds_config_path, [Feed(url=feed_server.url("/harbour.xml"))])
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: feed_server.requests, what="the background request")
        await pilot.press("R")
        started = time.monotonic()
        await wait_until(pilot, lambda: "Refresh stopped" in status(screen), what="the stop")
        assert time.monotonic() - started < 3
        assert "Refresh stopped; 0 new articles kept" in status(screen)
        # Not started again at the next look (the server would be asked a second time).
        await pilot.pause(CHECK * 5)
        assert not screen.fetcher.running and feed_server.requests == ["/harbour.xml"]


async def test_a_failing_feed_is_named_with_why_and_when_it_is_tried_again(
    fixture_locations, feed_server
):
    feed_server.release.set()
    save_feeds(fixture_locations.feeds_config_path, [Feed(url=feed_server.url("/gone.xml"))])
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await wait_until(pilot, lambda: "Refreshed" in status(screen), what="the summary")
        assert ": nothing new · 127.0.0.1 failing: HTTP 404 Not Found (retrying in 60 min)" in (
            status(screen)
        )
        assert notes.items == []
        await pilot.pause(CHECK * 5)
        assert feed_server.requests == ["/gone.xml"]  # backing off: not asked again


async def test_the_samples_without_feeds_do_nothing(samples_locations):
    app = build_app(samples_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.pause(CHECK * 5)
        assert not screen.fetcher.running and "Refresh" not in status(screen)
        assert not samples_locations.feeds_config_path.exists()
        assert not (samples_locations.data / "feed_status.json").exists()


async def test_R_leaves_alone_a_feed_whose_server_asked_to_wait_and_says_so(
    fixture_locations, feed_server
):
    feed_server.release.set()
    busy, fine = feed_server.url("/busy.xml"), feed_server.url("/harbour.xml")
    save_feeds(fixture_locations.feeds_config_path, [Feed(url=busy), Feed(url=fine)])
    store = StatusStore(fixture_locations.data / STATUS_FILE, fixture_locations.cache)
    store.record(busy, ok=False, result="HTTP 429 Too Many Requests", retry_after=3600)
    store.save()
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: "Refreshed" in status(screen), what="the refresh")
        assert feed_server.requests == ["/harbour.xml"]  # the busy one is not due
        notes = Notes(app)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(notes.items) == 2, what="the notifications")
        assert feed_server.requests == ["/harbour.xml"] * 2
        message, title, _ = notes.items[0]
        assert title == "Not asked" and message.startswith(
            f"1 feed not asked, as its server asked to wait (Retry-After): {busy} (until "
        )


async def test_a_refresh_on_a_big_cache_takes_the_known_urls_from_the_index(
    fixture_locations, feed_server, monkeypatch
):
    """Reading the head of every feed file took 150 s at a million, at each refresh."""

    def unread(*args, **kwargs):
        raise AssertionError("every feed file read, though the index gives their URLs")

    monkeypatch.setattr(library, "FEED_URLS_FROM", 0)
    monkeypatch.setattr(store, "existing_urls", unread)
    save_feeds(fixture_locations.feeds_config_path, [Feed(url=feed_server.url("/harbour.xml"))])
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        feed_server.release.set()
        await wait_until(
            pilot, lambda: NEW_TITLES <= {e.title for e in articles.entries}, timeout=10
        )
        await wait_until(pilot, lambda: "Refreshed" in status(screen), what="the summary")
        assert ": 2 new articles from 1 feed" in status(screen)
