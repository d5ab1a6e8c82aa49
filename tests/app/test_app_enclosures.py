"""Pilot tests: a podcast episode's enclosure in the detail pane, played by ``[[openers]]``.

The opener is a tiny script that appends its arguments to a log file, so
the test sees exactly what would have been run; ``webbrowser.open`` is the
recorder of ``app.conftest`` (it must not be called for a matched URL).
"""

from __future__ import annotations

import stat
import sys
import time
from pathlib import Path

from conftest import write_article
from textual.widgets import Static

from app.conftest import (
    ROOMY_DETAIL,
    SIZE,
    Notes,
    build_app,
    locations_for,
    opened,
    screen_text,
    settle,
    wait_loaded,
)
from reader.paths import Locations
from reader.widgets.related_list import RelatedList

AUDIO_URL = "https://cdn.example.com/audio/ep1.mp3"
NOTES_URL = "https://podcast.example.com/ep1/notes"


def _cache(tmp_path: Path) -> Locations:
    locations = locations_for(tmp_path)
    write_article(
        locations.cache / "feeds" / "podcast.example.com",
        "ep1.md",
        "Show notes.",
        category="news",
        title="Episode 1: Pilots",
        publishedDateTime="2026-11-26T10:00:00Z",
        webUrl="https://podcast.example.com/ep1",
        type="audio",
        provider={"name": "Example Podcast", "domain": "podcast.example.com"},
        enclosure={"url": AUDIO_URL, "type": "audio/mpeg", "length": 45_200_000},
        related=[{"title": "Show notes", "webUrl": NOTES_URL}],
    )
    return locations


def _opener(tmp_path: Path, locations: Locations, extra: str = "") -> Path:
    """A logging opener for .mp3 URLs in config.toml; returns the log it appends to."""
    log = tmp_path / "opened.log"
    script = tmp_path / "player.py"
    script.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"with open({str(log)!r}, 'a') as f:\n    f.write(' '.join(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    locations.config.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text(
        f"{extra}[[openers]]\nmatch = '\\.mp3$'\ncommand = [{str(script)!r}, '--play', '{{url}}']\n"
    )
    return log


def _lines(log: Path, count: int, timeout: float = 10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.02)
    raise AssertionError(f"the opener wrote {log.read_text() if log.exists() else 'nothing'}")


async def test_the_enclosure_is_shown_and_o_plays_it_with_the_opener(tmp_path, browser):
    locations = _cache(tmp_path)
    log = _opener(tmp_path, locations)
    app = build_app(locations)
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        meta = str(screen.query_one("#detail-meta", Static).content)
        assert "Media      ▶ Audio · audio/mpeg · 45.2 MB" in meta.splitlines()
        text = screen_text(app)
        assert (
            str(screen.query_one("#detail-related-title", Static).content) == "Media\nRelated (1)"
        )
        assert "▶ Audio · audio/mpeg · 45.2 MB" in text  # the list's first item
        related = screen.query_one(RelatedList)
        assert [item.url for item in related.items] == [AUDIO_URL, NOTES_URL]
        await pilot.press("l")
        assert screen.focused is related and related.highlighted == 0
        await pilot.press("o")
        await settle(pilot)
        assert _lines(log, 1) == [f"--play {AUDIO_URL}"]
        assert (AUDIO_URL, "Opening with player.py", "information") in notes.items
        assert opened(browser) == []
        # The next item is a web page: no opener matches it, so the browser gets it.
        await pilot.press("j", "o")
        await settle(pilot)
        assert opened(browser) == [NOTES_URL]
        assert _lines(log, 1) == [f"--play {AUDIO_URL}"]


async def test_the_reader_view_numbers_the_enclosure_first(tmp_path, browser):
    locations = _cache(tmp_path)
    log = _opener(tmp_path, locations)
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "▶ Audio · audio/mpeg · 45.2 MB [1]" in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert _lines(log, 1) == [f"--play {AUDIO_URL}"]


async def test_a_bad_opener_table_is_said_once_and_the_good_one_still_plays(tmp_path, browser):
    locations = _cache(tmp_path)
    bad = "[[openers]]\nmatch = '('\ncommand = ['x']\n\n"
    log = _opener(tmp_path, locations, extra=bad)
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("l", "o")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        problems = [item for item in notes.items if item[1] == "Openers"]
        assert len(problems) == 1 and "openers #1 left out" in problems[0][0]
        assert "regular expression" in problems[0][0] and problems[0][2] == "warning"
        assert _lines(log, 2) == [f"--play {AUDIO_URL}"] * 2


async def test_an_opener_that_cannot_start_is_one_line(tmp_path, browser):
    locations = _cache(tmp_path)
    locations.config.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text(
        "[[openers]]\nmatch = 'mp3'\ncommand = ['no-such-player-here', '{url}']\n"
    )
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("l", "o")
        await settle(pilot)
        assert (
            "cannot start no-such-player-here: No such file or directory",
            "Not opened",
            "error",
        ) in notes.items
        assert opened(browser) == []
