"""Start-up: a preloaded index shows the same rows, a damaged state file is reported, reloads."""

from __future__ import annotations

import sqlite3

from app.conftest import (
    SIZE,
    Notes,
    build_app,
    fixed_clock,
    list_rows,
    paths,
    search_for,
    wait_loaded,
    wait_until,
)
from reader.app import make_app
from reader.library import SortKey, Source, preload
from reader.paths import Locations
from reader.screens.main import MainScreen

GARBAGE = b"\x00\xffnot a database at all\x13\x37" * 40


def _index_once(locations: Locations) -> None:
    """Build the cache's index, as an earlier run would have."""
    source = Source(locations)
    source.scan()
    source.index.close()


# --- preload ---------------------------------------------------------------------------


def test_preload_reads_the_index_and_starts_the_comparison(fixture_locations):
    _index_once(fixture_locations)
    ready = preload(fixture_locations).result(timeout=30)
    try:
        assert not ready.source.is_samples
        assert ready.source.root == fixture_locations.cache
        assert (ready.page.articles, ready.page.stories) == (12, 12)
        newest = ready.page.head(SortKey.DATE, False)
        assert newest is not None and len(newest) == 12
        assert ready.diff is not None
        changed, gone, seen, _ = ready.diff.result(timeout=60)
        assert (changed, gone, seen) == ([], [], 13)  # nothing changed since the index was built
    finally:
        ready.source.index.close()


def test_preload_without_a_cache_folder_has_no_comparison(tmp_path):
    locations = Locations(
        cache=tmp_path / "absent", config=tmp_path / "config", data=tmp_path / "data"
    )
    ready = preload(locations).result(timeout=30)
    try:
        assert ready.diff is None
        assert ready.source.index.db_path is None
        assert not ready.page
    finally:
        ready.source.index.close()
    assert not locations.cache.exists()


async def _rows_of(app) -> tuple[list[str], list[str], bool]:
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        return paths(screen), list_rows(app), screen.is_samples


async def test_a_preloaded_app_shows_the_same_rows(fixture_locations):
    _index_once(fixture_locations)
    plain = await _rows_of(build_app(fixture_locations))
    preloaded = await _rows_of(
        make_app(fixture_locations, preload=preload(fixture_locations), clock=fixed_clock)
    )
    assert preloaded == plain
    assert len(plain[0]) == 12 and not plain[2]


async def test_a_preloaded_app_on_a_fresh_cache_shows_the_same_rows(fixture_locations):
    # No index yet: the preloaded list is empty and the scan fills it.
    plain_locations = Locations(
        fixture_locations.cache, fixture_locations.config, fixture_locations.data
    )
    preloaded = await _rows_of(
        make_app(fixture_locations, preload=preload(fixture_locations), clock=fixed_clock)
    )
    plain = await _rows_of(build_app(plain_locations))
    assert preloaded == plain and len(plain[0]) == 12


async def test_a_preloaded_app_without_a_cache_shows_the_samples(tmp_path):
    locations = Locations(
        cache=tmp_path / "absent", config=tmp_path / "config", data=tmp_path / "data"
    )
    preloaded = await _rows_of(make_app(locations, preload=preload(locations), clock=fixed_clock))
    plain = await _rows_of(build_app(locations))
    assert preloaded == plain
    assert plain[2] and plain[0]


# --- a state file that is not a database ------------------------------------------------


async def test_a_garbage_state_file_is_reported_and_left_untouched(fixture_locations):
    state_path = fixture_locations.state_path
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(GARBAGE)
    app = build_app(fixture_locations)
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        warnings = [(m, s) for m, _, s in notes.items if "marks are not saved this run" in m]
        assert len(warnings) == 1 and warnings[0][1] == "warning", notes.items
        assert str(state_path) in warnings[0][0]
        await pilot.press("m", "f")  # marks work for this run, in memory
        assert len(screen.state.read) == 1 and len(screen.state.starred) == 1
        await pilot.press("q")
    assert state_path.read_bytes() == GARBAGE
    assert sorted(p.name for p in state_path.parent.iterdir()) == [state_path.name]


# --- a reload after a fetch -----------------------------------------------------------------


async def test_a_reload_closes_the_replaced_index_and_the_list_keeps_working(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        before = paths(screen)
        old = screen.source
        assert old is not None
        screen.loader.load()
        await wait_until(pilot, lambda: screen.source is not old, what="the reloaded source")
        await app.workers.wait_for_complete()
        await pilot.pause()
        try:
            old.index.conn.execute("select 1")
        except sqlite3.ProgrammingError:
            pass
        else:
            raise AssertionError("the replaced index is still open")
        screen.source.index.conn.execute("select 1")
        assert paths(screen) == before
        await search_for(pilot, screen, "glacier")
        assert paths(screen) == ["old.md"]
        await search_for(pilot, screen, "turb")
        assert paths(screen) == ["fresh.md"]
        assert isinstance(app.screen, MainScreen)
