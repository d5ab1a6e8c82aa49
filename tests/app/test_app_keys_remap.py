"""Pilot tests: ``[keys]`` in config.toml remaps actions; help, footer and palette follow."""

from __future__ import annotations

import io
import re

from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from app.conftest import (
    SIZE,
    build_app,
    put_cursor_on,
    row_marks,
    wait_loaded,
    wait_until,
)
from reader.paths import Locations
from reader.screens.feeds import FeedsScreen
from reader.screens.help import HelpScreen
from reader.screens.main import MainScreen
from reader.screens.reader_view import ReaderView


def write_config(locations: Locations, text: str) -> None:
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def help_text(app) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    for section in app.screen.query(".help-section"):
        console.print(section.content)
    console.print(app.screen.query_one("#help-footer").content, markup=False)
    return console.export_text()


def help_row(text: str, keys: str, description: str, name: str) -> bool:
    pattern = rf"^\s*{re.escape(keys)}\s+{re.escape(description)}\s+{re.escape(name)}\s*$"
    return re.search(pattern, text, re.MULTILINE) is not None


def footer_keys(app) -> dict[str, str]:
    """Action -> the key the footer shows for it."""
    return {key.action: key.key_display for key in app.screen.query(FooterKey)}


def palette_help(app, screen, title: str) -> str:
    (command,) = [c for c in app.get_system_commands(screen) if c.title == title]
    return command.help


async def test_a_remapped_key_runs_its_action_and_the_default_key_no_longer_does(
    fixture_locations,
):
    write_config(fixture_locations, '[keys]\ntoggle_star = "S"\ntoggle_sort = ["z", "ctrl+o"]\n')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert app.loaded_config.problems == ()
        await put_cursor_on(pilot, screen, "fresh.md")
        await pilot.press("f")
        assert row_marks(app)["fresh.md"] == " ● "  # f does nothing now
        await pilot.press("S")
        assert row_marks(app)["fresh.md"] == " ●★"
        sort = screen.view.sort
        await pilot.press("s")
        assert screen.view.sort == sort
        await pilot.press("z")
        assert screen.view.sort != sort
        await pilot.press("ctrl+o")
        assert screen.view.sort == sort


async def test_help_footer_and_palette_show_the_keys_in_force(fixture_locations):
    write_config(fixture_locations, '[keys]\ntoggle_star = "S"\nhelp = "f1"\n')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: "toggle_star" in footer_keys(app), what="the footer")
        shown = footer_keys(app)
        assert shown["toggle_star"] == "S" and shown["help"] == "f1"
        assert palette_help(app, screen, "Star / unstar").endswith("(S)")
        assert palette_help(app, screen, "Help: keys").endswith("(f1)")
        assert palette_help(app, screen, "Sort: date / quality").endswith("(s)")  # untouched
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        assert help_row(text, "S", "Star", "toggle_star")
        assert help_row(text, "f1", "Help", "help")
        assert help_row(text, "^q q", "Quit", "quit")
        assert help_row(text, "s", "Sort", "toggle_sort")  # defaults are named too
        assert help_row(text, "↑ k", "Up", "cursor_up")
        assert not re.search(r"^\s*f\s+Star", text, re.MULTILINE)
        assert "names each action for [keys]" in text


async def test_the_palette_key_can_move_and_the_footer_follows(fixture_locations):
    write_config(fixture_locations, '[keys]\ncommand_palette = "ctrl+k"\n')
    app = build_app(fixture_locations)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: "command_palette" in footer_keys(app), what="the footer")
        assert footer_keys(app)["command_palette"] == "^k"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+k")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")


async def test_a_remapped_priority_key_opens_the_search(fixture_locations):
    write_config(fixture_locations, '[keys]\nfilter = "ctrl+f"\n')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash")
        assert not isinstance(screen.focused, Input)
        await pilot.press("ctrl+f")
        assert isinstance(screen.focused, Input)


async def test_reader_view_and_feeds_screen_keys_can_be_remapped(fixture_locations):
    write_config(fixture_locations, '[keys]\nnext_article = "J"\nclose = "backspace"\n')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("enter")
        view = app.screen
        assert isinstance(view, ReaderView)
        index = view.index
        await pilot.press("n")
        assert view.index == index
        await pilot.press("J")
        assert view.index == index + 1
        await pilot.press("escape")
        assert app.screen is view
        await pilot.press("backspace")
        assert app.screen is screen
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, FeedsScreen), what="feeds")
        await pilot.press("backspace")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="the list")


async def test_wrong_entries_keep_their_defaults_and_the_reader_starts(fixture_locations):
    write_config(
        fixture_locations,
        "[keys]\n"
        'toggle_star = "s"\n'  # sort's key
        'frobnicate = "z"\n'
        'open = "ctrl+bogus"\n'
        "reverse = 3\n"
        'toggle_read = "u"\n',  # the one good entry
    )
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        paths = sorted(problem.path for problem in app.loaded_config.problems)
        assert paths == [
            ("keys", "frobnicate"),
            ("keys", "open"),
            ("keys", "reverse"),
            ("keys", "toggle_star"),
        ]
        await put_cursor_on(pilot, screen, "fresh.md")
        await pilot.press("f")  # star's default stays
        assert row_marks(app)["fresh.md"] == " ●★"
        sort = screen.view.sort
        await pilot.press("s")  # and sort keeps its key
        assert screen.view.sort != sort
        await pilot.press("u")
        assert row_marks(app)["fresh.md"] == "  ★"
        reverse = screen.view.reverse
        await pilot.press("r")
        assert screen.view.reverse != reverse
