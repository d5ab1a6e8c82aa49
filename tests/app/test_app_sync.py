"""Pilot tests: the running reader keeps its marks in step with other machines (issue #17).

The app runs on ``fixture_locations`` with ``sync_dir`` in its config.toml;
the other machine is a second set of locations under ``tmp_path`` that marks
through its own :class:`StateStore` and syncs with :func:`sync_once`, as
``newsreader mark`` and ``newsreader sync`` would there. The reader's pass
interval is made short so the tests wait for a fraction of a second, not two;
the test of the issue's bound (a mark shows within 5 s) keeps the real
interval and prints the time it took.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import Static

from app.conftest import (
    READ,
    SIZE,
    Notes,
    build_app,
    row_marks,
    sidebar_line,
    sidebar_lines,
    state_db,
    wait_loaded,
    wait_until,
)
from reader.components import sync_watch
from reader.paths import Locations
from reader.state import StateStore
from reader.sync.run import sync_once
from reader.widgets.article_list import ArticleList

FRESH_URL = "https://morningwire.example/2026/11/26/fresh-briefing"
"""fresh.md: the first row, highlighted at start."""
STORAGE_URL = "https://signaldesk.example/storage-auction"
"""two-days.md."""
SHOWN_WITHIN = 5.0
"""The issue's bound: a mark made on another machine shows this soon."""
REAL_PASS_SECONDS = sync_watch.PASS_SECONDS


@pytest.fixture(autouse=True)
def quick_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_watch, "PASS_SECONDS", 0.2)


def syncing(locations: Locations, shared: Path) -> None:
    """Give ``locations`` a config.toml whose ``sync_dir`` is ``shared``."""
    locations.config.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text(f'sync_dir = "{shared.as_posix()}"\n')


def other_machine(tmp_path: Path) -> Locations:
    other = tmp_path / "other"
    return Locations(cache=other / "cache", config=other / "config", data=other / "data")


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).content)


def detail_state(app) -> str:
    return str(app.screen.query_one("#detail-meta", Static).content).splitlines()[-1]


async def test_marks_made_on_another_machine_show_without_a_key(
    fixture_locations, tmp_path, monkeypatch
):
    monkeypatch.setattr(sync_watch, "PASS_SECONDS", REAL_PASS_SECONDS)  # the bound, for real
    shared = tmp_path / "shared"
    shared.mkdir()
    syncing(fixture_locations, shared)
    other = other_machine(tmp_path)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        cursor, highlighted = articles.cursor, articles.highlighted
        assert highlighted.path == "fresh.md" and row_marks(app)["fresh.md"] != READ
        assert sidebar_line(app, "Unread") == ["Unread", "12"]
        # The other machine reads fresh.md, stars two-days.md and saves a search, then syncs.
        store = StateStore(other.state_path)
        store.set_read([FRESH_URL])
        store.set_starred([STORAGE_URL])
        store.save_view("Storage", "storage")
        assert not store.close()
        sync_once(other, shared)
        landed = time.monotonic()

        def shown() -> bool:
            marks = row_marks(app)
            return (
                marks["fresh.md"] == READ
                and marks["two-days.md"] == " ●★"
                and sidebar_line(app, "Unread") == ["Unread", "11"]
                and ["/", "Storage", "1"] in [line[:3] for line in sidebar_lines(app)]
            )

        await wait_until(pilot, shown, timeout=SHOWN_WITHIN, what="the other machine's marks")
        print(f"shown {time.monotonic() - landed:.2f} s after the other machine's files landed")
        assert screen.marks.read >= {FRESH_URL} and STORAGE_URL in screen.marks.starred
        assert sidebar_line(app, "★ Starred") == ["★", "Starred", "1"]
        assert detail_state(app) == "State      read"
        assert "sync: 3 changes from other machines" in status(app)
        # Nothing moved: the same row is highlighted, the list holds the same rows.
        assert articles.cursor == cursor and articles.highlighted is highlighted


async def test_a_mark_made_in_the_reader_reaches_the_other_machine(fixture_locations, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    syncing(fixture_locations, shared)
    other = other_machine(tmp_path)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("m", "f")  # fresh.md: read and starred
        assert row_marks(app)["fresh.md"] == "  ★"

        def arrived() -> bool:
            sync_once(other, shared)
            store = StateStore(other.state_path)
            try:
                return FRESH_URL in store.read and FRESH_URL in store.starred
            finally:
                store.close()

        await wait_until(pilot, arrived, timeout=SHOWN_WITHIN, what="the mark on the other machine")
        # The reader's own marks coming back are not news.
        assert "from other machines" not in status(app)


async def test_marks_made_just_before_quitting_go_out_at_exit(
    fixture_locations, tmp_path, monkeypatch
):
    monkeypatch.setattr(sync_watch, "PASS_SECONDS", 3600.0)  # only the first pass and the last
    shared = tmp_path / "shared"
    shared.mkdir()
    syncing(fixture_locations, shared)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        watch = screen.query_one(sync_watch.SyncWatch)
        await wait_until(pilot, lambda: watch.passes >= 1, what="the first pass")
        await pilot.press("f")
        started = time.monotonic()
        await pilot.press("q")
    print(f"exit took {time.monotonic() - started:.2f} s")
    other = other_machine(tmp_path)
    sync_once(other, shared)
    store = StateStore(other.state_path)
    assert store.starred == {FRESH_URL}
    store.close()


async def test_a_missing_folder_is_noted_once_and_syncing_starts_when_it_comes(
    fixture_locations, tmp_path
):
    shared = tmp_path / "drive" / "shared"
    syncing(fixture_locations, shared)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        notes = Notes(app)
        screen = await wait_loaded(pilot)
        watch = screen.query_one(sync_watch.SyncWatch)
        await wait_until(pilot, lambda: "sync folder not there" in status(app), what="the note")
        assert status(app).endswith("⚠ sync folder not there: changes wait")
        changes: list[str] = []
        screen.watch(
            screen.query_one("#status"), "sync_problem", lambda v: changes.append(v), init=False
        )
        passes = watch.passes
        await wait_until(pilot, lambda: watch.passes >= passes + 3, what="more passes")
        assert changes == [] and notes.items == []  # the same note is not said again
        await pilot.press("m")  # waits in the state file meanwhile
        shared.mkdir(parents=True)
        await wait_until(pilot, lambda: "sync folder" not in status(app), what="the note to go")
        assert any(shared.iterdir())  # this machine's files are there now
    other = other_machine(tmp_path)
    sync_once(other, shared)
    store = state_db(other)
    assert store.read == {FRESH_URL}
    store.close()


async def test_no_sync_dir_no_sync(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        watch = screen.query_one(sync_watch.SyncWatch)
        await pilot.pause(0.5)
        assert watch.folder is None and watch.passes == 0
        assert "sync:" not in status(app) and "sync folder" not in status(app)


async def test_a_failed_pass_is_one_line_and_the_next_good_one_clears_it(
    fixture_locations, tmp_path, monkeypatch
):
    from reader.sync import run

    shared = tmp_path / "shared"
    shared.mkdir()
    syncing(fixture_locations, shared)

    def refused(locations, where):
        raise run.SyncError("another sync pass is still running")

    monkeypatch.setattr(run, "sync_once", refused)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: "⚠ sync: another" in status(app), what="the failure")
        assert status(app).endswith("⚠ sync: another sync pass is still running")
        monkeypatch.undo()
        monkeypatch.setattr(sync_watch, "PASS_SECONDS", 0.2)
        await wait_until(pilot, lambda: "sync:" not in status(app), what="the note to go")


def test_a_pass_that_fails_in_an_unforeseen_way_is_one_clean_line(tmp_path, monkeypatch):
    from reader.sync import run

    def broken(locations, where):
        raise ValueError("file \x1b[31mevil\x07 name\nsecond line")

    monkeypatch.setattr(run, "sync_once", broken)
    outcome = sync_watch.run_pass(other_machine(tmp_path), tmp_path)
    assert outcome == sync_watch.Outcome(problem="sync failed: file evil name second line")
