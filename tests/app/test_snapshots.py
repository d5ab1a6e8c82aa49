"""Snapshot tests: how the reader looks, on the bundled samples.

Each test builds the app with ``make_app`` on an empty temporary cache (so
the samples are shown) and the fixed clock, waits for the list to load, acts
like a user, and compares an SVG screenshot with the one stored in
``tests/app/__snapshots__/``. After a deliberate change of looks, regenerate with
``pytest tests/app/test_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from app.conftest import SIZE, build_app, related_settled, wait_loaded
from reader.state import StateStore

CHOOSE_VIEW_AND_MARK = (
    "h",
    "j",
    "j",
    "j",
    "l",  # choose the saved search: after All, Unread and Starred
    "m",
    "j",
    "f",
    "j",
    "j",
    "m",
    "f",  # read the first, star the second, read and star the fourth
)
"""Keys that leave a saved search chosen, with read, starred and unread rows and highlighted
matches."""


def after_loading(*keys: str):
    """A ``run_before`` that waits for the samples, then presses ``keys``."""

    async def run_before(pilot: Pilot) -> None:
        await wait_loaded(pilot)
        for input_box in pilot.app.screen.query(Input):
            # a blinking cursor would make the picture depend on timing
            input_box.cursor_blink = False
        await pilot.press(*keys)
        await related_settled(pilot)  # the detail pane's scrollbar follows the related items
        # a toast stays for seconds: whether it shows would depend on timing
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_main_screen(snap_compare, samples_locations):
    """Sidebar (views, then topics), list by date with unread marks, detail pane and the samples
    banner."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading()
    )


def test_quality_sort(snap_compare, samples_locations):
    """`s`: highest quality first, said in the list title."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading("s")
    )


def test_topic_chosen(snap_compare, samples_locations):
    """The third topic chosen in the sidebar (which has the focus)."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading("h", "j", "j")
    )


def test_related_item_focused(snap_compare, samples_locations):
    """The related list has the focus, on its second item."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading("l", "j")
    )


def test_help_screen(snap_compare, samples_locations):
    """`?`: every key, from the live bindings."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading("question_mark")
    )


def test_narrow_layout(snap_compare, samples_locations):
    """Under 100 columns the detail pane goes below the list."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=(90, 40), run_before=after_loading()
    )


def test_search_without_match(snap_compare, samples_locations):
    """A search that matches nothing explains itself instead of leaving a blank pane."""
    keys = ("slash", *"zebra crossing", "enter")
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading(*keys)
    )


def test_reading_state(snap_compare, samples_locations):
    """A saved search in the sidebar, chosen: read, starred and unread rows, matches highlighted."""
    store = StateStore(samples_locations.state_path)
    store.save_view("solar", "solar")  # as ctrl+s would (tested in test_app_reading)
    store.close()
    keys = CHOOSE_VIEW_AND_MARK
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading(*keys)
    )


def test_confirm_mark_all_read(snap_compare, samples_locations):
    """`M` asks before marking the whole view read, over the dimmed screen."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading("M")
    )


def test_reader_view(snap_compare, samples_locations):
    """`enter` on an article with a body and links: one centred column, links numbered."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=SIZE, run_before=after_loading("j", "enter")
    )


def test_reader_view_narrow(snap_compare, samples_locations):
    """The reader view on an 70-column terminal: the text wraps to the width."""
    assert snap_compare(
        build_app(samples_locations), terminal_size=(70, 30), run_before=after_loading("j", "enter")
    )
