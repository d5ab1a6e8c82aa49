"""End to end: ``newsreader serve`` in a real headless chromium driven by Playwright.

The served reader is the real one (a subprocess per browser tab) over an
isolated cache, state and config; keys pressed in the page must do what they
do in a terminal, seen both on the screen (the terminal's text, see
:mod:`web.browser_driver`) and in the state file; a browser without the
token gets neither the page nor the websocket. Skips, saying why, only when
chromium or Playwright is missing (``.ci/run`` installs both).
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import write_article
from served import Served

from reader.paths import resolve
from web.browser_driver import (
    CATCH_TERMINAL,
    READ_SCREEN,
    chromium_path,
    sync_playwright,
    wait_for_text,
    wait_until,
)

STARRED_URL = "https://harbour.example/ferries"
"""The second newest article: ``j`` moves to it and ``f`` stars it."""

FITTED = """() => {
  const terminal = window.__terminal;
  const screen = document.querySelector(".xterm-screen").getBoundingClientRect();
  return {cols: terminal.cols, rows: terminal.rows, width: screen.width, height: screen.height,
          fits: screen.right <= window.innerWidth && screen.bottom <= window.innerHeight};
}"""
"""The terminal's size in cells and whether it is drawn inside the window."""

OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
"""Every address but the served reader's."""

TRY_SOCKET = """async (url) => await new Promise((done) => {
  const socket = new WebSocket(url);
  socket.onopen = () => { socket.close(); done("open"); };
  socket.onerror = () => done("refused");
  setTimeout(() => done("no answer"), 10000);
})"""
"""Opens a websocket from the page; says whether the server let it open."""


@pytest.fixture
def news(cache: Path) -> Path:
    """Three dated articles, newest first: Tidal, Ferries, Orchard."""
    for name, title, url, day, source in [
        ("tidal.md", "Tidal turbines reach full output", "https://sea.example/tidal", 20, "Sea"),
        ("ferries.md", "Autonomous ferries begin trials", STARRED_URL, 19, "Harbour"),
        ("orchard.md", "Orchard robots learn to prune", "https://farm.example/orchard", 18, "Farm"),
    ]:
        write_article(
            cache,
            name,
            title=title,
            originalUrl=url,
            publishedDateTime=f"2026-11-{day}T09:00:00Z",
            topics=["Science"],
            provider={"name": f"{source} Wire", "domain": "example.org"},
        )
    return cache


def starred_at(cache: Path, url: str) -> float | None:
    """The star of ``url`` in the state file the served reader writes (None: not starred)."""
    path = resolve(cache).state_path
    if not path.exists():
        return None
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT starred_at FROM marks WHERE key = ?", (url,)).fetchone()
    return row[0] if row else None


def open_tab(browser, url: str, width: int = 1280, height: int = 800):
    """A new page on the served reader, its terminal caught and the keyboard given to it."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(30_000)
    page.add_init_script(CATCH_TERMINAL)
    response = page.goto(url)
    assert response is not None and response.status == 200
    wait_for_text(page, "All articles")
    # The keyboard goes to the terminal once it has the focus, as after a click.
    page.locator(".xterm-helper-textarea").focus()
    wait_for_text(page, "? Help")  # the footer shows the keys once focused
    return page


def saved_views(cache: Path) -> list[str]:
    """The queries of the saved searches in the state file."""
    path = resolve(cache).state_path
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [query for (query,) in db.execute("SELECT query FROM views")]


def test_keys_in_the_browser_change_the_screen_and_the_state(news: Path, tmp_path: Path) -> None:
    executable = chromium_path()
    start_playwright = sync_playwright()
    began = time.monotonic()
    served = Served(news)
    try:
        with start_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                # Links the reader opens in new tabs are recorded, never fetched.
                asked: list[str] = []
                context.route(
                    OUTSIDE, lambda route: (asked.append(route.request.url), route.abort())
                )
                page = context.new_page()
                page.set_default_timeout(30_000)
                page.add_init_script(CATCH_TERMINAL)
                response = page.goto(served.url)
                assert response is not None and response.status == 200
                screen = wait_for_text(page, "Autonomous ferries begin trials")
                assert "All articles · 3" in screen
                # The keyboard goes to the terminal once it has the focus, as after a click.
                page.locator(".xterm-helper-textarea").focus()
                wait_for_text(page, "f Star")  # the footer shows the keys once focused

                page.keyboard.press("j")
                wait_for_text(page, "Source     Harbour Wire")  # the detail pane followed
                page.keyboard.press("f")
                screen = wait_for_text(page, "★ Starred          1")
                [row] = [line for line in screen.splitlines() if "ferries begin" in line]
                assert "★" in row, screen
                wait_until(lambda: starred_at(news, STARRED_URL), "the star in state.sqlite3")
                assert starred_at(news, "https://sea.example/tidal") is None

                # o: the article opens in a new tab of this browser (not on the server's machine).
                with context.expect_page(timeout=20_000):
                    page.keyboard.press("o")
                wait_for_text(page, "Opening in a new tab")
                wait_until(lambda: STARRED_URL in asked, "the new tab's request")
                page.bring_to_front()

                page.keyboard.press("/")
                page.keyboard.type("orchard")
                page.keyboard.press("Enter")
                screen = wait_for_text(page, "search “orchard”")  # typed to the end
                assert "All articles · 1 of 3" in screen, screen
                # ctrl+s is the reader's (save the search as a view), not the browser's.
                page.keyboard.press("Control+s")
                page.keyboard.press("Enter")
                wait_until(lambda: saved_views(news) == ["orchard"], "the saved search")
                page.screenshot(path=str(tmp_path / "served.png"))
                assert (tmp_path / "served.png").stat().st_size > 10_000

                # Another browser, without the token: no page, no websocket.
                stranger = browser.new_context()
                other = stranger.new_page()
                refused = other.goto(served.base + "/")
                assert refused is not None and refused.status == 403
                assert "token" in other.inner_text("body")
                assert other.goto(served.base + "/?token=wrong").status == 403
                socket_base = served.base.replace("http:", "ws:")
                for path in ("/ws", "/ws/wrong-token", "/ws/?token=" + served.token):
                    assert other.evaluate(TRY_SOCKET, socket_base + path) == "refused", path
                # The page's own websocket address works from the same place (the check above
                # is not failing for another reason).
                own = f"{socket_base}/ws/{served.token}?width=80&height=24"
                assert other.evaluate(TRY_SOCKET, own) == "open"
                stranger.close()
                assert page.evaluate(READ_SCREEN)  # the first tab is still drawn
            finally:
                browser.close()
    finally:
        stopping = time.monotonic()
        out, err = served.stop()
        stopped = time.monotonic() - stopping
    assert served.process.returncode == 0, err
    assert "Traceback" not in out + err, out + err
    assert stopped < 15, f"Ctrl-C took {stopped:.1f} s"
    assert time.monotonic() - began < 90


def test_tabs_and_the_terminal_share_the_state(news: Path, run_cli) -> None:
    """Tabs are readers of their own over one state file, as two terminal readers are."""
    executable = chromium_path()
    start_playwright = sync_playwright()
    served = Served(news)
    try:
        with start_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable)
            try:
                first = open_tab(browser, served.url)
                first.keyboard.press("j")
                wait_for_text(first, "Source     Harbour Wire")
                first.keyboard.press("f")
                wait_until(lambda: starred_at(news, STARRED_URL), "the first tab's star")
                # The terminal, meanwhile: the command line sees the tab's star and adds one.
                listed = run_cli("--cache-dir", news, "list", "is:starred")
                assert "Autonomous ferries begin trials" in listed.stdout, listed.stderr
                marked = run_cli("--cache-dir", news, "mark", "star", "orchard")
                assert marked.stdout == "marked 1 article starred\n", marked.stderr
                # A new tab starts from the file: both stars.
                second = open_tab(browser, served.url)
                wait_for_text(second, "★ Starred          2")
                # The first tab unstars its article; the terminal's star stays.
                first.keyboard.press("f")
                wait_until(lambda: starred_at(news, STARRED_URL) is None, "the unstar")
                assert starred_at(news, "https://farm.example/orchard") is not None
            finally:
                browser.close()
    finally:
        out, err = served.stop()
    assert served.process.returncode == 0 and "Traceback" not in out + err, out + err


@pytest.mark.parametrize(("width", "height"), [(860, 560), (1920, 1080)])
def test_help_and_footer_fit_the_window(news: Path, width: int, height: int) -> None:
    """The terminal is fitted to the window; help and the footer are drawn within it."""
    executable = chromium_path()
    start_playwright = sync_playwright()
    served = Served(news)
    try:
        with start_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable)
            try:
                page = open_tab(browser, served.url, width, height)
                size = page.evaluate(FITTED)
                assert size["fits"], size
                footer = page.evaluate(READ_SCREEN).splitlines()[-1]
                assert "q Quit" in footer and "? Help" in footer, footer
                page.keyboard.press("?")
                screen = wait_for_text(page, "newsreader — keys")
                lines = screen.splitlines()
                top = next(i for i, line in enumerate(lines) if "newsreader — keys" in line)
                # The help's frame closes on screen, above the footer.
                assert any("▁" in line or "▄" in line or "─" in line for line in lines[top:])
                assert len(lines) == size["rows"]
                page.keyboard.press("Escape")
                wait_until(lambda: "newsreader — keys" not in page.evaluate(READ_SCREEN), "help")
            finally:
                browser.close()
    finally:
        served.stop()
