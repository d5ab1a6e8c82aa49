"""Pilot tests: read marks and stars (m, M, f, o, the one-second read) and where they are kept.

Read and starred marks live in ``Locations.state_path`` (SQLite in the data
dir), keyed by URL (by path when an article has none), so several tests end
the app and start a new one on the same folders, or rebuild the index, or
write from a second process, to check that nothing marked is lost. Articles
are marked read by time only in the test that restores the real delay;
everywhere else ``no_auto_read`` holds it off.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import webbrowser

from textual.widgets import Static

from app.conftest import (
    READ,
    SIZE,
    UNREAD,
    Notes,
    Recorder,
    build_app,
    choose_scope,
    paths,
    put_cursor_on,
    row_marks,
    search_for,
    settle,
    sidebar_line,
    state_db,
    wait_loaded,
    wait_until,
)
from reader.components import reading
from reader.components.library_loader import LibraryLoader
from reader.paths import OWN_DIR_NAME
from reader.screens.confirm import ConfirmScreen
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane

REAL_READ_AFTER_SECONDS = reading.READ_AFTER_SECONDS
"""The delay the app really uses (``no_auto_read`` replaces it while each test runs)."""
TIMED_READ_AFTER_SECONDS = 2 * REAL_READ_AFTER_SECONDS
"""The delay of the test of it: a real timer, long enough that passing over a row with two quick
keys never lasts as long, even on a busy machine."""
FRESH_URL = "https://morningwire.example/2026/11/26/fresh-briefing"
STORAGE_URL = "https://signaldesk.example/storage-auction"


def text(screen: MainScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def state_line(screen: MainScreen) -> str:
    """The detail pane's "State" line."""
    return text(screen, "#detail-meta").splitlines()[-1]


# --- m: read / unread --------------------------------------------------------------------------


async def test_m_toggles_read_and_updates_the_row_counts_status_and_detail(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        assert articles.highlighted.path == "fresh.md"  # topics Energy and Climate
        assert row_marks(app)["fresh.md"] == UNREAD and state_line(screen) == "State      unread"
        assert sidebar_line(app, "Energy") == ["Energy", "3", "3"]
        await pilot.press("m")
        assert row_marks(app)["fresh.md"] == READ
        assert (
            set(row_marks(app).values()) == {UNREAD, READ}
            and list(row_marks(app).values()).count(READ) == 1
        )
        assert sidebar_line(app, "All articles") == ["All", "articles", "11", "12"]
        assert sidebar_line(app, "Unread") == ["Unread", "11"]
        assert sidebar_line(app, "Energy") == ["Energy", "2", "3"]
        assert sidebar_line(app, "Climate") == ["Climate", "2", "3"]
        assert sidebar_line(app, "Security") == ["Security", "4", "4"]
        assert text(screen, "#status").endswith(
            " · 11 unread · 1 file skipped (press ! to see why)"
        )
        assert state_line(screen) == "State      read"
        # Off the cursor (which is bold), a read title is no longer bold; an unread one is.
        await pilot.press("j")
        fresh_title = [seg for seg in articles.render_line(0) if seg.text.startswith("Fresh")]
        tokyo_title = [seg for seg in articles.render_line(2) if seg.text.startswith("東京の")]
        assert not fresh_title[0].style.bold and tokyo_title[0].style.bold
        assert fresh_title[0].style.color != tokyo_title[0].style.color  # muted
        # m again: unread again, everywhere.
        await pilot.press("k", "m")
        assert row_marks(app)["fresh.md"] == UNREAD and state_line(screen) == "State      unread"
        assert sidebar_line(app, "All articles") == ["All", "articles", "12", "12"]
        assert sidebar_line(app, "Energy") == ["Energy", "3", "3"]
        # Moving on and marking another: the marks are per article.
        await pilot.press("m", "j", "m")
        assert row_marks(app)["fresh.md"] == row_marks(app)["two-days.md"] == READ
        assert sidebar_line(app, "Unread") == ["Unread", "10"]
        await pilot.press("q")

    # The marks are in the state database, keyed by URL...
    store = state_db(fixture_locations)
    assert store.read == {FRESH_URL, STORAGE_URL} and store.starred == set()
    store.close()
    # ... and the next start shows them.
    again = build_app(fixture_locations)
    async with again.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert row_marks(again)["fresh.md"] == row_marks(again)["two-days.md"] == READ
        assert list(row_marks(again).values()).count(UNREAD) == 10
        assert sidebar_line(again, "Unread") == ["Unread", "10"]


async def test_counts_taken_before_a_mark_are_counted_again_not_shown(fixture_locations):
    """The sidebar is counted in a worker from a snapshot; a mark made meanwhile must survive it."""
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(
            pilot, lambda: sidebar_line(app, "Unread") == ["Unread", "12"], what="the first counts"
        )
        stale = screen.marks.tally(screen.collection)  # a slow worker's snapshot, before the mark
        await pilot.press("m")
        assert sidebar_line(app, "Unread") == ["Unread", "11"]
        screen.loader.post_message(LibraryLoader.Counted(stale))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sidebar_line(app, "Unread") == ["Unread", "11"]
        assert " · 11 unread · " in text(screen, "#status")


async def test_an_article_shown_for_a_second_becomes_read(fixture_locations, monkeypatch):
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", TIMED_READ_AFTER_SECONDS)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        # through the storage article without stopping, to the Tokyo one
        await pilot.press("j", "j")
        assert row_marks(app)["cjk.md"] == UNREAD
        await pilot.pause(TIMED_READ_AFTER_SECONDS + 0.3)
        await wait_until(
            pilot, lambda: row_marks(app)["cjk.md"] == READ, what="the shown article to become read"
        )
        assert row_marks(app)["two-days.md"] == UNREAD  # passed over: not read
        assert state_line(screen) == "State      read"
        assert sidebar_line(app, "Space")[1] == "2"
        # Marking it unread by hand is not undone a second later, nor is a row marked unread at
        # once.
        await pilot.press("m")
        await pilot.press("j", "m", "m")  # emoji: read by hand, then unread again, straight away
        await pilot.pause(TIMED_READ_AFTER_SECONDS + 0.3)
        assert row_marks(app)["cjk.md"] == row_marks(app)["emoji.md"] == UNREAD
        assert screen.query_one(ArticleList).highlighted.path == "emoji.md"


async def test_opening_an_article_marks_it_read(fixture_locations, nothing_alike, monkeypatch):
    browser = Recorder()
    monkeypatch.setattr(webbrowser, "open", browser)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        # Opening a related item is not reading the article.
        await pilot.press("l", "o")
        await settle(pilot)
        assert [call[0] for call in browser.calls] == [
            "https://signaldesk.example/grid-battery-tender"
        ]
        assert row_marks(app)["fresh.md"] == UNREAD
        # Opening the article is.
        await pilot.press("h", "o")
        await settle(pilot)
        assert [call[0] for call in browser.calls][-1] == FRESH_URL
        assert row_marks(app)["fresh.md"] == READ and state_line(screen) == "State      read"
        assert sidebar_line(app, "Unread") == ["Unread", "11"]
        # An article whose link is refused was not opened, so it is not read either.
        await put_cursor_on(pilot, screen, "js-url.md")
        await pilot.press("o")
        await settle(pilot)
        assert len(browser.calls) == 2
        assert row_marks(app)["js-url.md"] == UNREAD


# --- M: mark the whole view read ------------------------------------------------------------------


async def test_M_asks_then_marks_every_row_of_the_view_read(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        # In a topic, only its rows.
        await choose_scope(pilot, screen, "Security")
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        assert text(app.screen, "#confirm-question") == "Mark 4 articles in this view as read?"
        await pilot.press("n")  # no: nothing changes
        assert app.screen is screen
        assert set(row_marks(app).values()) == {UNREAD}
        assert sidebar_line(app, "Unread") == ["Unread", "12"]
        await pilot.press("M", "escape")  # escape is no too
        assert app.screen is screen and set(row_marks(app).values()) == {UNREAD}
        await pilot.press("M", "y")
        assert app.screen is screen
        assert set(row_marks(app).values()) == {READ}
        assert sidebar_line(app, "Security") == [
            "Security",
            "4",
        ]  # no unread count left, the total stays
        assert sidebar_line(app, "All articles") == ["All", "articles", "8", "12"]
        assert notes.messages()[-1] == "Marked 4 articles read."
        # Everything: the question counts only what is still unread.
        await choose_scope(pilot, screen, "All articles")
        await pilot.press("M")
        assert text(app.screen, "#confirm-question") == "Mark 8 articles in this view as read?"
        await pilot.press("tab", "enter")  # the Yes button, by focus (No has it first)
        assert app.screen is screen
        assert set(row_marks(app).values()) == {READ} and len(row_marks(app)) == 12
        assert sidebar_line(app, "Unread") == ["Unread", "0"]
        assert sidebar_line(app, "All articles") == ["All", "articles", "12"]
        assert " · 0 unread" in text(screen, "#status")
        # Nothing left to mark: it says so instead of asking.
        await pilot.press("M")
        assert app.screen is screen and notes.messages()[-1] == "Everything here is read already."
        await choose_scope(pilot, screen, "Unread")
        assert text(screen, "#list-empty").startswith("Nothing unread.")
    store = state_db(fixture_locations)
    assert len(store.read) == 12
    store.close()


async def test_M_in_a_search_marks_only_the_matching_rows(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await search_for(pilot, screen, "record")
        await pilot.press("enter", "M")
        assert text(app.screen, "#confirm-question") == "Mark 2 articles in this view as read?"
        await pilot.press("y", "escape")
        assert {path for path, mark in row_marks(app).items() if mark == READ} == {
            "fresh.md",
            "two-days.md",
        }
        assert sidebar_line(app, "Unread") == ["Unread", "10"]


# --- f: stars -------------------------------------------------------------------------------------


async def test_f_stars_and_the_starred_view_lists_it_across_restarts(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("f")
        assert row_marks(app)["fresh.md"] == " ●★"
        assert state_line(screen) == "State      unread · ★ starred"
        assert sidebar_line(app, "★ Starred") == ["★", "Starred", "1"]
        await pilot.press("m")  # read and starred
        assert row_marks(app)["fresh.md"] == "  ★"
        await put_cursor_on(pilot, screen, "js-url.md")  # no link: starred by its path
        await pilot.press("f")
        assert sidebar_line(app, "★ Starred") == ["★", "Starred", "2"]
        await choose_scope(pilot, screen, "Starred")
        assert paths(screen) == ["fresh.md", "js-url.md"]
        assert text(screen, "#list-title") == "Starred · 2 · by date, newest first"
        await pilot.press("q")
    store = state_db(fixture_locations)
    assert store.starred == {FRESH_URL, "js-url.md"} and store.read == {FRESH_URL}
    store.close()

    again = build_app(fixture_locations)
    async with again.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert row_marks(again)["fresh.md"] == "  ★" and row_marks(again)["js-url.md"] == " ●★"
        assert sidebar_line(again, "★ Starred") == ["★", "Starred", "2"]
        # Unstarring in the Starred view leaves the row until the view is chosen again.
        await choose_scope(pilot, screen, "Starred")
        await pilot.press("f")
        assert sidebar_line(again, "★ Starred") == ["★", "Starred", "1"]
        assert row_marks(again)["fresh.md"] == READ
        await choose_scope(pilot, screen, "Unread")
        await choose_scope(pilot, screen, "Starred")
        assert paths(screen) == ["js-url.md"]
        # An empty Starred view says how to star.
        await pilot.press("f")
        await choose_scope(pilot, screen, "Unread")
        await choose_scope(pilot, screen, "Starred")
        assert text(screen, "#list-empty").startswith("No starred articles yet.")


# --- state that outlives the index and other instances --------------------------------------------


async def test_marks_survive_rebuilding_the_index(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("m", "f")
        await put_cursor_on(pilot, screen, "file-url.md")  # no link: kept by its path
        await pilot.press("m")
        await pilot.press("q")
    own = fixture_locations.cache / OWN_DIR_NAME
    assert own.is_dir()
    shutil.rmtree(own)

    again = build_app(fixture_locations)
    async with again.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert own.is_dir()  # the index was built anew
        assert row_marks(again)["fresh.md"] == "  ★" and row_marks(again)["file-url.md"] == READ
        assert list(row_marks(again).values()).count(UNREAD) == 10
        assert sidebar_line(again, "★ Starred") == ["★", "Starred", "1"]


OTHER_INSTANCE = """
import pathlib, sys, time
from reader.state import StateStore
store = StateStore(pathlib.Path(sys.argv[1]))
stop = pathlib.Path(sys.argv[2])
print("ready", flush=True)
n = 0
while n < 100 or not stop.exists():
    key = f"https://elsewhere.example/{n}"
    store.set_read([key])
    if n % 3 == 0:
        store.toggle_star(key)
    n += 1
    # a reader's pace; a writer that never lets go would starve the other (see below)
    time.sleep(0.002)
store.close()
print(n, flush=True)
"""
"""Another reader on the same data dir, in its own process: it marks other articles, one small
transaction per mark like the app, until told to stop (and at least 100 times).

It pauses between marks: SQLite does not queue writers, so one that takes the lock again
the instant it lets go keeps the other waiting (up to the 30 s busy timeout) however
briefly it holds it."""


async def test_marks_written_at_the_same_time_by_another_instance_are_all_kept(
    fixture_locations, tmp_path
):
    fixture_locations.data.mkdir(parents=True)
    stop = tmp_path / "stop-marking"
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        other = subprocess.Popen(
            [sys.executable, "-c", OTHER_INSTANCE, str(fixture_locations.state_path), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert other.stdout.readline().strip() == "ready"
            for _ in range(4):  # meanwhile, here: read, star and move on; then everything at once
                await pilot.press("m", "f", "j")
            await pilot.press("M", "y")
            stop.touch()
            out, _ = other.communicate(timeout=30)
        finally:
            stop.touch()
            if other.poll() is None:
                other.kill()
                other.wait()
        assert other.returncode == 0
        written = [f"https://elsewhere.example/{n}" for n in range(int(out))]
        ours = {entry.url or entry.path for entry in screen.collection.entries}
        starred_here = {
            entry.url or entry.path for entry in screen.query_one(ArticleList).entries[:4]
        }
        await pilot.press("q")

    store = state_db(fixture_locations)
    assert store.read == set(written) | ours
    assert store.starred == set(written[::3]) | starred_here
    store.close()
    # The other instance's marks do not disturb this one's counts on the next start.
    again = build_app(fixture_locations)
    async with again.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert sidebar_line(again, "Unread") == ["Unread", "0"]
        assert sidebar_line(again, "★ Starred") == ["★", "Starred", "4"]


# --- scrolling the detail pane --------------------------------------------------------------------


async def test_space_and_b_scroll_the_detail_pane(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=(140, 24)) as pilot:
        screen = await wait_loaded(pilot)
        detail = screen.query_one(DetailPane)
        assert detail.max_scroll_y > 0 and detail.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert detail.scroll_y > 0
        # the list keeps the focus and the cursor
        assert screen.focused is screen.query_one(ArticleList)
        assert screen.query_one(ArticleList).cursor == 0
        await pilot.press("b")
        await pilot.pause()
        assert detail.scroll_y == 0


async def test_reading_keys_with_nothing_to_act_on(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await search_for(pilot, screen, "zebra")
        await pilot.press("enter", "m", "f", "M")
        assert app.screen is screen and app.is_running
        assert notes.messages() == ["Nothing to mark: this view is empty."]
        assert screen.state.read == set() and screen.state.starred == set()
