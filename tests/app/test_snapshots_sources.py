"""Snapshot tests of the sidebar's sources: the Feeds section, with a feed whose fetch failed.

Built like ``test_snapshots.py`` (``make_app``, the fixed clock, the test size) on
the feed cache of ``test_app_sources.py``. After a deliberate change of looks,
regenerate with ``pytest tests/app/test_snapshots_sources.py --snapshot-update``
and review the SVGs.
"""

from __future__ import annotations

from textual.pilot import Pilot

from app.conftest import SIZE, build_app
from app.test_app_sources import feeds_cache
from app.test_snapshots import after_loading
from reader.widgets.status_line import StatusLine


def choose_failed_feed():
    """A ``run_before`` that chooses the feed whose fetch failed, with a fixed cache path shown."""
    keys = after_loading("h", "j", "j", "j", "j")  # All, Unread, Starred, Harbour, Broken Wire

    async def run_before(pilot: Pilot) -> None:
        # the temporary cache's path would differ at every run
        pilot.app.screen.query_one(StatusLine).cache = "~/.cache/newsreader"
        await keys(pilot)

    return run_before


def test_feeds_section(snap_compare, tmp_path):
    """Feeds (counts, the failure mark) and Topics under their headings; the failed feed chosen,
    its reason in the list title."""
    assert snap_compare(
        build_app(feeds_cache(tmp_path)), terminal_size=SIZE, run_before=choose_failed_feed()
    )
