"""Write ``browser.png``: the reader served by ``newsreader serve``, in a 1280x800 browser window.

Run from anywhere: ``python screenshots/make_browser_screenshot.py``. It needs
Playwright (the ``test`` extra) and Debian's chromium (``apt-get install
chromium``; Playwright's own browser downloads are not used); the titles in
Chinese, Japanese and emoji need ``fonts-noto-cjk`` and
``fonts-noto-color-emoji``. The real ``newsreader serve`` runs on an empty
temporary cache (so the bundled samples are shown) with temporary config and
data folders: the user's own are never read or written. Dates in the list
are relative to today, so the picture changes a little from day to day.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "web"))
from browser_driver import CATCH_TERMINAL  # noqa: E402  (the browser test's own init script)

OUT = HERE / "browser.png"
WINDOW = {"width": 1280, "height": 800}
KEYS = ("j", "j", "f", "j")
"""Pressed once the list is drawn: the third article starred, the fourth highlighted."""


SHOWS = """(needle) => {
  const terminal = window.__terminal;
  if (!terminal) return false;
  const buffer = terminal.buffer.active;
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    if (line && line.translateToString(true).includes(needle)) return true;
  }
  return false;
}"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    sys.exit("make_browser_screenshot: no chromium (Debian: apt-get install chromium)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="newsreader-browser-shot-") as tmp:
        base = Path(tmp)
        env = dict(os.environ)
        for var, name in [
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
        ]:
            env[var] = str(base / name)
        env.pop("NEWSREADER_CACHE_DIR", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "reader", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert server.stdout is not None
            match = re.search(r"http://\S+", server.stdout.readline())
            if match is None:
                sys.exit("make_browser_screenshot: newsreader serve did not start")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium())
                page = browser.new_page(viewport=WINDOW)
                page.add_init_script(CATCH_TERMINAL)
                page.goto(match.group(0))
                page.wait_for_function(SHOWS, arg="sample articles", timeout=60_000)
                page.locator(".xterm-helper-textarea").focus()  # as a click would
                page.wait_for_function(SHOWS, arg="? Help", timeout=30_000)
                for key in KEYS:
                    page.keyboard.press(key)
                page.wait_for_function(SHOWS, arg="★ Starred          1", timeout=30_000)
                time.sleep(1.5)  # the detail pane follows the highlight after a short pause
                page.screenshot(path=str(OUT))
                browser.close()
        finally:
            server.send_signal(2)
            server.communicate(timeout=30)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
