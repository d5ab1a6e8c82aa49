"""Snapshot tests of a list that shows the titles: long titles at 100 and 160 columns.

Built like ``test_snapshots.py`` (``make_app``, the fixed clock) on a small
cache of long-titled articles written by the test (``long_titles_cache``).
After a deliberate change of looks, regenerate with
``pytest tests/app/test_snapshots_list_layout.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from textual.pilot import Pilot

from app.conftest import build_app
from app.test_app_list_settings import long_titles_cache
from app.test_snapshots import after_loading
from reader.widgets.status_line import StatusLine


def fixed_cache_path():
    """A ``run_before`` that waits for the list, with a fixed cache path in the status line."""
    loaded = after_loading()

    async def run_before(pilot: Pilot) -> None:
        # the temporary cache's path would differ at every run
        pilot.app.screen.query_one(StatusLine).cache = "~/.cache/newsreader"
        await loaded(pilot)

    return run_before


def test_long_titles_at_160_columns(snap_compare, tmp_path):
    """Sidebar, list and detail pane side by side; the titles keep 70 and more of their
    characters."""
    assert snap_compare(
        build_app(long_titles_cache(tmp_path)),
        terminal_size=(160, 40),
        run_before=fixed_cache_path(),
    )


def test_long_titles_at_100_columns(snap_compare, tmp_path):
    """The detail pane below the list, which keeps the whole width beside the sidebar."""
    assert snap_compare(
        build_app(long_titles_cache(tmp_path)),
        terminal_size=(100, 40),
        run_before=fixed_cache_path(),
    )


def test_configured_columns_and_widths(snap_compare, tmp_path):
    """``[list]``: title first, then the absolute date; a wider sidebar and detail pane."""
    config = (
        '[list]\ncolumns = ["mark", "title", "date"]\ndate = "absolute"\n'
        'sidebar_width = 30\ndetail_width = "30%"\n'
    )
    assert snap_compare(
        build_app(long_titles_cache(tmp_path, config)),
        terminal_size=(160, 40),
        run_before=fixed_cache_path(),
    )
