"""Pilot tests: served to a web browser, links open in the browser's new tab, never on the server.

Textual's web driver (``newsreader serve``) is stood in for by ``is_web`` and
a recorder in place of ``App.open_url`` (which that driver sends to the
page); ``webbrowser.open`` and ``[[openers]]`` must not be reached at all.
The real driver and browser are exercised in ``tests/web``.
"""

from __future__ import annotations

import pytest

from app.conftest import SIZE, Notes, build_app, settle, wait_loaded
from reader.app import NewsReaderApp
from reader.components.links import Links
from reader.widgets.related_list import RelatedList

FRESH_URL = "https://morningwire.example/2026/11/26/fresh-briefing"


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The app believes it runs in a browser; returns ``(url, new_tab)`` per ``App.open_url``."""
    calls: list[tuple[str, bool]] = []

    def open_url(self, url: str, *, new_tab: bool = False) -> None:
        calls.append((url, new_tab))

    monkeypatch.setattr(NewsReaderApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(NewsReaderApp, "open_url", open_url)
    return calls


def _config(locations, text: str) -> None:
    locations.config.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text(text, encoding="utf-8")


async def test_o_opens_the_article_in_a_new_browser_tab(fixture_locations, browser, web):
    # An opener that would match every URL: on the web it must not run on the server.
    _config(fixture_locations, "[[openers]]\nmatch = '.'\ncommand = ['no-such-program']\n")
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        assert web == [(FRESH_URL, True)]
        assert browser.calls == []
        assert (FRESH_URL, "Opening in a new tab", "information") in notes.items


async def test_a_related_item_opens_in_a_new_tab(fixture_locations, nothing_alike, browser, web):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("l")
        assert screen.focused is screen.query_one(RelatedList)
        await pilot.press("o")
        await settle(pilot)
        assert web == [("https://signaldesk.example/grid-battery-tender", True)]
        assert browser.calls == []


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "file:///etc/passwd", "data:text/html,x"]
)
async def test_the_browser_is_never_sent_anything_but_http(fixture_locations, browser, web, url):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        assert screen.query_one(Links).open(url) is False
        await settle(pilot)
        assert web == [] and browser.calls == []
        [(message, title, _)] = notes.items
        assert title == "Not opened" and "only http and https" in message
