"""Issue #12: a stop reaches every long loop of a fetch, and odd files never block it.

Rows covered: "``R`` to stop a fetch of a feed with 20,000 entries" (here the
stop event the ``R`` key sets, and Ctrl-C / SIGTERM for ``newsreader fetch``)
and "a FIFO named ``x.md`` under ``feeds/``". Before the fix a stop waited
20-80 s and then every entry was written anyway, SIGTERM left a ``.tmp-``
file, and a FIFO made ``fetch`` hang forever. The target is 1 s; the asserts
allow 3 s because the test machine is shared.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from big_feeds import ENTRIES, BigFeedServer, article_files, serving, whole_articles
from conftest import PROXY_VARS

from reader import paths
from reader.feeds import Feed, FetchReport, fetch_feeds, save_feeds
from reader.feeds.http import STATE_FILE, HttpState
from reader.feeds.parse import parse_document
from reader.feeds.store import site_domain

REPO = Path(__file__).resolve().parents[2]
STOP_WITHIN = 3.0
"""Seconds a stop may take here (the target is 1 s; measured 0.0-0.4 s)."""


@pytest.fixture(scope="module")
def server() -> Iterator[BigFeedServer]:
    with serving() as running:
        yield running


@pytest.fixture
def locations(tmp_path: Path) -> paths.Locations:
    return paths.resolve(tmp_path / "cache")


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class _Background:
    """``fetch_feeds`` in a thread, as the reader's worker runs it, with its stop event."""

    def __init__(self, locations: paths.Locations) -> None:
        self.stop = threading.Event()
        self.report: FetchReport | None = None
        self.thread = threading.Thread(target=self._run, args=(locations,), daemon=True)
        self.thread.start()

    def _run(self, locations: paths.Locations) -> None:
        self.report = fetch_feeds(locations, stop=self.stop)

    def stop_and_time(self) -> float:
        started = time.monotonic()
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive(), "the fetch did not stop within 30 s"
        return time.monotonic() - started


def test_a_stop_while_20000_entries_are_written_ends_between_two_whole_files(server, locations):
    url = server.url("/big.json")
    save_feeds(locations.feeds_config_path, [Feed(url)])
    fetch = _Background(locations)
    _wait_for(lambda: len(article_files(locations.cache)) >= 50, 120, "the first files")

    took = fetch.stop_and_time()

    assert took < STOP_WITHIN
    report = fetch.report
    assert report is not None and report.stopped
    written = whole_articles(locations.cache)
    assert 50 <= len(written) < ENTRIES
    assert sorted(report.new_paths) == sorted(written)  # the report names exactly what stays
    assert report.fetched == 0 and report.failures == []
    # The feed cut short keeps no validators: the next fetch reads it whole, not "304".
    state = HttpState(locations.data / STATE_FILE, locations.cache)
    assert state.get(url).etag is None


def test_a_stop_while_feedparser_reads_20000_entries_does_not_wait_for_it(server, locations):
    save_feeds(locations.feeds_config_path, [Feed(server.url("/big.xml"))])
    fetch = _Background(locations)
    _wait_for(lambda: "/big.xml" in server.served, 30, "the feed to be sent")
    time.sleep(0.3)  # inside feedparser now: it takes 10 s and more for this feed

    took = fetch.stop_and_time()

    assert took < STOP_WITHIN
    assert fetch.report is not None and fetch.report.stopped
    assert article_files(locations.cache) == []


def test_a_stop_before_the_fetch_starts_writes_nothing(server, locations):
    save_feeds(locations.feeds_config_path, [Feed(server.url("/big.json"))])
    stop = threading.Event()
    stop.set()
    report = fetch_feeds(locations, stop=stop)
    assert report.stopped and report.new_paths == [] and server.served.count("/big.json") <= 1


def _small_feed_folder(server: BigFeedServer) -> str:
    """The folder under ``feeds/`` the small fixture feed's articles go to."""
    small = server.url("/small.xml")
    parsed = parse_document((REPO / "tests/fixtures/feeds/rss2.xml").read_bytes(), small)
    return site_domain(parsed.site_url, parsed.entries[0].url, small)


def _fifos(cache: Path, folder: str) -> list[Path]:
    fifos = [cache / "feeds" / "x.md", cache / "feeds" / folder / "x.md"]
    for fifo in fifos:
        fifo.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(fifo)
    return fifos


def test_a_fifo_under_feeds_is_skipped_with_a_reason_never_opened(server, locations):
    fifos = _fifos(locations.cache, _small_feed_folder(server))
    save_feeds(locations.feeds_config_path, [Feed(server.url("/small.xml"))])
    fetch = _Background(locations)
    fetch.thread.join(30)
    assert not fetch.thread.is_alive(), "the fetch hung on the FIFO"
    report = fetch.report
    assert report is not None and report.failures == [] and len(report.new_paths) == 3
    assert sorted(report.warnings) == sorted(
        f"skipped {fifo}: is a FIFO (named pipe), not a regular file" for fifo in fifos
    )


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        env[name] = str(tmp_path / name.lower())
    for name in ("NEWSREADER_CACHE_DIR", *PROXY_VARS):
        env.pop(name, None)
    return env


def _newsreader(cache: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reader", "--cache-dir", str(cache), *args]


def test_the_fetch_command_with_a_fifo_under_feeds_finishes(server, tmp_path):
    cache = tmp_path / "cli-cache"
    env = _env(tmp_path)
    fifos = _fifos(cache, _small_feed_folder(server))
    add = _newsreader(cache, "feeds", "add", server.url("/small.xml"))
    subprocess.run(add, env=env, check=True, capture_output=True, timeout=60)

    result = subprocess.run(
        _newsreader(cache, "fetch"), env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(result.stderr.splitlines()) == sorted(
        f"warning: skipped {fifo}: is a FIFO (named pipe), not a regular file" for fifo in fifos
    )
    assert "3 new articles, 0 failed" in result.stdout
    assert all(fifo.exists() for fifo in fifos)  # left exactly where they were


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_ends_the_fetch_command_at_once_keeping_whole_files(
    server, tmp_path, signum
):
    cache = tmp_path / "cli-cache"
    env = _env(tmp_path)
    add = _newsreader(cache, "feeds", "add", server.url("/big.json"))
    subprocess.run(add, env=env, check=True, capture_output=True, timeout=60)
    process = subprocess.Popen(
        _newsreader(cache, "fetch"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: len(article_files(cache)) >= 50, 120, "the first files")
        started = time.monotonic()
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert took < STOP_WITHIN
    assert process.returncode == 128 + signum
    name = signal.Signals(signum).name
    written = whole_articles(cache)
    assert 50 <= len(written) < ENTRIES
    assert stderr.splitlines() == [
        f"Stopped by {name}: {len(written)} new articles kept, 0 of 1 feed done."
    ]
    assert stdout == ""


def test_ctrl_c_during_the_full_text_downloads_after_a_fetch_ends_at_once(server, tmp_path):
    cache = tmp_path / "cli-cache"
    env = _env(tmp_path)
    config = tmp_path / "xdg_config_home" / "newsreader"
    save_feeds(config / "config.toml", [Feed(server.url("/pages.xml"), full_text=True)])
    process = subprocess.Popen(
        _newsreader(cache, "fetch"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: server.page_requests, 60, "the first page to be asked for")
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert took < STOP_WITHIN
    assert process.returncode == 130
    assert "Fetched 1 of 1 feed: 3 new articles, 0 failed." in stdout
    assert stderr.splitlines() == ["Stopped by SIGINT: 3 new articles kept, 1 of 1 feed done."]


def test_a_fifo_in_place_of_a_stored_full_text_is_never_opened(tmp_path):
    from reader.fulltext.store import FullText, FullTextStore

    store = FullTextStore(tmp_path)
    store.put(FullText("https://a.example/", markdown="Kept."))
    odd = store._path("https://b.example/")
    os.mkfifo(odd)
    done = threading.Event()
    found: list[object] = []
    reader = threading.Thread(
        target=lambda: (found.append(store.get("https://b.example/")), done.set()), daemon=True
    )
    reader.start()
    assert done.wait(5), "reading the stored text blocked on the FIFO"
    assert found == [None]
    assert store.texts(["https://a.example/", "https://b.example/"]) == {
        "https://a.example/": "Kept."
    }
