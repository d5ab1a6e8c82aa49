"""Fetching politely, against servers on 127.0.0.1 that count what they are asked.

- 429 / 503 with ``Retry-After`` (seconds or an HTTP-date): the feed is not
  asked again before that time, not even by an explicit ``fetch``, which
  says so in one warning line; ``feeds list`` shows when and why.
- At most one request per server at a time: feeds of one server wait for
  each other (the server counts requests in flight), other servers go on.
- A feed that keeps failing backs off (its interval doubles with each
  failure in a row) and ``feeds list`` says why; a success resets it.
- ``Cache-Control: max-age`` puts the next refresh after it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import paths
from reader.cli import main
from reader.feeds import Feed, save_feeds
from reader.feeds.fetcher import fetch_feeds

RSS = (Path(__file__).parent.parent / "fixtures" / "feeds" / "rss2.xml").read_bytes()
HOLD = 0.3
"""Seconds each answer of the slow server takes, so that overlapping requests would show."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        server = self.server
        with server.lock:
            server.requests.append(self.path)
            server.in_flight += 1
            server.most = max(server.most, server.in_flight)
            server.shared.note(+1)
        try:
            status, headers, body = server.answer(self.path)
            if server.hold:
                time.sleep(server.hold)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        finally:
            with server.lock:
                server.in_flight -= 1
                server.shared.note(-1)


class _Shared:
    """Requests in flight across every server of a test."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.most = 0

    def note(self, change: int) -> None:
        with self.lock:
            self.now += change
            self.most = max(self.most, self.now)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, shared: _Shared, hold: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[str] = []
        self.in_flight = self.most = 0
        self.shared, self.hold = shared, hold
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        rss = {"Content-Type": "application/rss+xml"}
        if path in self.routes:
            return self.routes[path]
        if path.startswith("/feed"):  # each its own site, so their articles do not merge
            return 200, rss, RSS.replace(b"science.example", f"site{path[5:-4]}.example".encode())
        return 404, {"Content-Type": "text/plain"}, b"no"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def asked(self, path: str) -> int:
        return self.requests.count(path)


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    """A factory of local servers, all shut down when the test ends."""
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    shared = _Shared()
    started: list[tuple[_Server, threading.Thread]] = []

    def start(hold: float = 0.0) -> _Server:
        server = _Server(shared, hold)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        started.append((server, thread))
        return server

    start.shared = shared  # type: ignore[attr-defined]
    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def locations(tmp_path: Path) -> paths.Locations:
    return paths.resolve(tmp_path / "cache")


def _run(locations: paths.Locations, *args: str):
    result = CliRunner().invoke(main, ["--cache-dir", str(locations.cache), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _records(locations: paths.Locations) -> list[dict]:
    result = _run(locations, "feeds", "list", "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(text) for text in result.stdout.splitlines()]


def _table(locations: paths.Locations) -> list[str]:
    result = _run(locations, "feeds", "list")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[1:]


def _minutes_after_fetch(record: dict) -> float:
    fetched = dt.datetime.fromisoformat(record["last_fetch"].replace("Z", "+00:00"))
    following = dt.datetime.fromisoformat(record["next_refresh"].replace("Z", "+00:00"))
    return (following - fetched).total_seconds() / 60


def test_429_with_retry_after_is_not_asked_again_before_it(servers, locations):
    server = servers()
    server.routes["/busy.xml"] = (429, {"Retry-After": "3600"}, b"slow down")
    busy, fine = server.url("/busy.xml"), server.url("/feed1.xml")
    save_feeds(locations.feeds_config_path, [Feed(busy), Feed(fine)])
    first = _run(locations, "fetch")
    assert first.exit_code == 1
    assert f"failed: {busy}: HTTP 429 Too Many Requests" in first.stderr
    assert server.asked("/busy.xml") == 1

    second = _run(locations, "fetch")  # an explicit fetch still leaves it alone
    assert server.asked("/busy.xml") == 1 and server.asked("/feed1.xml") == 2
    assert second.exit_code == 0, second.output
    (warning,) = second.stderr.splitlines()
    assert warning.startswith("warning: 1 feed not asked, as its server asked to wait")
    assert busy in warning and "(until " in warning
    assert second.stdout.startswith("Fetched 1 of 2 feeds")

    record = _records(locations)[0]
    assert record["next_note"] == (
        "the server asked to wait (Retry-After): HTTP 429 Too Many Requests"
    )
    assert 59 <= _minutes_after_fetch(record) <= 61
    assert " backoff  HTTP 429 Too M…" in _table(locations)[0]


def test_503_with_an_http_date_and_a_passed_retry_after_asks_again(servers, locations):
    server = servers()
    in_two_hours = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    date = email.utils.format_datetime(in_two_hours, usegmt=True)
    server.routes["/down.xml"] = (503, {"Retry-After": date}, b"maintenance")
    server.routes["/soon.xml"] = (503, {"Retry-After": "1"}, b"a second")
    save_feeds(
        locations.feeds_config_path, [Feed(server.url("/down.xml")), Feed(server.url("/soon.xml"))]
    )
    assert _run(locations, "fetch").exit_code == 1
    down, _soon = _records(locations)
    assert 119 <= _minutes_after_fetch(down) <= 121
    time.sleep(1.2)  # the one-second Retry-After has passed; the two hours have not
    assert _run(locations, "fetch").exit_code == 1
    assert (server.asked("/down.xml"), server.asked("/soon.xml")) == (1, 2)


def test_one_request_per_server_at_a_time_and_servers_in_parallel(servers, locations):
    one, two = servers(hold=HOLD), servers(hold=HOLD)
    feeds = [Feed(one.url(f"/feed{n}.xml")) for n in range(4)]
    feeds += [Feed(two.url(f"/feed{n}.xml")) for n in range(4, 8)]
    started = time.monotonic()
    report = fetch_feeds(locations, feeds=feeds)
    took = time.monotonic() - started
    assert report.failures == [] and report.fetched == 8
    assert (one.most, two.most) == (1, 1)  # never two requests to one server at once
    assert servers.shared.most == 2  # but the two servers were asked at the same time
    # 4 answers of 0.3 s in a row per server, both servers at once: about 1.2 s, not 2.4 s.
    assert took < 2.4 * 2, took


def test_a_failing_feed_backs_off_says_why_and_a_success_resets_it(servers, locations):
    server = servers()
    server.routes["/broken.xml"] = (500, {}, b"oops")
    url = server.url("/broken.xml")
    save_feeds(locations.feeds_config_path, [Feed(url)])
    for _ in range(3):
        assert _run(locations, "fetch").exit_code == 1
    (record,) = _records(locations)
    assert record["failures"] == 3
    assert record["next_note"] == "backing off after 3 failures: HTTP 500 Internal Server Error"
    assert 239 <= _minutes_after_fetch(record) <= 241  # 30 minutes doubled three times
    (row,) = _table(locations)
    assert " backoff  HTTP 500 Inter…" in row

    del server.routes["/broken.xml"]
    server.routes["/broken.xml"] = (200, {"Content-Type": "application/rss+xml"}, RSS)
    assert _run(locations, "fetch").exit_code == 0
    (record,) = _records(locations)
    assert (record["failures"], record["next_note"], record["ok"]) == (0, "", True)
    assert 29 <= _minutes_after_fetch(record) <= 31
    assert "backoff" not in _table(locations)[0]


def test_cache_control_max_age_puts_the_next_refresh_after_it(servers, locations):
    server = servers()
    headers = {"Content-Type": "application/rss+xml", "Cache-Control": "public, max-age=7200"}
    server.routes["/cached.xml"] = (200, headers, RSS)
    save_feeds(locations.feeds_config_path, [Feed(server.url("/cached.xml"))])
    assert _run(locations, "fetch").exit_code == 0
    (record,) = _records(locations)
    assert record["next_note"] == "the server keeps it fresh (max-age)"
    assert 119 <= _minutes_after_fetch(record) <= 121
