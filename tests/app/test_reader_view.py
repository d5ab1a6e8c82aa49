"""Pilot tests: the reader view (``enter``), its keys, and full text on demand (``x``).

Pages for ``x`` come from a server on 127.0.0.1 started by the test; the
browser is a recorder, as in the link tests.
"""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from textual.widgets import Static

from app.conftest import (
    ROOMY_DETAIL,
    SIZE,
    UI_FIXTURES,
    Notes,
    build_app,
    opened,
    put_cursor_on,
    screen_text,
    search_for,
    settle,
    state_db,
    wait_loaded,
    wait_until,
)
from reader.components import reading
from reader.screens.main import MainScreen
from reader.screens.reader_view import ReaderView
from reader.widgets.article_list import ArticleList
from reader.widgets.rendered_text import RenderedText

PAGE = (Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "article.html").read_bytes()


@pytest.fixture
def reading_locations(fixture_locations):
    """The UI fixture cache plus an article with twelve links."""
    shutil.copy(UI_FIXTURES / "reading" / "many-links.md", fixture_locations.cache)
    return fixture_locations


@pytest.fixture(scope="module")
def page_server():
    """Serves /story.html (a real-looking article) and /gone.html (404)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            found = self.path == "/story.html"
            body = PAGE if found else b"gone"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html" if found else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def reader_text(app) -> str:
    """Everything the reader view shows (its page and its status line), as plain text."""
    view = app.screen
    assert isinstance(view, ReaderView)
    page = view.query_one(RenderedText)
    assert page.complete, "the page is still being rendered"
    return page.plain + "\n" + str(view.query_one("#reader-status", Static).content)


async def open_reader(pilot) -> RenderedText:
    """Press enter and wait (bounded) until the whole page is rendered."""
    await pilot.press("enter")
    page = pilot.app.screen.query_one(RenderedText)
    await wait_until(pilot, lambda: page.complete, what="the page to be rendered")
    return page


async def test_enter_reads_the_article_and_q_comes_back_to_it(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await put_cursor_on(pilot, screen, "fresh.md")
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderView)
        text = screen_text(app)
        assert "Fresh morning briefing on offshore turbines" in text
        assert "Morning Wire · 26 November 2026, 09:00 UTC · 1 min read" in text
        assert "Turbine orders" in text and "## Turbine" not in text  # Markdown, rendered
        assert "record orders" in text and "**" not in text
        await pilot.press("n", "n", "p")  # two on, one back
        second = screen.query_one(ArticleList).entries[screen.query_one(ArticleList).cursor + 1]
        assert second.title in screen_text(app)
        await pilot.press("q")
        assert app.screen is screen
        assert screen.query_one(ArticleList).highlighted is second


async def test_the_view_walks_the_list_and_says_where_it_ends(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("enter", "p")
        assert notes.messages() == ["This is the first article."]
        total = len(screen.query_one(ArticleList).entries)
        assert f"1 of {total}" in screen_text(app)
        await pilot.press("escape")
        assert app.screen is screen


async def test_an_article_read_in_the_view_is_marked_read(fixture_locations, monkeypatch):
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 0.2)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await put_cursor_on(pilot, screen, "fresh.md")
        monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 0.2)
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press("q")
        store = state_db(fixture_locations)
        assert "https://morningwire.example/2026/11/26/fresh-briefing" in store.read
        store.close()


async def test_links_are_numbered_and_opened_by_number(reading_locations, browser):
    app = build_app(reading_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await put_cursor_on(pilot, screen, "many-links.md")
        await open_reader(pilot)
        text = reader_text(app)
        assert "One first [1], two second [2]" in text
        assert "eleven a script [11], twelve twelfth [12]" in text
        assert (
            " 1  https://longreads.example/1" in text and "12  https://longreads.example/12" in text
        )
        assert "f and a number opens one" in text
        await pilot.press("3")
        await pilot.press("f", "1", "2", "enter")
        await pilot.press("f", "1", "1", "enter")  # a javascript: link is refused
        await pilot.press("f", "9", "9", "enter")
        await settle(pilot)
        assert opened(browser) == ["https://longreads.example/3", "https://longreads.example/12"]
        assert ("There is no link 99.", "", "warning") in notes.items
        assert any(title == "Not opened" for _, title, _ in notes.items)
        await pilot.press("o")
        await settle(pilot)
        assert opened(browser)[-1] == "https://longreads.example/many-links"
        assert isinstance(app.screen, ReaderView)


async def test_markup_in_the_body_is_text_and_does_nothing(reading_locations):
    app = build_app(reading_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await put_cursor_on(pilot, screen, "many-links.md")
        await open_reader(pilot)
        assert "[@click=app.quit]quit[/] and [bold red]loud[/]" in reader_text(app)
        await pilot.click("#reader-text")
        assert app.is_running and isinstance(app.screen, ReaderView)


async def test_scrolling_keys_move_through_a_long_body(reading_locations, tmp_path):
    long_body = "\n\n".join(f"Paragraph {n}: " + "words " * 60 for n in range(60))
    (reading_locations.cache / "long.md").write_text(
        "---\ntitle: A very long article\npublishedDateTime: 2026-11-26T10:00:00Z\n---\n"
        + long_body,
        encoding="utf-8",
    )
    app = build_app(reading_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await put_cursor_on(pilot, screen, "long.md")
        scroll = await open_reader(pilot)
        await pilot.press("j", "j")
        assert scroll.scroll_y == 2
        await pilot.press("space")
        assert scroll.scroll_y > 20
        await pilot.press("G")
        assert scroll.scroll_y == scroll.max_scroll_y > 100
        await pilot.press("g")
        assert scroll.scroll_y == 0


def _excerpt_article(locations, url: str) -> None:
    (locations.cache / "excerpt-only.md").write_text(
        "---\ntitle: Only an excerpt here\nexcerpt: The page has the rest.\n"
        f"publishedDateTime: 2026-11-26T11:30:00Z\nwebUrl: {url}\n---\n",
        encoding="utf-8",
    )


async def test_x_in_the_reader_view_downloads_the_full_text(fixture_locations, page_server):
    _excerpt_article(fixture_locations, f"{page_server}/story.html")
    app = build_app(fixture_locations)
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        await put_cursor_on(pilot, screen, "excerpt-only.md")
        await open_reader(pilot)
        assert "Only the excerpt is here. Press x to download the full text." in reader_text(app)
        await pilot.press("x")
        await wait_until(
            pilot, lambda: "tide mill" in reader_text(app), timeout=10, what="the full text"
        )
        assert "Only the excerpt" not in reader_text(app)
        assert "regional energy agency [" in reader_text(app)  # its link, numbered
        await pilot.press("q")
        # The list's detail pane shows it too, and it is kept for the next start.
        assert "turbine installed in the race" in screen_text(app)
        note = str(screen.query_one("#detail-text-note", Static).content)
        assert note == "Full text from the article's page · enter to read"
        await search_for(pilot, screen, "tide mill")  # searchable at once
        assert [e.path for e in screen.query_one(ArticleList).entries] == ["excerpt-only.md"]


async def test_x_in_the_list_reports_a_failure_once_and_X_tries_again(
    fixture_locations, page_server
):
    _excerpt_article(fixture_locations, f"{page_server}/gone.html")
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await put_cursor_on(pilot, screen, "excerpt-only.md")
        await pilot.press("x")
        await wait_until(
            pilot,
            lambda: any("HTTP 404" in m for m in notes.messages()),
            timeout=10,
            what="the failure",
        )
        note = str(screen.query_one("#detail-text-note", Static).content)
        assert note == "No full text: HTTP 404 Not Found (X tries again)"
        await pilot.press("x")  # remembered: not fetched again
        assert notes.messages()[-1] == "Last time: HTTP 404 Not Found. Press X to try again."
        await pilot.press("X")
        await wait_until(
            pilot,
            lambda: len([m for m in notes.messages() if "404" in m]) == 3,
            timeout=10,
            what="the retry",
        )
        await put_cursor_on(pilot, screen, "fresh.md")
        await pilot.press("x")  # an article with its own body needs nothing
        assert notes.messages()[-1] == "This article's whole text is here already."
        assert isinstance(app.screen, MainScreen)


async def test_help_in_the_reader_view_lists_its_own_keys(fixture_locations):
    from reader.screens.help import HelpScreen

    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Reader view" in text and "Next article" in text and "Open link №" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderView)
