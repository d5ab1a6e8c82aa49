"""Snapshot tests of light themes, named in config.toml: every colour from the theme, text
readable on a light background.

Built like ``test_snapshots.py`` (``make_app`` on the bundled samples, the fixed clock,
the test size). After a deliberate change of looks, regenerate with
``pytest tests/app/test_snapshots_theme.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from app.conftest import SIZE, build_app
from app.test_app_sources import feeds_cache
from app.test_snapshots import CHOOSE_VIEW_AND_MARK, after_loading
from app.test_snapshots_sources import choose_failed_feed
from reader.paths import Locations


def with_theme(locations: Locations, theme: str) -> Locations:
    """``locations`` whose config.toml starts with ``theme = ...`` (before any table)."""
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    rest = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(f'theme = "{theme}"\n' + rest, encoding="utf-8")
    return locations


def test_textual_light(snap_compare, samples_locations):
    """Read, starred and unread rows, search matches, the detail pane and related articles."""
    app = build_app(with_theme(samples_locations, "textual-light"))
    assert snap_compare(app, terminal_size=SIZE, run_before=after_loading(*CHOOSE_VIEW_AND_MARK))


def test_solarized_light_failed_feed(snap_compare, tmp_path):
    """A feed whose fetch failed: the sidebar's mark and the list title's reason in the theme's
    error colours."""
    app = build_app(with_theme(feeds_cache(tmp_path), "solarized-light"))
    assert snap_compare(app, terminal_size=SIZE, run_before=choose_failed_feed())
