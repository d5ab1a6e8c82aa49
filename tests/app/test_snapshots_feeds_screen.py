"""Snapshot tests of the feeds screen (``F``) and its settings form.

Three feeds set up as a fetch would leave them (``app/feeds_setup.py``) at
the fixed clock, so the counts, ages and the failing feed's error never
change. Regenerate with ``pytest tests/app/test_snapshots_feeds_screen.py
--snapshot-update`` after a deliberate change of looks, and review the SVGs.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from app.conftest import NOW, build_app, locations_for, wait_loaded, wait_until
from app.feeds_setup import DOWN, subscribe_examples
from reader.paths import Locations
from reader.screens.feeds import FeedsScreen
from reader.screens.feeds_table import FeedTable


@pytest.fixture
def locations(tmp_path) -> Locations:
    found = locations_for(tmp_path)
    subscribe_examples(found, NOW)
    return found


def feeds_screen(*keys: str, on_failing: bool = False):
    """A ``run_before`` that opens the feeds screen, waits for the counts, and presses ``keys``."""

    async def run_before(pilot: Pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press("F")
        screen = pilot.app.screen
        assert isinstance(screen, FeedsScreen)
        await wait_until(pilot, lambda: screen.counted, what="the counts")
        if on_failing:
            table = screen.query_one(FeedTable)
            table.move_cursor(row=[line.feed.url for line in table.lines].index(DOWN))
        await pilot.press(*keys)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the picture depend on timing
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_feeds_screen_wide(snap_compare, locations):
    """Title, URL, counts, last fetch and result, next refresh; the failing feed highlighted."""
    assert snap_compare(
        build_app(locations), terminal_size=(120, 40), run_before=feeds_screen(on_failing=True)
    )


def test_feeds_screen_80_columns(snap_compare, locations):
    """Below 110 columns the URL leaves the table for the detail under it."""
    assert snap_compare(build_app(locations), terminal_size=(80, 24), run_before=feeds_screen())


def test_feed_settings_form(snap_compare, locations):
    """`e`: name, topics, the refresh and pruning numbers (blank: the default), full text."""
    assert snap_compare(
        build_app(locations), terminal_size=(80, 30), run_before=feeds_screen("j", "e")
    )
