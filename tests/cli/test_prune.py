"""``newsreader prune [--dry-run]`` and the prune after each fetch, through the real entry point.

A server on 127.0.0.1 (a free port, in a thread) serves ``/news.xml``, an
RSS feed made for each test: item N published N*2 days before now, so that
``keep_days`` and ``max_items`` have something to choose between.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader import paths
from reader.feeds import fetch_feeds
from reader.feeds.ledger import ledger_path
from reader.feeds.store import render

DAY = 24 * 60 * 60


def rss(count: int, days_apart: int = 2) -> bytes:
    """A feed of ``count`` items, the first published now, each next ``days_apart`` days older."""
    items = []
    for number in range(count):
        when = email.utils.formatdate(time.time() - number * days_apart * DAY - 60, usegmt=True)
        items.append(
            f"<item><title>Story {number}</title>"
            f"<link>https://news.example/story/{number}</link>"
            f"<guid>story-{number}</guid><pubDate>{when}</pubDate>"
            f"<description>Text of story {number}.</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Example News</title><link>https://news.example/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body, status = (self.server.body, 200) if self.path == "/news.xml" else (b"no", 404)
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.body = rss(6)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Server]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache"
    path.mkdir()
    return path


@pytest.fixture
def configure(cache: Path, server: _Server):
    """Write config.toml: the settings given, then the one feed."""
    config = paths.resolve(cache).feeds_config_path

    def write(settings: str = "", feed_settings: str = "") -> Path:
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            f'{settings}\n[[feeds]]\nurl = "{server.url("/news.xml")}"\n{feed_settings}\n'
        )
        return config

    return write


def _stories(cache: Path) -> list[Path]:
    return sorted((cache / "feeds" / "news.example").glob("*.md"))


def _listed(run_cli, cache: Path) -> list[str]:
    done = run_cli("--cache-dir", cache, "list")
    assert done.returncode == 0, done.stderr
    return sorted(line for line in done.stdout.splitlines() if "Story" in line)


def test_fetch_prunes_after_writing_and_says_so(run_cli, cache, configure):
    configure("max_items = 2\nprune_unread = true")
    done = run_cli("--cache-dir", cache, "fetch")
    assert done.returncode == 0, done.stderr
    assert "Fetched 1 of 1 feed: 6 new articles, 0 failed. 4 old articles pruned." in done.stdout
    assert len(_stories(cache)) == 2
    listed = _listed(run_cli, cache)
    assert len(listed) == 2 and all("Story 0" in s or "Story 1" in s for s in listed)

    again = run_cli("--cache-dir", cache, "fetch")  # the feed still offers all six
    assert again.returncode == 0, again.stderr
    assert "0 new articles" in again.stdout and "pruned" not in again.stdout
    assert len(_stories(cache)) == 2


def test_fetch_keeps_unread_and_starred_then_prune_removes_what_was_read(run_cli, cache, configure):
    configure("keep_days = 5")
    assert run_cli("--cache-dir", cache, "fetch").returncode == 0
    assert len(_stories(cache)) == 6  # all unread: kept
    assert run_cli("--cache-dir", cache, "mark", "read", "--all").returncode == 0
    star = run_cli("--cache-dir", cache, "mark", "star", "Story 5")
    assert star.returncode == 0, star.stderr

    dry = run_cli("--cache-dir", cache, "prune", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[0].startswith("would remove 2 articles from Example News (http://127.0.0.1:")
    assert lines[-1] == "Would remove 2 articles from 1 feed (kept 1 starred)."
    assert len(_stories(cache)) == 6

    done = run_cli("--cache-dir", cache, "prune")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Removed 2 articles from 1 feed (kept 1 starred)."
    assert done.stderr == ""
    # Stories 0-2 are 0-4 days old; 3 and 4 are 6 and 8 days old; 5 (10 days) is starred.
    assert sorted(s.split("Story ")[1][0] for s in _listed(run_cli, cache)) == ["0", "1", "2", "5"]
    assert run_cli("--cache-dir", cache, "prune").stdout.strip().startswith("Removed 0 articles")


def test_prune_never_touches_foreign_files(run_cli, cache, configure, tmp_path):
    configure("max_items = 1\nprune_unread = true")
    assert run_cli("--cache-dir", cache, "fetch").returncode == 0
    (kept,) = _stories(cache)
    folder = cache / "feeds" / "news.example"
    old = {
        "category": "news",
        "title": "Mine",
        "publishedDateTime": "2001-01-01T00:00:00Z",
        "provider": {"name": "Example News", "domain": "news.example"},
    }
    mine = folder / "my-clipping.md"
    mine.write_text(render(old))
    outside = tmp_path / "aaaaaaaaaaaaaaaa.md"
    outside.write_text(render(old))
    link = folder / "bbbbbbbbbbbbbbbb.md"
    link.symlink_to(outside)
    kept.write_text(kept.read_text() + "\nmy note\n")  # the feed's newest, edited by the user
    done = run_cli("--cache-dir", cache, "prune")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Removed 0 articles."
    assert mine.exists() and link.is_symlink() and outside.exists() and kept.exists()


def test_prune_says_when_it_is_off_and_a_bad_config_is_one_line(run_cli, cache, configure):
    configure()
    done = run_cli("--cache-dir", cache, "prune")
    assert done.returncode == 0
    assert done.stdout.startswith("Pruning is off: set keep_days or max_items")
    config = configure('keep_days = "a week"')
    bad = run_cli("--cache-dir", cache, "prune")
    assert bad.returncode == 1
    assert bad.stderr.strip() == (
        f"Error: {config}: keep_days must be a whole number (0 turns it off)"
    )
    assert "Traceback" not in bad.stderr


def test_prune_stops_when_the_marks_cannot_be_read(run_cli, cache, configure):
    configure("max_items = 1")
    assert run_cli("--cache-dir", cache, "fetch").returncode == 0
    state = paths.resolve(cache).state_path
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(b"not a database" * 200)
    done = run_cli("--cache-dir", cache, "prune")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: nothing pruned: cannot read the marks: ")
    assert len(done.stderr.strip().splitlines()) == 1


def test_prune_honours_the_cache_dir(run_cli, tmp_path, configure):
    missing = tmp_path / "nowhere"
    done = run_cli("--cache-dir", missing, "prune")
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: cache directory {missing} does not exist"


def test_fetch_feeds_reports_the_pruned_count_and_keeps_the_ledger(cache, configure, server):
    configure("max_items = 3\nprune_unread = true")
    locations = paths.resolve(cache)
    report = fetch_feeds(locations)
    assert (len(report.new_paths), report.pruned, report.warnings) == (6, 3, [])
    assert ledger_path(cache).is_file()
    server.body = rss(8)  # two older stories appear: written, then pruned at once
    report = fetch_feeds(locations)
    assert (len(report.new_paths), report.pruned) == (2, 2)
    assert len(_stories(cache)) == 3


def test_a_stopped_fetch_prunes_nothing(cache, configure):
    configure("max_items = 1\nprune_unread = true")
    stop = threading.Event()
    stop.set()
    report = fetch_feeds(paths.resolve(cache), stop=stop)
    assert report.stopped and report.pruned == 0
