"""The reader under storage failures: it says why in the status line and keeps marks working.

The conditions are real (an immutable state file, one another process holds, a folder where the
index should be); see :mod:`storage_conditions`.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import ExitStack

from storage_conditions import held, immutable

from app.conftest import SIZE, build_app, sidebar_line, sidebar_lines, wait_loaded, wait_until
from reader.components import reading
from reader.marks import Marks
from reader.state import StateStore
from reader.widgets.article_list import ArticleList
from reader.widgets.status_line import StatusLine

WIDE = (240, SIZE[1])
"""Wide enough for the status line to show a reason with its temporary paths."""
KEY_BOUND = 3.0
"""Seconds a key may take here: far from the old behaviour (a 30 s wait, then a crash), and far
enough above its 0.1 s that a loaded machine does not fail it (1.3 s was seen in a full suite
run beside other work)."""


def _status(screen) -> str:
    return str(screen.query_one(StatusLine).render())


async def _timed_press(pilot, key: str) -> float:
    started = time.monotonic()
    await pilot.press(key)
    return time.monotonic() - started


async def test_a_read_only_state_file_keeps_marks_and_saves_them_once_writable(
    fixture_locations, monkeypatch
):
    monkeypatch.setattr(reading, "SAVE_RETRY_SECONDS", 0.2)
    state = fixture_locations.state_path
    StateStore(state).close()
    read_only = ExitStack()
    read_only.enter_context(immutable(state))
    app = build_app(fixture_locations)  # opens the state file, as the real start does
    async with app.run_test(size=WIDE) as pilot:
        with read_only:
            screen = await wait_loaded(pilot)
            first = screen.query_one(ArticleList).highlighted
            assert await _timed_press(pilot, "m") < KEY_BOUND  # before: a traceback
            assert await _timed_press(pilot, "f") < KEY_BOUND
            assert screen.marks.is_read(first)
            await wait_until(pilot, lambda: "cannot be written" in _status(screen), what="why")
            assert str(state) in _status(screen)
        # Writable again: the next try saves the marks, and the reason goes away.
        await wait_until(pilot, lambda: not screen.state.pending, what="the marks to be saved")
        await wait_until(pilot, lambda: "⚠" not in _status(screen), what="the reason to go")
    again = StateStore(state)
    assert len(again.read) == 1 and len(again.starred) == 1
    again.close()


async def test_a_state_file_held_by_another_process_never_blocks_a_key(
    fixture_locations, monkeypatch
):
    monkeypatch.setattr(reading, "SAVE_RETRY_SECONDS", 0.2)
    state = fixture_locations.state_path
    StateStore(state).close()
    with held(state):
        app = build_app(fixture_locations)
        async with app.run_test(size=WIDE) as pilot:
            screen = await wait_loaded(pilot)
            took = [await _timed_press(pilot, key) for key in ("m", "j", "m", "f")]
            assert max(took) < KEY_BOUND, took
            assert len(screen.marks.read) == 2
            await wait_until(pilot, lambda: "in use by another program" in _status(screen))
    again = StateStore(state)  # saved at exit, once the other process let go
    assert len(again.read) == 2 and len(again.starred) == 1
    again.close()


async def test_an_index_path_that_is_a_folder_is_shown_with_why(fixture_locations):
    index = fixture_locations.index_path
    index.mkdir(parents=True)
    app = build_app(fixture_locations)
    async with app.run_test(size=WIDE) as pilot:
        screen = await wait_loaded(pilot)
        # Before: 0 articles of 51, without a word.
        assert len(screen.collection) == 12
        assert "index.sqlite3 is not a file: indexing in memory this run" in _status(screen)
    assert index.is_dir()


def _count_held(monkeypatch) -> threading.Event:
    """Hold every count of the marks back until the event returned is set."""
    counting = threading.Event()
    tally = Marks.tally

    def slow_tally(self, collection):
        counting.wait(timeout=10)
        return tally(self, collection)

    monkeypatch.setattr(Marks, "tally", slow_tally)
    return counting


async def test_no_unread_number_before_the_count(fixture_locations, monkeypatch):
    # Before: "· -1 unread" (a mark before the first count) or "· 0 unread" until the count.
    counting = _count_held(monkeypatch)
    app = build_app(fixture_locations)
    async with app.run_test(size=WIDE) as pilot:
        screen = await wait_loaded(pilot, counted=False)
        assert not re.search(r"\d unread", _status(screen))
        await pilot.press("m")
        await pilot.pause(0.1)
        assert not re.search(r"\d unread", _status(screen))
        counting.set()
        await wait_until(pilot, lambda: "11 unread" in _status(screen), what="the real count")


async def test_the_sidebar_shows_no_counts_before_the_first_count(fixture_locations, monkeypatch):
    # Before: a mark made while a million articles were being counted (6 s) filled the sidebar
    # from the empty counts, "All articles 0" beside a list of 1,000,000, until the count came.
    counting = _count_held(monkeypatch)
    app = build_app(fixture_locations)
    async with app.run_test(size=WIDE) as pilot:
        screen = await wait_loaded(pilot, counted=False)
        assert sidebar_lines(app) == []
        await pilot.press("m", "f")
        await pilot.pause(0.1)
        assert screen.marks.is_read(screen.query_one(ArticleList).highlighted)
        assert sidebar_lines(app) == []
        counting.set()
        await wait_until(pilot, lambda: screen.marks.counted, what="the count")
        await pilot.pause()
        assert sidebar_line(app, "All") == ["All", "articles", "11", "12"]
        assert sidebar_line(app, "★") == ["★", "Starred", "1"]


async def test_marks_that_can_be_kept_nowhere_are_named_at_exit(fixture_locations, monkeypatch):
    """The state file and its folder both refuse writes to the end: the loss is said, not silent."""
    monkeypatch.setattr(reading, "SAVE_RETRY_SECONDS", 0.2)
    state = fixture_locations.state_path
    StateStore(state).close()
    with immutable(state), immutable(state.parent):
        app = build_app(fixture_locations)
        async with app.run_test(size=WIDE) as pilot:
            await wait_loaded(pilot)
            await pilot.press("m", "j", "f")
            await pilot.press("q")
        notes = [note for note in app.farewell if note]
        assert len(notes) == 1, app.farewell
        assert notes[0].startswith("2 change(s) to read marks, stars or saved searches")
        assert str(state) in notes[0]
    assert not state.with_name(state.name + ".unsaved.json").exists()


async def test_marks_refused_to_the_end_are_kept_beside_the_state_file_silently(
    fixture_locations, monkeypatch
):
    monkeypatch.setattr(reading, "SAVE_RETRY_SECONDS", 0.2)
    state = fixture_locations.state_path
    StateStore(state).close()
    with immutable(state):
        app = build_app(fixture_locations)
        async with app.run_test(size=WIDE) as pilot:
            await wait_loaded(pilot)
            await pilot.press("m", "j", "f")
            await pilot.press("q")
    assert not any(app.farewell), app.farewell  # nothing lost: the next run saves them
    again = StateStore(state)
    assert len(again.read) == 1 and len(again.starred) == 1
    again.close()
