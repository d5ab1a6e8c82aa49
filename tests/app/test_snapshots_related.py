"""Snapshot of the detail pane's related section: a story from two providers, a related item
found in the cache, and the cached articles computed to be like it.

Built like ``test_snapshots.py`` on the hand-made cache of ``test_app_related.py``.
After a deliberate change of looks, regenerate with
``pytest tests/app/test_snapshots_related.py --snapshot-update`` and review the SVG.
"""

from __future__ import annotations

from textual.pilot import Pilot

from app.conftest import SIZE, build_app, put_cursor_on, wait_loaded
from app.related_setup import related_cache, related_ready
from reader.widgets.detail_pane import DetailPane
from reader.widgets.status_line import StatusLine


async def _wire_story_related(pilot: Pilot) -> None:
    screen = await wait_loaded(pilot)
    screen.query_one(StatusLine).cache = "~/.cache/newsreader"  # the temporary path would vary
    await put_cursor_on(pilot, screen, "wire-a.md")
    await related_ready(pilot, screen)
    await pilot.press("l")  # into the related items
    screen.query_one(DetailPane).scroll_end(animate=False)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_related_section_with_copies_and_cached_items(snap_compare, tmp_path):
    """The copy from the other provider first ("same story"), the file's own item found in the
    cache ("● in your cache", its provider and date from the cache), then "≈ similar" ones."""
    assert snap_compare(
        build_app(related_cache(tmp_path)), terminal_size=SIZE, run_before=_wire_story_related
    )
