"""Pilot tests: hostile text in articles.

No file may crash the app or change what a key or a click does.
"""

from __future__ import annotations

import webbrowser

from rich.cells import cell_len
from textual.widgets import Static

from app.conftest import (
    ROOMY_DETAIL,
    Recorder,
    build_app,
    list_rows,
    screen_text,
    settle,
    wait_loaded,
)
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.topic_sidebar import TopicSidebar


def text_of(screen: MainScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def highlight(pilot, screen: MainScreen, path: str) -> int:
    """Move the cursor to ``path`` with the keyboard; return its row."""
    articles = screen.query_one(ArticleList)
    await pilot.press("g")
    while articles.highlighted.path != path:
        assert articles.cursor < len(articles.entries) - 1, f"{path} not found"
        await pilot.press("j")
    return articles.cursor


# --- hostile text -----------------------------------------------------------------------------


async def test_action_markup_in_a_title_is_literal_and_inert(fixture_locations, monkeypatch):
    browser = Recorder()
    monkeypatch.setattr(webbrowser, "open", browser)
    app = build_app(fixture_locations)
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        row = await highlight(pilot, screen, "click-markup.md")
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text  # in the list and as the detail title
        assert "[@click=app.quit]Provider[/]" in text  # the detail pane's source line
        assert text_of(screen, "#detail-title") == "[@click=app.quit]x[/]"
        # Click the title in the list and in the detail pane: nothing but a highlight happens.
        articles = screen.query_one(ArticleList)
        line = list_rows(app)[row]
        await pilot.click(articles, offset=(cell_len(line[: line.rindex("[@click")]) + 2, row))
        await pilot.click("#detail-title", offset=(2, 0))
        await pilot.click("#detail-meta", offset=(14, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.screen is screen and articles.highlighted.path == "click-markup.md"
        # Keys still do what they say: o opens this article's real link.
        await pilot.press("o")
        await settle(pilot)
        assert [call[0] for call in browser.calls] == ["https://hostile.example/click"]
        assert app.is_running


async def test_style_markup_in_title_provider_excerpt_and_topic_is_literal(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        row = await highlight(pilot, screen, "bold-markup.md")
        text = screen_text(app)
        for literal in (
            "[bold]x[/]",
            "[red]Red Prov…",  # the list's provider column (14 cells)
            "[red]Red Provider[/red]",
            "[italic]not italic[/italic]",
            "[b]Hostile[/b]",
        ):
            assert literal in text, literal
        assert "[bold]x[/]" in list_rows(app)[row]
        # Not styled by its markup either: read (so no longer bold as unread) and unhighlighted, the
        # title cell is plain; unread, its only style is the unread one, never the markup's colour
        # or italics.
        articles = screen.query_one(ArticleList)
        text_colour = articles.rich_style.color
        await pilot.press("k")
        title_segments = [seg for seg in articles.render_line(row) if "x[/]" in seg.text]
        assert title_segments and all(
            seg.style.bold and not seg.style.italic and seg.style.color == text_colour
            for seg in title_segments
        )
        await pilot.press("j", "m", "k")
        title_segments = [seg for seg in articles.render_line(row) if "x[/]" in seg.text]
        assert title_segments and not any(
            seg.style and (seg.style.bold or seg.style.italic) for seg in title_segments
        )
        # Choosing the markup-named topic filters by its literal name (the last topic but one).
        await pilot.press("h", "g", *["j"] * 7)
        assert screen.query_one(TopicSidebar).current.name == "[b]Hostile[/b]"
        assert [e.path for e in screen.query_one(ArticleList).entries] == ["bold-markup.md"]
        assert text_of(screen, "#list-title").startswith("[b]Hostile[/b] · 1 · ")
