"""Write SVG screenshots of the reader's main states into this folder.

Run from anywhere: ``python screenshots/make_screenshots.py``. Each picture
comes from a fresh app built by ``make_app`` on an empty temporary cache (so
the bundled samples are shown), temporary config and data folders (the
user's own are never read or written) and a fixed clock, so running the
script again gives the same files unless the app's looks changed. Articles
are marked read only by the keys pressed, never by how long a shot takes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from feed_scene import make_feed_cache
from story_scene import make_story_cache
from textual.pilot import Pilot
from textual.widgets import Input

from reader.app import make_app
from reader.components import feed_fetch, reading
from reader.paths import Locations
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList

HERE = Path(__file__).resolve().parent
SIZE = (140, 40)
FEED_CACHE = Path(tempfile.gettempdir()) / "newsreader-screenshots" / "news"
"""Where the fetched articles of the feed pictures are written while they are taken."""
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
"""The day after the newest sample, so the list shows hours, days and dates."""

SHOTS: list[tuple[str, tuple[int, int], tuple[str, ...]]] = [
    ("main", SIZE, ()),
    ("quality-sort", SIZE, ("s", "g")),
    ("topic", SIZE, ("h", "j", "j")),
    ("related", SIZE, ("l", "j")),
    ("filter", SIZE, ("slash", *"solar")),
    ("help", SIZE, ("question_mark",)),
    ("narrow", (90, 40), ()),
    (
        "reading",
        SIZE,
        (
            "slash",
            *"solar",
            "ctrl+s",
            "enter",
            "escape",  # save the search "solar" in the sidebar
            "h",
            "j",
            "j",
            "j",
            "l",  # choose it (after All articles, Unread and Starred)
            "m",
            "j",
            "f",
            "j",
            "j",
            "m",
            "f",  # some rows read, some starred
        ),
    ),
    ("mark-all-read", SIZE, ("M",)),
    ("reader-view", SIZE, ("j", "enter")),
]
"""File name, terminal size and the keys pressed once the samples are loaded."""

FEED_SHOTS: list[tuple[str, tuple[int, int], tuple[str, ...]]] = [
    ("feeds-sidebar", SIZE, ("h", *"jjjjj")),  # the feed that failed, chosen in the sidebar
    ("feeds-screen", SIZE, ("F",)),
]
"""The same, on a cache of fetched articles from three feeds (see feed_scene.py)."""

STORY_SHOTS: list[tuple[str, tuple[int, int], tuple[str, ...]]] = [
    ("same-story", (160, 45), ("j",) * 17 + ("l",)),
]
"""The same, on the samples plus two copies of one story (see story_scene.py): the row with
its +2, and the detail pane's related list with the copies and the cached related articles."""

THEME_SHOTS: list[tuple[str, tuple[int, int], tuple[str, ...], str]] = [
    ("light-theme", SIZE, ("h", "j", "j", "j", "l", "m", "j", "f", "j"), "textual-light"),
]
"""The same on the samples, with a theme set in config.toml: a topic chosen, rows read and
starred."""


async def wait_loaded(pilot: Pilot, timeout: float = 30.0) -> None:
    """Wait until the scan is done and the list has rows."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = pilot.app.screen
        if (
            isinstance(screen, MainScreen)
            and not screen.scanning
            and screen.query_one(ArticleList).entries
        ):
            await pilot.pause()
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise RuntimeError("the samples did not load")


async def shoot(
    name: str,
    size: tuple[int, int],
    keys: tuple[str, ...],
    out: Path,
    feeds: bool = False,
    theme: str = "",
    story: bool = False,
) -> Path:
    """Run a fresh app (in ``theme``, set in config.toml), press ``keys``, save ``out/name.svg``."""
    with tempfile.TemporaryDirectory(prefix="newsreader-shots-") as tmp:
        base = Path(tmp)
        # The status line names the cache: a fixed folder keeps the pictures the same each run.
        cache = FEED_CACHE if feeds or story else base / "cache"
        shutil.rmtree(FEED_CACHE, ignore_errors=True)
        locations = Locations(cache=cache, config=base / "config", data=base / "data")
        for folder in (locations.cache, locations.config, locations.data):
            folder.mkdir(parents=True)
        if feeds:
            make_feed_cache(locations, NOW)
        if story:
            make_story_cache(locations)
        if theme:  # a top-level key goes before the tables ([[feeds]]) in the file
            config = locations.feeds_config_path
            rest = config.read_text(encoding="utf-8") if config.exists() else ""
            config.write_text(f'theme = "{theme}"\n' + rest, encoding="utf-8")
        app = make_app(locations, clock=lambda: NOW)
        async with app.run_test(size=size) as pilot:
            await wait_loaded(pilot)
            for box in app.screen.query(Input):
                box.cursor_blink = False  # the cursor is drawn, not caught mid-blink
            await pilot.press(*keys)
            while not getattr(app.screen, "counted", True):  # the feeds screen counts in a worker
                await pilot.pause(0.05)
            app.clear_notifications()  # toasts come and go with time
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            path = app.save_screenshot(f"{name}.svg", path=str(out))
        shutil.rmtree(FEED_CACHE.parent, ignore_errors=True)
    return Path(path)


async def main(out: Path = HERE) -> None:
    reading.READ_AFTER_SECONDS = 24 * 3600.0  # no article is read just by being shown
    feed_fetch.FIRST_CHECK_SECONDS = 24 * 3600.0  # the invented feeds are never asked for
    for name, size, keys in SHOTS:
        path = await shoot(name, size, keys, out)
        print(f"wrote {path}")
    for name, size, keys in FEED_SHOTS:
        path = await shoot(name, size, keys, out, feeds=True)
        print(f"wrote {path}")
    for name, size, keys in STORY_SHOTS:
        path = await shoot(name, size, keys, out, story=True)
        print(f"wrote {path}")
    for name, size, keys, theme in THEME_SHOTS:
        path = await shoot(name, size, keys, out, theme=theme)
        print(f"wrote {path}")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
