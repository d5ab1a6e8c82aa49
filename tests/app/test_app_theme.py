"""Themes (#14): config.toml's theme from the first frame, the palette's choice remembered,
an unknown name or an unwritable file said in one line, and ``NO_COLOR`` honoured."""

from __future__ import annotations

import re
from pathlib import Path

from app.conftest import SIZE, build_app, wait_loaded
from reader.config import edit
from reader.config.theme import DEFAULT_THEME
from reader.paths import Locations

COMMENTED = """\
# my reader
theme = "nord"  # the look I like

# feeds come later
"""


def write_config(locations: Locations, text: str) -> Path:
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_configured_theme_is_in_force_from_the_start(fixture_locations):
    write_config(fixture_locations, 'theme = "solarized-light"\n')
    app = build_app(fixture_locations)
    assert app.theme == "solarized-light"  # set before anything is drawn: no default-theme flash
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert app.theme == "solarized-light"
        assert (
            app.screen.styles.background
            == app.get_theme("solarized-light").to_color_system().background
        )
        assert not notifications(app)


async def test_theme_chosen_is_written_with_comments_and_used_after_restart(fixture_locations):
    path = write_config(fixture_locations, COMMENTED)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert path.read_text(encoding="utf-8") == COMMENTED  # nothing written at start-up
        app.theme = "catppuccin-latte"  # what the palette's "Change theme" does
        await pilot.pause()
    text = path.read_text(encoding="utf-8")
    assert text == COMMENTED.replace('"nord"', '"catppuccin-latte"')
    again = build_app(fixture_locations)
    assert again.theme == "catppuccin-latte"
    async with again.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert again.theme == "catppuccin-latte"


async def test_theme_chosen_in_the_palette_is_remembered(fixture_locations):
    path = fixture_locations.feeds_config_path
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        app.action_change_theme()
        await pilot.pause()
        await pilot.press(*"textual-light")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert path.read_text(encoding="utf-8") == 'theme = "textual-light"\n'


async def test_same_theme_again_writes_nothing(fixture_locations):
    path = write_config(fixture_locations, COMMENTED)
    before = path.stat().st_mtime_ns
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert path.stat().st_mtime_ns == before
    assert path.read_text(encoding="utf-8") == COMMENTED


async def test_unknown_theme_gives_the_default_and_one_line(fixture_locations):
    write_config(fixture_locations, 'theme = "no-such-theme"\n')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert app.theme == DEFAULT_THEME
        [message] = notifications(app)
        assert "'no-such-theme'" in message and "Change theme" in message
        assert "\n" not in message


async def test_theme_not_a_string_keeps_the_default(fixture_locations):
    write_config(fixture_locations, "theme = 3\n")
    app = build_app(fixture_locations)
    assert app.theme == DEFAULT_THEME
    assert [p.path for p in app.loaded_config.problems] == [("theme",)]


async def test_read_only_config_is_said_and_kept(fixture_locations, monkeypatch):
    path = write_config(fixture_locations, COMMENTED)

    def refuse(target, text):  # what a read-only file or folder answers (the tests run as root)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(edit, "write_text", refuse)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        app.theme = "gruvbox"
        await pilot.pause()
        assert app.theme == "gruvbox"  # in force for this run
        [message] = notifications(app)
        assert message.startswith("Theme gruvbox not saved: cannot write")
        assert "Permission denied" in message and "\n" not in message
    assert path.read_text(encoding="utf-8") == COMMENTED


async def test_broken_config_is_said_and_kept(fixture_locations):
    broken = COMMENTED + "[unclosed\n"
    path = write_config(fixture_locations, broken)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        app.clear_notifications()  # the start-up warning about the file is the config work's
        app.theme = "gruvbox"
        await pilot.pause()
        [message] = notifications(app)
        assert "not saved" in message and "\n" not in message
    assert path.read_text(encoding="utf-8") == broken


HEX = re.compile(r"#([0-9a-fA-F]{6})\b")


async def test_no_color_leaves_no_hue(fixture_locations, monkeypatch):
    """With NO_COLOR set, Textual turns every colour to grey; nothing of the reader's escapes it
    (a failure mark, a note, the help keys, a light theme)."""
    monkeypatch.setenv("NO_COLOR", "1")
    write_config(fixture_locations, 'theme = "catppuccin-latte"\n')
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        svg = app.export_screenshot()
    # Left out: the screenshot's window frame (three coloured buttons, drawn as circles) and the
    # export's own default text colour, #c5c8c6, which no cell of the reader uses.
    colours = set(HEX.findall(re.sub(r"<circle[^>]*>", "", svg))) - {"c5c8c6"}
    assert colours
    coloured = {c for c in colours if len({c[0:2].lower(), c[2:4].lower(), c[4:6].lower()}) > 1}
    assert not coloured


async def test_texts_on_screen_take_the_new_theme(tmp_path):
    """A failed feed's reason in the list title is in the error colour of the theme chosen, not of
    the one it was first drawn in."""
    from app.test_app_sources import feeds_cache
    from app.test_snapshots_sources import choose_failed_feed

    app = build_app(feeds_cache(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await choose_failed_feed()(pilot)

        def alert_colour() -> str:
            title = app.screen.query_one("#list-title")
            content = title.visual
            [span] = [s for s in content.spans if "failed" in content.plain[s.start : s.end]]
            return span.style.foreground.hex.upper()

        assert alert_colour() == app.theme_variables["text-error"].upper()
        app.theme = "textual-light"
        await pilot.pause()
        assert alert_colour() == app.theme_variables["text-error"].upper()


async def test_article_text_takes_the_theme_and_a_new_one(samples_locations):
    """Headings in the reader view are in the theme's colour (not Rich's fixed magenta), and a
    theme chosen while reading renders the text again in the new one."""
    from reader.widgets.rendered_text import RenderedText

    app = build_app(samples_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "enter")  # the night-train sample: a second-level heading
        await pilot.pause()

        def heading_colour() -> str:
            page = app.screen.query_one(RenderedText)
            [line] = [s for s in page._lines if "What passengers need to know" in s.text]
            [segment] = [s for s in line if "passengers" in s.text]
            return segment.style.color.triplet.hex.upper()

        assert heading_colour() == app.theme_variables["text-primary"].upper()
        app.theme = "solarized-light"
        await pilot.pause()
        assert heading_colour() == app.theme_variables["text-primary"].upper()


def test_names_for_the_check_command_are_the_apps(fixture_locations):
    from reader.config.theme import theme_problem
    from reader.theming import known_theme_names

    names = known_theme_names()
    assert set(names) == set(build_app(fixture_locations).available_themes)
    assert {"textual-light", "solarized-light", "catppuccin-latte"} <= set(names)
    assert theme_problem("nord", names) is None
    assert theme_problem("Nord", names) is not None  # names are exact, as Textual takes them
