"""Hide rules in the reader: hidden articles are in no list and no count, the sidebar's Hidden line
lists them (the usual keys work there), and ``M`` never marks them from another view."""

from __future__ import annotations

from textual.widgets import Static

from app.conftest import (
    READ,
    SIZE,
    UNREAD,
    build_app,
    choose_scope,
    paths,
    put_cursor_on,
    row_marks,
    search_for,
    settle,
    sidebar_line,
    sidebar_lines,
    state_db,
    wait_loaded,
    wait_until,
)
from reader.paths import Locations
from reader.screens.confirm import ConfirmScreen
from reader.screens.main import MainScreen
from reader.screens.reader_view import ReaderView

HIDDEN = {"fresh.md", "emoji.md"}
"""What the rules below hide: Morning Wire's briefing, and the rocket launch (by a title word)."""
FRESH_URL = "https://morningwire.example/2026/11/26/fresh-briefing"


def hide(locations: Locations, rules: str) -> None:
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"hide = {rules}\n", encoding="utf-8")


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status", Static).content)


async def test_hidden_articles_are_not_listed_nor_counted(fixture_locations):
    rules = '["source:\\"Morning Wire\\"", "title:ROCKET", "provider:nowhere.test"]'
    hide(fixture_locations, rules)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: screen.marks.counted, what="the counts")
        await pilot.pause()
        assert len(paths(screen)) == 10 and not HIDDEN & set(paths(screen))
        assert sidebar_line(app, "All articles") == ["All", "articles", "10", "10"]
        assert sidebar_line(app, "Unread") == ["Unread", "10"]
        assert sidebar_line(app, "⊘ Hidden") == ["⊘", "Hidden", "2"]
        assert " · 10 unread" in status(screen)
        # Morning Wire is gone from the Providers section; its only topic's count lost it too.
        assert not any("Morning" in line for line in sidebar_lines(app))
        await search_for(pilot, screen, "rocket")
        assert paths(screen) == []


async def test_the_hidden_line_lists_them_and_the_usual_keys_work_there(fixture_locations):
    hide(fixture_locations, '["provider:morningwire.example", "title:rocket"]')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: screen.marks.counted, what="the counts")
        await choose_scope(pilot, screen, "Hidden")
        assert set(paths(screen)) == HIDDEN
        await put_cursor_on(pilot, screen, "fresh.md")
        await pilot.press("f", "m")  # star it, mark it read
        await settle(pilot)
        assert row_marks(app)["fresh.md"] == "  ★"  # read, starred
        assert sidebar_line(app, "★ Starred") == ["★", "Starred", "0"]  # a hidden one: not counted
        assert sidebar_line(app, "All articles") == ["All", "articles", "10", "10"]
        await pilot.press("enter")  # open it in the reader view
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderView), what="the reader")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the list")
    store = state_db(fixture_locations)
    try:
        assert FRESH_URL in store.read and FRESH_URL in store.starred
    finally:
        store.close()


async def test_M_leaves_hidden_articles_unread(fixture_locations):
    hide(fixture_locations, '["provider:morningwire.example", "title:rocket"]')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: screen.marks.counted, what="the counts")
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert set(row_marks(app).values()) == {READ} and len(row_marks(app)) == 10
        assert sidebar_line(app, "Unread") == ["Unread", "0"]
        await choose_scope(pilot, screen, "Hidden")
        assert set(row_marks(app).values()) == {UNREAD}
        assert sidebar_line(app, "⊘ Hidden") == ["⊘", "Hidden", "2"]
    store = state_db(fixture_locations)
    try:
        assert len(store.read) == 10 and FRESH_URL not in store.read
    finally:
        store.close()


async def test_no_rules_no_hidden_line(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: screen.marks.counted, what="the counts")
        assert len(paths(screen)) == 12
        assert not any("Hidden" in line for line in sidebar_lines(app))
