"""A real headless browser on ``newsreader serve``: start it, find chromium, read the screen.

textual-serve's page draws the reader with xterm.js on a canvas, so the text
is not in the page's DOM. :data:`CATCH_TERMINAL`, run before the page's own
script, keeps the xterm.js ``Terminal`` the page creates (its script assigns
it to a ``terminal`` property, which an inherited setter sees), and
:data:`READ_SCREEN` reads the rows of its buffer: the test asserts on the
text the reader drew, not on pixels.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable

import pytest

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    if (value && value.buffer && value.buffer.active) { window.__terminal = value; }
    Object.defineProperty(this, 'terminal',
      {value, writable: true, configurable: true, enumerable: true});
  },
});
"""
"""Keeps the page's xterm.js terminal in ``window.__terminal`` (an init script)."""

READ_SCREEN = """() => {
  const terminal = window.__terminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""
"""The terminal's visible rows as text, one line each."""


def chromium_path() -> str:
    """Debian's chromium, or skip saying how to get it (``.ci/run`` installs it)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)")


def sync_playwright() -> Callable:
    """Playwright's sync API, or skip saying how to get it (the ``test`` extra has it)."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    return start


def wait_for_text(page, needle: str, timeout: float = 30.0) -> str:
    """Poll the terminal until ``needle`` is on screen; the screen's text."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = page.evaluate(READ_SCREEN)
        if needle in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} not on screen after {timeout} s:\n{text}")


def wait_until(check: Callable[[], object], what: str, timeout: float = 20.0) -> object:
    """Poll ``check`` until it returns something true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what}: not after {timeout} s")
