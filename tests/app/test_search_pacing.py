"""When typed search text is searched: each key at once, or once for keys queued behind a slow
search (:mod:`reader.screens.search_pacing`).

The rule is tested on a fake clock; the screen's use of it with a burst of keys posted at once,
as a terminal delivers a paste or fast typing, with every search counted as slow.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from app.conftest import SIZE, build_app, paths, wait_loaded
from reader.screens import main as main_screen
from reader.screens import search_pacing
from reader.screens.search_pacing import GATHER_SECONDS, QUEUED_SECONDS, SLOW_SECONDS, SearchPacing


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Harness:
    """A pacing whose searches take ``cost`` seconds of the fake clock; put-off calls are kept."""

    def __init__(self, cost: float) -> None:
        self.clock = Clock()
        self.cost = cost
        self.searches = 0
        self.later: list[tuple[float, object]] = []
        self.pacing = SearchPacing(self.search, self.remember, self.clock)

    def search(self) -> None:
        self.searches += 1
        self.clock.now += self.cost

    def remember(self, delay: float, function) -> None:
        self.later.append((delay, function))

    def fire(self) -> None:
        (delay, function), *self.later = self.later
        self.clock.now += delay
        function()


def test_quick_searches_run_at_every_key():
    harness = Harness(cost=SLOW_SECONDS / 5)
    for _ in range(5):
        harness.pacing.typed()  # each right behind the last
    assert harness.searches == 5 and harness.later == []


def test_keys_queued_behind_a_slow_search_are_searched_once():
    harness = Harness(cost=SLOW_SECONDS * 4)
    harness.pacing.typed()
    assert harness.searches == 1  # the first key at once
    for _ in range(6):  # the keys typed while it ran come in right behind it
        harness.pacing.typed()
    assert harness.searches == 1 and harness.pacing.waiting
    assert [delay for delay, _ in harness.later] == [GATHER_SECONDS]  # one search put off
    harness.fire()
    assert harness.searches == 2 and not harness.pacing.waiting


def test_a_key_typed_well_after_a_slow_search_runs_at_once():
    harness = Harness(cost=SLOW_SECONDS * 4)
    harness.pacing.typed()
    harness.clock.now += QUEUED_SECONDS * 2  # the person paused
    harness.pacing.typed()
    assert harness.searches == 2 and harness.later == []


def test_settle_runs_the_put_off_search_now_and_only_once():
    harness = Harness(cost=SLOW_SECONDS * 4)
    harness.pacing.typed()
    harness.pacing.typed()
    harness.pacing.settle()  # Enter
    assert harness.searches == 2 and not harness.pacing.waiting
    harness.fire()  # the timer set for it finds nothing to do
    assert harness.searches == 2
    harness.pacing.settle()
    assert harness.searches == 2


# --- in the app -----------------------------------------------------------------------------


@pytest.fixture
def every_search_slow(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count every row computation's search text, and count every search as slow, so keys
    posted together are treated as keys that queued up behind one."""
    monkeypatch.setattr(search_pacing, "SLOW_SECONDS", 0.0)
    monkeypatch.setattr(search_pacing, "QUEUED_SECONDS", 60.0)
    texts: list[str] = []
    real = main_screen.shown_rows

    def counted(view, *args, **kwargs):
        texts.append(view.text)
        return real(view, *args, **kwargs)

    monkeypatch.setattr(main_screen, "shown_rows", counted)
    return texts


def post_keys(app, typed: str) -> None:
    """Post one key per character at once, as a terminal delivers fast typing."""
    for character in typed:
        app.post_message(events.Key(character, character))


async def test_a_burst_of_keys_is_searched_on_its_last_text(fixture_locations, every_search_slow):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash")
        every_search_slow.clear()
        post_keys(app, "turbines")
        await pilot.pause(GATHER_SECONDS * 5)
        assert screen.query_one("#filter", Input).value == "turbines"
        assert screen.view.text == "turbines"
        # At most the first key at once and the rest in one search: not eight searches, and
        # the last on the whole text. (The first reads the box, which may hold more by then.)
        assert 1 <= len(every_search_slow) <= 2
        assert every_search_slow[-1] == "turbines"
        shown = paths(screen)
        # The same rows as the text searched in one go.
        screen.view = screen.view.cleared()
        screen.query_one("#filter", Input).value = ""
        await pilot.pause()
        screen.query_one("#filter", Input).value = "turbines"
        await pilot.pause(GATHER_SECONDS * 5)
        assert paths(screen) == shown and shown


async def test_escape_right_after_a_burst_leaves_no_search(fixture_locations, every_search_slow):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        everything = paths(screen)
        await pilot.press("slash")
        post_keys(app, "tur")
        await pilot.pause()  # searched at once: the keys behind it wait for the gathering
        post_keys(app, "bines")
        app.post_message(events.Key("escape", None))  # before the put-off search runs
        await pilot.pause(GATHER_SECONDS * 5)
        assert screen.view.text == ""
        assert paths(screen) == everything


async def test_enter_shows_the_put_off_search_at_once(
    fixture_locations, every_search_slow, monkeypatch
):
    monkeypatch.setattr(search_pacing, "GATHER_SECONDS", 60.0)  # only Enter can search it
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash")
        post_keys(app, "tur")
        await pilot.pause()
        assert screen.view.text == "tur"
        post_keys(app, "bines")
        await pilot.pause()
        assert screen.view.text == "tur"  # put off
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        assert screen.view.text == "turbines"
        assert every_search_slow[-1] == "turbines"
