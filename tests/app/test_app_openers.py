"""Pilot tests: ``[[openers]]`` for articles and links, and ``terminal = true`` without a terminal.

The opener is a script that appends its argument list to a log file, so a
test sees exactly what was run; ``webbrowser.open`` is ``app.conftest``'s
recorder and must not be called for a matched URL. Pilot's headless driver
cannot hand the terminal over: the real suspend and resume is tested in a
pseudo-terminal in ``tests/cli/test_terminal_opener.py``.
"""

from __future__ import annotations

import ast
import stat
import sys
import time
from pathlib import Path

from conftest import write_article

from app.conftest import SIZE, Notes, build_app, locations_for, opened, settle, wait_loaded
from reader.paths import Locations
from reader.screens.reader_view import ReaderView

STORY_URL = "https://news.example.com/story"
GUIDE_URL = "https://docs.example.org/guide"
OTHER_URL = "https://elsewhere.test/page"


def _cache(tmp_path: Path) -> Locations:
    locations = locations_for(tmp_path)
    write_article(
        locations.cache / "feeds" / "news.example.com",
        "story.md",
        f"Read [the guide]({GUIDE_URL}) and [elsewhere]({OTHER_URL}).",
        category="news",
        title="A story with links",
        publishedDateTime="2026-11-26T10:00:00Z",
        webUrl=STORY_URL,
        provider={"name": "Example News", "domain": "news.example.com"},
    )
    return locations


def _logger(tmp_path: Path) -> tuple[Path, Path]:
    """A program that appends ``repr(argv[1:])`` to a log; returns (program, log)."""
    log = tmp_path / "opened.log"
    script = tmp_path / "logger.py"
    script.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"with open({str(log)!r}, 'a') as f:\n    f.write(repr(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def _config(locations: Locations, text: str) -> None:
    locations.config.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text(text, encoding="utf-8")


def _calls(log: Path, count: int, timeout: float = 10.0) -> list[list[str]]:
    """The first ``count`` argument lists the logger was run with (waits for them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count:
            return [ast.literal_eval(line) for line in lines]
        time.sleep(0.02)
    raise AssertionError(f"the opener wrote {log.read_text() if log.exists() else 'nothing'}")


async def test_o_runs_the_first_matching_opener_with_the_exact_arguments(tmp_path, browser):
    locations = _cache(tmp_path)
    script, log = _logger(tmp_path)
    _config(
        locations,
        f"[[openers]]\nmatch = 'news\\.example\\.com'\n"
        f"command = [{str(script)!r}, '--from', 'list', '--url={{url}}']\n\n"
        f"[[openers]]\nmatch = 'example\\.com'\ncommand = ['never-this-one']\n\n"
        f"[[openers]]\nmatch = 'docs\\.example\\.org'\ncommand = [{str(script)!r}]\n",
    )
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        assert _calls(log, 1) == [["--from", "list", f"--url={STORY_URL}"]]
        assert (STORY_URL, "Opening with logger.py", "information") in notes.items
        # The reader view: `o` opens the article, a number opens that link of the text;
        # the second matching table is never reached, and no match means the browser.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderView)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert _calls(log, 3)[1:] == [["--from", "list", f"--url={STORY_URL}"], [GUIDE_URL]]
        assert opened(browser) == []
        await pilot.press("2")
        await settle(pilot)
        assert opened(browser) == [OTHER_URL]
        assert len(_calls(log, 3)) == 3


async def test_a_link_that_is_not_http_never_reaches_an_opener(tmp_path, browser):
    locations = _cache(tmp_path)
    script, log = _logger(tmp_path)
    _config(locations, f"[[openers]]\nmatch = '.'\ncommand = [{str(script)!r}]\n")
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        for url in ("javascript:alert(1)", "file:///etc/passwd", "/relative/path"):
            screen.action_open_link(url)  # where a click on a link in the text goes
        await settle(pilot)
        assert [title for _, title, _ in notes.items] == ["Not opened"] * 3
        assert "only http and https are opened" in notes.items[0][0]
        assert not log.exists() and opened(browser) == []


async def test_a_terminal_opener_without_a_terminal_says_so_and_runs_nothing(tmp_path, browser):
    locations = _cache(tmp_path)
    script, log = _logger(tmp_path)
    _config(
        locations,
        f"[[openers]]\nmatch = 'example'\ncommand = [{str(script)!r}]\nterminal = true\n",
    )
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        message = "logger.py needs the terminal, which cannot be handed over here; not run"
        assert notes.items == [(message, "Not opened", "warning")]
        assert not log.exists() and opened(browser) == []
        await pilot.press("enter")  # the app carries on
        await pilot.pause()
        assert isinstance(app.screen, ReaderView)


async def test_a_terminal_opener_that_is_not_installed_is_one_line(tmp_path, browser):
    locations = _cache(tmp_path)
    _config(
        locations,
        "[[openers]]\nmatch = 'example'\ncommand = ['no-such-pager-here', '{url}']\n"
        "terminal = true\n",
    )
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        assert notes.items == [
            ("cannot start no-such-pager-here: not found, or not executable", "Not opened", "error")
        ]
        assert opened(browser) == []


async def test_a_terminal_key_that_is_not_a_bool_leaves_the_table_out(tmp_path, browser):
    locations = _cache(tmp_path)
    script, log = _logger(tmp_path)
    _config(
        locations,
        f"[[openers]]\nmatch = 'example'\ncommand = [{str(script)!r}]\nterminal = 'yes'\n",
    )
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        problem, title, severity = notes.items[0]
        assert (title, severity) == ("Openers", "warning")
        assert problem.endswith("openers #1 left out: 'terminal' must be true or false")
        assert opened(browser) == [STORY_URL] and not log.exists()


async def test_with_no_matching_opener_browser_is_the_fallback(tmp_path, monkeypatch):
    """No ``webbrowser.open`` stand-in here: the real module runs ``$BROWSER``."""
    import webbrowser

    locations = _cache(tmp_path)
    script, log = _logger(tmp_path)
    _config(locations, "[[openers]]\nmatch = 'no-such-host'\ncommand = ['never-this-one']\n")
    monkeypatch.setenv("BROWSER", f"{script} --from-browser %s")
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # read $BROWSER again
    monkeypatch.setattr(webbrowser, "_browsers", {})
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("o")
        await settle(pilot)
        assert _calls(log, 1) == [["--from-browser", STORY_URL]]
        assert notes.items == [(STORY_URL, "Opening in your browser", "information")]
