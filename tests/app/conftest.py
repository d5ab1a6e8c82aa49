"""Helpers and fixtures for the Pilot and snapshot tests of the reader UI.

Every app here is built with :func:`reader.app.make_app` on temporary
locations and a fixed clock (2026-11-26 12:00 UTC), with the local zone set
to UTC, so dates, relative ages and snapshots never depend on when or where
the tests run. Articles are not marked read by merely staying highlighted
(:func:`no_auto_read`) unless a test asks for it, so what a row shows never
depends on how fast the machine is. Test modules import what they use from
here (``from app.conftest import ...``: ``tests/app`` is a package, so this module
does not clash with ``tests/conftest.py``). The fixtures apply by name.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reader.app import NewsReaderApp, make_app
from reader.components import feed_fetch, reading
from reader.paths import Locations
from reader.screens.main import MainScreen
from reader.state import StateStore
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.topic_sidebar import TopicSidebar

UI_FIXTURES = Path(__file__).parent.parent / "fixtures" / "ui"
CACHE_FIXTURE = UI_FIXTURES / "cache"
"""Twelve readable articles and one broken file."""
BROKEN_FIXTURE = UI_FIXTURES / "broken"
"""Three files that cannot be read, nothing else."""

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
SIZE = (140, 40)
"""The default terminal size of the Pilot tests (wide layout)."""
ROOMY_DETAIL = (280, 40)
"""A terminal where the detail pane (17% of the width) holds a line of metadata unwrapped."""
MARKS = 3
"""Cells of the mark column that starts each row: unread or new (2), then starred (1)."""
UNREAD, READ = " ● ", "   "
"""The mark column of an unread and of a read article, neither starred."""


def fixed_clock() -> dt.datetime:
    """The tests' "now"."""
    return NOW


@pytest.fixture(autouse=True)
def no_auto_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Highlighting an article does not mark it read after a second (tests of that set their own
    delay)."""
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 3600.0)


@pytest.fixture(autouse=True)
def no_background_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader does not fetch due feeds by itself: a slow test with feeds at made-up URLs must
    not reach for the network (tests of the refresh set their own timing)."""
    monkeypatch.setattr(feed_fetch, "FIRST_CHECK_SECONDS", 3600.0)
    monkeypatch.setattr(feed_fetch, "CHECK_SECONDS", 3600.0)


@pytest.fixture(autouse=True)
def utc_local_zone() -> Iterator[None]:
    """Make the local time zone UTC for the test, and restore the real one after."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def locations_for(tmp_path: Path, fixture: Path | None = None) -> Locations:
    """Temporary locations; the cache holds a copy of ``fixture`` (or is empty)."""
    cache = tmp_path / "cache"
    if fixture is not None:
        shutil.copytree(fixture, cache)
    else:
        cache.mkdir(parents=True, exist_ok=True)
    return Locations(cache=cache, config=tmp_path / "config", data=tmp_path / "data")


def build_app(locations: Locations) -> NewsReaderApp:
    """The real app on ``locations`` with the fixed clock."""
    return make_app(locations, clock=fixed_clock)


@pytest.fixture
def samples_locations(tmp_path: Path) -> Locations:
    """An empty cache: the app shows the bundled samples."""
    return locations_for(tmp_path)


@pytest.fixture
def fixture_locations(tmp_path: Path) -> Locations:
    """A cache holding ``tests/fixtures/ui/cache``."""
    return locations_for(tmp_path, CACHE_FIXTURE)


@pytest.fixture
def broken_locations(tmp_path: Path) -> Locations:
    """A cache holding only unreadable files."""
    return locations_for(tmp_path, BROKEN_FIXTURE)


async def wait_loaded(pilot: Pilot, timeout: float = 30.0, counted: bool = True) -> MainScreen:
    """Wait (bounded) until the whole list is in and everything it sets off has been shown; return
    the main screen.

    The loader's messages bubble: the loader takes each one before the screen does, and the
    sidebar's counts and the detail pane's related items come from threads after the list has
    painted. So "loaded" is a state of the screen, not of the loader (see :func:`screen_settled`),
    held while the picture stays the same for a few checks. A test that holds the counting
    back says ``counted=False``.
    """
    app = pilot.app
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = app.screen
        if (
            isinstance(screen, MainScreen)
            and not screen.scanning
            and screen.query_one(ArticleList).entries
        ):
            await screen_settled(pilot, deadline, counted)
            return screen
        await pilot.pause(0.02)
    raise AssertionError("the article list did not load in time")


@pytest.fixture
def nothing_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index finds nothing in the cache alike or linked: the pane lists the file's own items
    only, as before related articles were computed."""
    from reader import related_items

    monkeypatch.setattr(
        related_items, "look_up", lambda index, entry, urls, limit=10: related_items.Found(entry.id)
    )


SETTLED_CHECKS = 3
"""How many checks in a row must find the screen settled and its picture unchanged."""


def _screen_settled(screen: MainScreen, counted: bool) -> bool:
    """The whole list is shown (not the first page), the sidebar has its counts (if
    ``counted``) and the detail pane the related items of the article it shows."""
    if screen.scanning or screen.page is not None or (counted and not screen.marks.counted):
        return False
    if screen.marks.collection is not screen.collection:
        return False
    detail = screen.query_one(DetailPane)
    entry = detail.entry
    return entry is None or entry.id is None or detail.found_for is entry


def _queues_empty(app: NewsReaderApp) -> bool:
    """No message waits in the app or in any widget of its screen."""
    nodes = [app, *app.screen.walk_children(with_self=True)]
    return all(node._message_queue.empty() for node in nodes)


async def screen_settled(pilot: Pilot, deadline: float, counted: bool = True) -> None:
    """Pause until the main screen is settled (see :func:`_screen_settled`), no message is
    waiting anywhere, and what the terminal shows is the same for :data:`SETTLED_CHECKS` checks
    in a row; fail by ``deadline``, saying what is missing."""
    quiet, last = 0, None
    while quiet < SETTLED_CHECKS and time.monotonic() < deadline:
        await pilot.pause()
        screen = pilot.app.screen
        picture = screen_text(pilot.app)
        calm = _queues_empty(pilot.app) and (
            not isinstance(screen, MainScreen) or _screen_settled(screen, counted)
        )
        quiet = quiet + 1 if calm and picture == last else 0
        last = picture
        if quiet < SETTLED_CHECKS:
            await pilot.pause(0.01)
    if quiet < SETTLED_CHECKS:
        raise AssertionError(f"the screen did not settle: {_unsettled(pilot.app, counted)}")


def _unsettled(app: NewsReaderApp, counted: bool) -> str:
    """What keeps the screen from settling, in words (for the failure)."""
    screen = app.screen
    if not _queues_empty(app):
        return "messages keep coming"
    if isinstance(screen, MainScreen) and not _screen_settled(screen, counted):
        return (
            f"scanning={screen.scanning}, first page shown={screen.page is not None}, "
            f"counted={screen.marks.counted}, "
            f"counts of the list shown={screen.marks.collection is screen.collection}, "
            "or the related items not in"
        )
    return "the picture keeps changing"


async def related_settled(pilot: Pilot, timeout: float = 10.0) -> None:
    """Wait (bounded) until the detail pane's related look-up has answered and been shown, so
    that what the pane lists (and its scrollbar) does not depend on timing."""
    await screen_settled(pilot, time.monotonic() + timeout)


async def wait_until(
    pilot: Pilot, condition, timeout: float = 5.0, what: str = "condition"
) -> None:
    """Pause until ``condition()`` is true (bounded), e.g. a worker's effect."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def screen_lines(app: NewsReaderApp) -> list[str]:
    """The text of every line of the active screen, as the terminal would show it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: NewsReaderApp) -> str:
    """All of :func:`screen_lines` joined with newlines."""
    return "\n".join(screen_lines(app))


def widget_text(widget: Any) -> str:
    """The plain text a widget renders (its own lines, without borders)."""
    height = widget.size.height
    return "\n".join(widget.render_line(y).text.rstrip() for y in range(height)).rstrip()


def sidebar_lines(app: NewsReaderApp) -> list[list[str]]:
    """The words of each non-blank line of the sidebar; the divider, whatever its width, is
    ``["─"]``."""
    sidebar = app.screen.query_one(TopicSidebar)
    lines = [line.split() for line in widget_text(sidebar).splitlines() if line.strip()]
    return [["─"] if len(words) == 1 and set(words[0]) == {"─"} else words for words in lines]


def list_rows(app: NewsReaderApp) -> list[str]:
    """The text of each rendered row of the article list that shows an entry."""
    articles = app.screen.query_one(ArticleList)
    rows = min(articles.size.height, len(articles.entries) - int(articles.scroll_y))
    return [articles.render_line(y).text for y in range(rows)]


def paths(screen: MainScreen) -> list[str]:
    """The path of every article in the list, in order."""
    return [entry.path for entry in screen.query_one(ArticleList).entries]


def row_marks(app: NewsReaderApp) -> dict[str, str]:
    """The mark column of each row on screen, by the path of its article."""
    entries = app.screen.query_one(ArticleList).entries
    return {entry.path: row[:MARKS] for entry, row in zip(entries, list_rows(app))}


def sidebar_line(app: NewsReaderApp, name: str) -> list[str]:
    """The words of the one sidebar line that starts with ``name``."""
    found = [words for words in sidebar_lines(app) if " ".join(words).startswith(name)]
    assert len(found) == 1, (name, sidebar_lines(app))
    return found[0]


def state_db(locations: Locations) -> StateStore:
    """The state database as a second program would read it (close it after use)."""
    return StateStore(locations.state_path)


async def search_for(pilot: Pilot, screen: MainScreen, query: str) -> None:
    """Open the search box with ``/`` and put ``query`` in it as if typed.

    Typing key by key costs a tenth of a second a key; ``test_app_keys`` does it.
    """
    await pilot.press("slash")
    screen.query_one("#filter", Input).value = query
    await pilot.pause()


async def put_cursor_on(pilot: Pilot, screen: MainScreen, path: str) -> None:
    """Put the list's cursor on the article stored at ``path``, as clicking its row would."""
    articles = screen.query_one(ArticleList)
    articles.cursor = paths(screen).index(path)
    await pilot.pause()
    assert articles.highlighted.path == path


async def choose_scope(pilot: Pilot, screen: MainScreen, name: str) -> None:
    """Highlight the sidebar line ``name`` as moving onto it does; the list gets the focus."""
    sidebar = screen.query_one(TopicSidebar)
    sidebar.highlighted = [scope.name for scope in sidebar.scopes].index(name)
    await pilot.pause()
    assert screen.view.scope.name == name
    screen.query_one(ArticleList).focus()
    await pilot.pause()


class Recorder:
    """A stand-in for a function: remembers the positional arguments of each call."""

    def __init__(self, result: Any = True) -> None:
        self.calls: list[tuple] = []
        self.result = result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        return self.result


class Notes:
    """Records every notification the app raises (message, title, severity)."""

    def __init__(self, app: NewsReaderApp) -> None:
        self.items: list[tuple[str, str, str]] = []
        original = app.notify

        def notify(
            message: str, *, title: str = "", severity: str = "information", **kwargs: Any
        ) -> None:
            self.items.append((message, title, severity))
            original(message, title=title, severity=severity, **kwargs)

        app.notify = notify  # type: ignore[method-assign]

    def messages(self) -> list[str]:
        """Every message so far."""
        return [message for message, _, _ in self.items]


async def settle(pilot: Pilot) -> None:
    """Let workers (the browser launch) finish and their messages be handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Stands in for ``webbrowser.open``; records ``(url,)`` per call."""
    import webbrowser

    recorder = Recorder(result=True)
    monkeypatch.setattr(webbrowser, "open", recorder)
    return recorder


def opened(browser: Recorder) -> list[str]:
    """The URLs handed to the browser, in order."""
    return [call[0] for call in browser.calls]
