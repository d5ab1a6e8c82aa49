"""Auto-read: an article shown for a moment becomes read, but not under a dialog or while typing."""

from __future__ import annotations

import signal
import threading
import time

import pytest

import reader.state
from app.conftest import (
    SIZE,
    UNREAD,
    build_app,
    paths,
    row_marks,
    search_for,
    wait_loaded,
    wait_until,
)
from reader.components import reading
from reader.entry import entry_key
from reader.screens.confirm import ConfirmScreen
from reader.state import read_rows
from reader.widgets.article_list import ArticleList

QUICK_READ = 0.2
"""The auto-read delay these tests use (the real one is a second)."""


# --- auto-read ----------------------------------------------------------------------------


def _is_read(app, path: str) -> bool:
    return row_marks(app)[path] != UNREAD


async def test_no_auto_read_while_typing_a_search_but_after_going_back_to_the_list(
    fixture_locations, monkeypatch
):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        monkeypatch.setattr(reading, "READ_AFTER_SECONDS", QUICK_READ)
        await search_for(pilot, screen, "glacier")
        articles = screen.query_one(ArticleList)
        assert paths(screen) == ["old.md"] and articles.highlighted.path == "old.md"
        assert screen.focused is screen.query_one("#filter")
        await pilot.pause(QUICK_READ * 3)
        assert not _is_read(app, "old.md")
        assert screen.state.read == set()
        await pilot.press("enter")  # back to the list, the same article still shown
        assert screen.focused is articles and articles.highlighted.path == "old.md"
        await wait_until(
            pilot,
            lambda: _is_read(app, "old.md"),
            what="the article to be read once the list has focus",
        )
        assert len(screen.state.read) == 1


async def test_no_auto_read_under_the_mark_all_dialog(fixture_locations, monkeypatch):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        monkeypatch.setattr(reading, "READ_AFTER_SECONDS", QUICK_READ)
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        # The highlight moves under the dialog (as a reload might move it): the quick timer starts.
        articles = screen.query_one(ArticleList)
        articles.cursor = 1
        await pilot.pause()
        shown = articles.highlighted.path
        assert shown == paths(screen)[1] and screen.reading.timing
        await pilot.pause(QUICK_READ * 3)
        assert screen.state.read == set()
        await pilot.press("n")
        assert app.screen is screen
        await wait_until(
            pilot,
            lambda: _is_read(app, shown),
            what="the article to be read once the dialog is gone",
        )
        assert len(screen.state.read) == 1


async def test_q_in_the_confirm_dialog_answers_no(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen and app.is_running and app.return_code is None
        assert screen.state.read == set()
        assert set(row_marks(app).values()) == {UNREAD}
        await pilot.press("q")  # on the list, q still quits
        await pilot.pause()
        assert not app.is_running


async def test_marking_many_says_so_on_screen_before_it_starts(fixture_locations, monkeypatch):
    # At a million articles, M held the screen 10 s without a word (2 s once written behind).
    monkeypatch.setattr(reading, "SAY_FIRST_ABOVE", 3)
    monkeypatch.setattr(reading, "SAY_FIRST_SECONDS", 1.5)  # a slow machine's keys come first
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        unread = len(paths(screen)) - len(screen.state.read)
        assert unread > 3
        await pilot.press("M", "y")
        notes = [note.message for note in app._notifications]
        assert f"Marking {unread} articles read…" in notes
        assert len(screen.state.read) < unread  # said first, marked after
        await wait_until(
            pilot, lambda: not set(row_marks(app).values()) & {UNREAD}, what="all marked read"
        )
        assert f"Marked {unread} articles read." in [note.message for note in app._notifications]


async def test_marking_a_few_needs_no_word_first(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("M", "y")
        await pilot.pause()
        notes = [note.message for note in app._notifications]
        assert not [note for note in notes if note.startswith("Marking")]
        assert [note for note in notes if note.startswith("Marked")]
        assert not set(row_marks(app).values()) & {UNREAD}
        assert screen.state.read


async def test_marks_of_mark_all_read_written_behind_are_on_file_after_a_quick_quit(
    fixture_locations, monkeypatch
):
    # Past BEHIND_ABOVE a thread writes the marks (a million held the screen 7-8 s); `q` right
    # after `M` must wait for it rather than lose them.
    monkeypatch.setattr(reader.state, "BEHIND_ABOVE", 2)
    stamp, started = reader.state.stamp_local, []

    def slow_stamp(*args, **kwargs):
        started.append(True)
        time.sleep(0.5)  # the thread is still writing when the app closes
        return stamp(*args, **kwargs)

    monkeypatch.setattr(reader.state, "stamp_local", slow_stamp)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        unread = set(map(entry_key, screen.query_one(ArticleList).entries))
        assert len(unread) > 2
        await pilot.press("M", "y")
        await wait_until(pilot, lambda: bool(started), what="the writer thread started")
        assert not set(row_marks(app).values()) & {UNREAD}  # shown read while being written
        await pilot.press("q")
    rows = read_rows(fixture_locations.state_path)
    assert rows is not None
    assert unread <= {key for key, read_at, _ in rows[0] if read_at is not None}


@pytest.mark.parametrize("stop", ["q", "SIGTERM"])
async def test_q_while_marks_are_written_behind_says_so_and_quits_once_they_are(
    fixture_locations, monkeypatch, stop
):
    # At a million, `q` right after `M` waited seconds for the writer in a frozen-looking exit.
    monkeypatch.setattr(reader.state, "BEHIND_ABOVE", 2)
    stamp, held = reader.state.stamp_local, threading.Event()

    def held_stamp(*args, **kwargs):
        assert held.wait(10)
        return stamp(*args, **kwargs)

    monkeypatch.setattr(reader.state, "stamp_local", held_stamp)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("M", "y")
        await wait_until(pilot, lambda: screen.state.writing, what="the writer thread")
        if stop == "q":
            await pilot.press("q")
        else:  # what the loop's handler for SIGTERM calls
            app._exit_when_shown(128 + signal.SIGTERM)
        await pilot.pause(0.3)
        assert app.is_running  # not before the marks are in
        notes = [note.message for note in app._notifications]
        assert "Saving the marks… the reader closes once they are written." in notes
        await pilot.press("q")  # a second q changes nothing
        assert app.is_running
        held.set()
        await wait_until(pilot, lambda: not app.is_running, what="the exit")
    assert app.return_code == (0 if stop == "q" else 128 + signal.SIGTERM)
    rows = read_rows(fixture_locations.state_path)
    assert rows is not None and all(read_at is not None for _, read_at, _ in rows[0])
    assert len(rows[0]) >= len(screen.collection.entries) - 1  # one URL may be two files'
