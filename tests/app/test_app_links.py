"""Pilot tests: opening and copying links (``o``, ``enter``, ``y``, body links).

``webbrowser.open`` and ``app.copy_to_clipboard`` are replaced by recorders;
the browser is launched from a worker thread, so each test waits for the
workers before looking at what was opened.
"""

from __future__ import annotations

import webbrowser

import pytest
from rich.cells import cell_len
from textual.command import CommandPalette
from textual.geometry import Offset

from app.conftest import (
    ROOMY_DETAIL,
    SIZE,
    Notes,
    Recorder,
    build_app,
    opened,
    screen_lines,
    settle,
    wait_loaded,
    wait_until,
)
from reader.components.links import Links
from reader.widgets.article_list import ArticleList
from reader.widgets.related_list import RelatedList

FRESH_URL = "https://morningwire.example/2026/11/26/fresh-briefing"


async def go_to(pilot, screen, path: str) -> None:
    """Highlight the article stored at ``path`` with the keyboard."""
    articles = screen.query_one(ArticleList)
    await pilot.press("g")
    for _ in range(len(articles.entries)):
        if articles.highlighted.path == path:
            return
        await pilot.press("j")
    raise AssertionError(f"{path} is not in the list")


async def test_o_opens_the_highlighted_article(fixture_locations, browser):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        assert opened(browser) == [FRESH_URL]
        assert (FRESH_URL, "Opening in your browser", "information") in notes.items
        await pilot.press("j", "o")
        await settle(pilot)
        assert opened(browser) == [FRESH_URL, "https://signaldesk.example/storage-auction"]
        assert screen.query_one(ArticleList).highlighted.path == "two-days.md"


async def test_o_and_enter_open_the_focused_related_item(fixture_locations, nothing_alike, browser):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("l")
        assert screen.focused is screen.query_one(RelatedList)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert opened(browser) == [
            "https://signaldesk.example/grid-battery-tender",
            "https://morningwire.example/2026/11/01/wind-record",
        ]
        # Back on the list, o opens the article again.
        await pilot.press("h", "o")
        await settle(pilot)
        assert opened(browser)[-1] == FRESH_URL


@pytest.mark.parametrize("path", ["js-url.md", "file-url.md"])
async def test_articles_with_unsafe_links_are_refused(fixture_locations, browser, path):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await go_to(pilot, screen, path)
        # The parser dropped the javascript:/file: link, so the article has none to open.
        assert screen.query_one(ArticleList).highlighted.url is None
        assert str(screen.query_one("#detail-url").content) == "Link       none"
        await pilot.press("o")
        await settle(pilot)
        assert browser.calls == []
        assert notes.items == [("this item has no link", "Not opened", "warning")]


async def test_a_related_item_with_a_script_link_is_refused(fixture_locations, browser):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("l", "G")
        assert (
            screen.query_one(RelatedList).current.title
            == "Related item whose only link is a script"
        )
        await pilot.press("enter")
        await pilot.press("o")
        await settle(pilot)
        assert browser.calls == []
        assert notes.items == [("this item has no link", "Not opened", "warning")] * 2


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(document.cookie)", "javascript"),
        ("JavaScript:alert(1)", "javascript"),
        ("file:///etc/passwd", "file"),
        ("data:text/html,<script>alert(1)</script>", "data"),
    ],
)
async def test_open_link_refuses_anything_but_http(fixture_locations, browser, url, scheme):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        screen.query_one(Links).open(url)
        await settle(pilot)
        assert browser.calls == []
        [(message, title, severity)] = notes.items
        assert title == "Not opened" and severity == "warning"
        assert scheme in message.lower() and "only http and https" in message
        assert url not in message or scheme == "file"  # never echoes a script back


async def test_open_link_accepts_http_and_https(fixture_locations, browser):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        screen.query_one(Links).open("http://example.org/a?b=1")
        screen.query_one(Links).open("https://example.org/[bold]x[/]")
        await settle(pilot)
        assert sorted(opened(browser)) == [
            "http://example.org/a?b=1",
            "https://example.org/[bold]x[/]",
        ]


async def test_a_browser_that_cannot_start_is_reported(fixture_locations, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", Recorder(result=False))
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        assert ("No web browser could be started.", "Not opened", "error") in notes.items


async def test_body_links_open_only_when_safe(fixture_locations, browser):
    app = build_app(fixture_locations)
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)

        async def click_text(text: str) -> None:
            body = screen.query_one("#detail-body").region
            for y, line in enumerate(screen_lines(app)):
                x = line.find(text, body.x)
                if body.y <= y < body.bottom and x >= 0:
                    # cells, not characters: a wide character to its left (the sidebar) takes two
                    await pilot.click(offset=Offset(cell_len(line[:x]) + 1, y))
                    await settle(pilot)
                    return
            raise AssertionError(f"{text!r} is not on screen")

        await click_text("full report")
        assert opened(browser) == ["https://morningwire.example/reports/q4"]
        assert notes.items[-1][1] == "Opening in your browser"
        await go_to(pilot, screen, "js-url.md")
        before = len(notes.items)
        # The Markdown parser does not make a link of javascript: at all: clicking does nothing.
        await click_text("click me")
        assert len(notes.items) == before
        # A link it does make, to something other than http(s), is refused by the screen.
        await click_text("write to us")
        assert opened(browser) == ["https://morningwire.example/reports/q4"]
        message, title, _ = notes.items[-1]
        assert title == "Not opened" and "mailto" in message and "only http and https" in message


async def test_y_copies_the_current_link(fixture_locations, nothing_alike, monkeypatch):
    app = build_app(fixture_locations)
    clipboard = Recorder(result=None)
    monkeypatch.setattr(app, "copy_to_clipboard", clipboard)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("y")
        await pilot.press("l", "j", "y")  # the second related item
        assert clipboard.calls == [
            (FRESH_URL,),
            ("https://morningwire.example/2026/11/01/wind-record",),
        ]
        assert (FRESH_URL, "Link copied", "information") in notes.items
        await pilot.press("j", "y")  # the related item without a link
        await pilot.press("h")
        await go_to(pilot, screen, "js-url.md")
        await pilot.press("y")
        assert len(clipboard.calls) == 2
        assert [m for m in notes.messages() if "no link" in m] == ["This item has no link."] * 2


async def test_palette_open_uses_the_pane_that_had_the_focus(
    fixture_locations, nothing_alike, browser
):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("l", "j", "ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"Open in browser")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the palette to close")
        await settle(pilot)
        assert opened(browser) == ["https://morningwire.example/2026/11/01/wind-record"]
