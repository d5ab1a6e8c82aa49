"""Issue #12 in the reader: ``R`` and ``q`` stop a fetch of 20,000 entries at once, and a
FIFO under ``feeds/`` neither hangs the fetch nor keeps ``q`` from quitting.

Before the fix ``R`` said "Stopping the fetch…" for over 10 s and then every
entry was written anyway; ``q`` took as long; with a FIFO ``R`` stayed
"Stopping…" and ``q`` never returned. The target is 1 s; the asserts allow
3 s because the test machine is shared. The ``q`` case runs the real program
in a pseudo-terminal, since only a real exit shows whether the fetch thread
held the process.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from big_feeds import ENTRIES, BigFeedServer, article_files, serving, whole_articles
from conftest import PROXY_VARS

from app.conftest import CACHE_FIXTURE, SIZE, Notes, build_app, wait_loaded, wait_until
from reader import captions
from reader.feeds import Feed, save_feeds
from reader.feeds.parse import parse_document
from reader.feeds.store import site_domain

REPO = Path(__file__).resolve().parents[2]
STOP_WITHIN = 3.0
"""Seconds a stop may take here (the target is 1 s)."""


@pytest.fixture(scope="module")
def server() -> Iterator[BigFeedServer]:
    with serving() as running:
        yield running


async def test_a_second_R_stops_a_fetch_of_20000_entries_within_a_second(fixture_locations, server):
    save_feeds(fixture_locations.feeds_config_path, [Feed(server.url("/big.json"))])
    cache = fixture_locations.cache
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("R")
        await wait_until(
            pilot, lambda: len(article_files(cache)) >= 50, timeout=120, what="the first files"
        )
        started = time.monotonic()
        await pilot.press("R")
        await wait_until(
            pilot, lambda: not screen.fetcher.running, timeout=30, what="the fetch to stop"
        )
        took = time.monotonic() - started
        assert took < STOP_WITHIN
        written = whole_articles(cache)
        assert 50 <= len(written) < ENTRIES
        assert notes.items[-1] == captions.fetch_summary(len(written), [], True)
        await wait_until(pilot, lambda: not screen.scanning, timeout=30, what="the rescan")


async def test_R_stops_the_full_text_downloads_that_follow_a_fetch(fixture_locations, server):
    feed = Feed(server.url("/pages.xml"), full_text=True)
    save_feeds(fixture_locations.feeds_config_path, [feed])
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("R")
        await wait_until(
            pilot, lambda: server.page_requests, timeout=30, what="the first page to be asked for"
        )
        assert screen.fetcher.running  # the pages are part of the fetch: R stops them too
        started = time.monotonic()
        await pilot.press("R")
        await wait_until(
            pilot, lambda: not screen.fetcher.running, timeout=30, what="the pages to stop"
        )
        assert time.monotonic() - started < STOP_WITHIN
        pages = [w for w in app.workers if w.group == "fetch-pages"]
        await wait_until(
            pilot, lambda: all(w.is_finished for w in pages), timeout=1, what="the worker to end"
        )


def _fifos(cache: Path, server: BigFeedServer) -> list[Path]:
    """FIFOs named ``x.md`` in ``feeds/`` and in the folder the small feed writes to."""
    small = server.url("/small.xml")
    parsed = parse_document((REPO / "tests/fixtures/feeds/rss2.xml").read_bytes(), small)
    folder = site_domain(parsed.site_url, parsed.entries[0].url, small)
    fifos = [cache / "feeds" / "x.md", cache / "feeds" / folder / "x.md"]
    for fifo in fifos:
        fifo.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(fifo)
    return fifos


async def test_R_with_a_fifo_under_feeds_fetches_and_q_quits(fixture_locations, server):
    save_feeds(fixture_locations.feeds_config_path, [Feed(server.url("/small.xml"))])
    fifos = _fifos(fixture_locations.cache, server)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("R")
        await wait_until(pilot, lambda: not screen.fetcher.running, timeout=30, what="the fetch")
        assert notes.items[-1] == captions.fetch_summary(3, [], False)
        await wait_until(pilot, lambda: not screen.scanning, timeout=30, what="the rescan")
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, timeout=STOP_WITHIN, what="q to quit")
    assert all(fifo.exists() for fifo in fifos)


class _Terminal:
    """The real program in a pseudo-terminal: keys in, output drained (and kept) on a thread."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
        )
        os.close(slave)
        self._drain = threading.Thread(target=self._read, daemon=True)
        self._drain.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        os.close(self.master)


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_q_during_a_fetch_of_20000_entries_quits_within_a_second(server, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(CACHE_FIXTURE, cache)
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp_path / name.lower())
    for name in ("NEWSREADER_CACHE_DIR", *PROXY_VARS):
        env.pop(name, None)
    reader = [sys.executable, "-m", "reader", "--cache-dir", str(cache)]
    add = subprocess.run(
        [*reader, "feeds", "add", server.url("/big.json")], env=env, capture_output=True
    )
    assert add.returncode == 0, add.stderr
    terminal = _Terminal(reader, env, tmp_path)
    try:
        _wait(lambda: b"unread" in terminal.output, 60, "the reader to start")
        terminal.press(b"R")
        _wait(lambda: len(article_files(cache)) >= 50, 120, "the first files")
        started = time.monotonic()
        terminal.press(b"q")
        terminal.process.wait(30)
        took = time.monotonic() - started
    finally:
        terminal.close()
    assert took < STOP_WITHIN
    assert terminal.process.returncode == 0
    assert b"Traceback" not in terminal.output
    assert 50 <= len(whole_articles(cache)) < ENTRIES
