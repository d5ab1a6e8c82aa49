"""``newsreader feeds list``: each feed's title, articles, unread count and last fetch.

Feeds are served from ``tests/fixtures/feeds`` by a server on 127.0.0.1 in a
thread; ``/flaky.xml`` answers with a feed until the test breaks it (then
404), ``/etag.xml`` answers 304 to its own ETag.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from reader import paths
from reader.cli import main
from reader.feeds import Feed, save_feeds
from reader.state import StateStore

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"
REPO = Path(__file__).resolve().parents[2]
ETAG = '"v1-list"'
HEADER = re.compile(r"^TITLE +URL +ARTICLES +UNREAD +LAST FETCH +NEXT +RESULT$")
JSON_KEYS = {"title", "url", "topics", "articles", "unread", "last_fetch", "last_result", "ok"}
JSON_KEYS |= {"refresh_minutes", "next_refresh", "next_note", "failures"}  # the next refresh
SECOND_FEED = [
    (b"Example Science Desk", b"Second Desk"),
    (b"/news/", b"/other-news/"),
    (b"science-000", b"second-000"),
    (b"/notes/", b"/second-notes/"),
]
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        rss = {"Content-Type": "application/rss+xml"}
        if self.path == "/flaky.xml" and not self.server.broken:
            self._send(200, (FIXTURES / "rss2.xml").read_bytes(), rss)
        elif self.path == "/etag.xml":
            if self.headers.get("If-None-Match") == ETAG:
                self._send(304, headers={"ETag": ETAG})
            else:
                self._send(200, (FIXTURES / "rss1.rdf").read_bytes(), {**rss, "ETag": ETAG})
        elif self.path == "/second.xml":  # another feed of the same site: same folder
            body = (FIXTURES / "rss2.xml").read_bytes()
            for before, after in SECOND_FEED:
                body = body.replace(before, after)
            self._send(200, body, rss)
        elif self.path == "/rss1.rdf":
            self._send(200, (FIXTURES / "rss1.rdf").read_bytes(), rss)
        else:
            self._send(404, b"no", {"Content-Type": "text/plain"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.broken = False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server():
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def locations(tmp_path) -> paths.Locations:
    found = paths.resolve(tmp_path / "cache")
    assert str(found.data).startswith(str(tmp_path))  # the conftest isolates the user folders
    return found


def _run(locations: paths.Locations, *args: str):
    result = CliRunner().invoke(main, ["--cache-dir", str(locations.cache), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _table(locations: paths.Locations) -> list[str]:
    result = _run(locations, "feeds", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert HEADER.match(lines[0]), lines[0]
    assert all(cell_len(text) <= 100 for text in lines), lines
    return lines[1:]


def _records(locations: paths.Locations) -> list[dict]:
    result = _run(locations, "feeds", "list", "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(text) for text in result.stdout.splitlines()]
    assert all(set(record) == JSON_KEYS for record in records)
    return records


def test_feeds_never_fetched_show_never(server, locations):
    save_feeds(
        locations.feeds_config_path,
        [
            Feed(server.url("/flaky.xml"), name="A name far longer than the title column"),
            Feed(server.url("/rss1.rdf"), topics=("Web",)),
        ],
    )
    rows = _table(locations)
    assert len(rows) == 2
    assert rows[0].startswith("A name far lo…  http://127.0.0.1:")
    assert rows[1].startswith("127.0.0.1 ")  # no name, no fetch: the URL's host
    for row in rows:
        assert re.search(r"…\s+0\s+0\s+never\s+due$", row), row
    records = _records(locations)
    for record in records:  # never fetched: due at once, at the default interval
        assert ISO.match(record.pop("next_refresh"))
        assert (record.pop("refresh_minutes"), record.pop("next_note")) == (30, "")
        assert record.pop("failures") == 0
    assert records == [
        {
            "title": "A name far longer than the title column",
            "url": server.url("/flaky.xml"),
            "topics": [],
            "articles": 0,
            "unread": 0,
            "last_fetch": None,
            "last_result": "never",
            "ok": False,
        },
        {
            "title": "127.0.0.1",
            "url": server.url("/rss1.rdf"),
            "topics": ["Web"],
            "articles": 0,
            "unread": 0,
            "last_fetch": None,
            "last_result": "never",
            "ok": False,
        },
    ]


def test_after_fetches_the_feed_title_counts_and_results_show(server, locations):
    save_feeds(
        locations.feeds_config_path,
        [Feed(server.url("/flaky.xml")), Feed(server.url("/etag.xml"), name="Mine")],
    )
    assert _run(locations, "fetch").exit_code == 0
    rows = _table(locations)
    assert rows[0].startswith("Example Scien…")  # the feed's own title, cut with an ellipsis
    assert re.search(r"…\s+3\s+3\s+\d\d-\d\d \d\d:\d\d  \d\d:\d\d\s+ok: 3 new$", rows[0]), rows[0]
    assert rows[1].startswith("Mine ")  # the configured name wins over the feed's title
    assert re.search(r"\s2\s+2\s+\S+ \S+  \d\d:\d\d\s+ok: 2 new$", rows[1]), rows[1]
    flaky, etag = _records(locations)
    assert flaky["title"] == "Example Science Desk" and ISO.match(flaky["last_fetch"])
    assert (flaky["articles"], flaky["unread"], flaky["last_result"], flaky["ok"]) == (
        3,
        3,
        "ok: 3 new",
        True,
    )

    assert not locations.state_path.exists()  # only read: no marks file is made for it
    assert _run(locations, "fetch").exit_code == 0  # etag: 304; flaky: nothing new
    flaky, etag = _records(locations)
    assert (flaky["last_result"], flaky["articles"]) == ("ok: 0 new", 3)
    assert (etag["title"], etag["last_result"], etag["ok"], etag["articles"]) == (
        "Mine",
        "not modified",
        True,
        2,
    )


def test_a_failed_fetch_shows_the_error_and_keeps_what_was_known(server, locations):
    save_feeds(
        locations.feeds_config_path,
        [Feed(server.url("/flaky.xml")), Feed(server.url("/missing.xml"))],
    )
    assert _run(locations, "fetch").exit_code == 1
    server.broken = True
    assert _run(locations, "fetch").exit_code == 1
    flaky, missing = _records(locations)
    assert (flaky["title"], flaky["articles"], flaky["last_result"], flaky["ok"]) == (
        "Example Science Desk",
        3,
        "HTTP 404 Not Found",
        False,
    )
    assert (missing["title"], missing["articles"], missing["last_result"], missing["ok"]) == (
        "127.0.0.1",
        0,
        "HTTP 404 Not Found",
        False,
    )
    assert ISO.match(missing["last_fetch"])
    rows = _table(locations)
    assert all(re.search(r"\d\d:\d\d backoff  HTTP 404 Not F…$", row) for row in rows), rows


def test_two_feeds_of_one_site_count_their_own_articles(server, locations):
    """Both write to feeds/science.example/: the provider name each wrote with tells them apart."""
    save_feeds(
        locations.feeds_config_path,
        [Feed(server.url("/flaky.xml")), Feed(server.url("/second.xml"))],
    )
    assert _run(locations, "fetch").exit_code == 0
    folder = locations.cache / "feeds" / "science.example"
    assert len(list(folder.glob("*.md"))) == 6
    first, second = _records(locations)
    assert (first["title"], first["articles"], first["unread"]) == ("Example Science Desk", 3, 3)
    assert (second["title"], second["articles"], second["unread"]) == ("Second Desk", 3, 3)


def test_unread_count_drops_when_an_article_is_marked_read(server, locations):
    save_feeds(locations.feeds_config_path, [Feed(server.url("/flaky.xml"))])
    assert _run(locations, "fetch").exit_code == 0
    state = StateStore(locations.state_path)
    state.set_read(["https://www.science.example/news/telescope-galaxy"])
    assert state.close() == ""
    (record,) = _records(locations)
    assert (record["articles"], record["unread"]) == (3, 2)
    assert re.search(r"\s3\s+2\s+\S+ \S+  \d\d:\d\d\s+ok: 3 new$", _table(locations)[0])


def test_unreadable_marks_leave_out_the_unread_counts_with_one_warning(server, locations):
    save_feeds(locations.feeds_config_path, [Feed(server.url("/flaky.xml"))])
    assert _run(locations, "fetch").exit_code == 0
    locations.state_path.write_bytes(b"this is not a database\n" * 200)
    result = _run(locations, "feeds", "list")
    assert result.exit_code == 0
    assert re.search(r"\s3\s+-\s+\S+ \S+  \d\d:\d\d\s+ok: 3 new$", result.stdout.splitlines()[1])
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("warning: unread counts left out: cannot read the marks:")
    assert "damaged or not a database" in warning
    assert locations.state_path.read_bytes() == b"this is not a database\n" * 200
    (record,) = _records(locations)
    assert (record["articles"], record["unread"]) == (3, None)


def test_older_state_files_still_read(server, locations):
    """An HTTP state file from before this change still gives its 304; a sparse status reads."""
    url = server.url("/etag.xml")
    save_feeds(locations.feeds_config_path, [Feed(url)])
    locations.data.mkdir(parents=True, exist_ok=True)
    cache_key = str(locations.cache)
    old_http = {"version": 2, "caches": {cache_key: {url: {"etag": ETAG, "last_modified": None}}}}
    (locations.data / "feed_http_state.json").write_text(json.dumps(old_http), encoding="utf-8")
    sparse = {"caches": {cache_key: {url: {"fetched_at": "2024-05-01T10:00:00Z", "ok": True}}}}
    (locations.data / "feed_status.json").write_text(json.dumps(sparse), encoding="utf-8")
    (record,) = _records(locations)
    assert (record["title"], record["last_fetch"], record["last_result"], record["ok"]) == (
        "127.0.0.1",
        "2024-05-01T10:00:00Z",
        "ok",
        True,
    )

    assert _run(locations, "fetch").exit_code == 0
    (record,) = _records(locations)
    assert (record["last_result"], record["ok"]) == ("not modified", True)
    assert record["last_fetch"] != "2024-05-01T10:00:00Z"
    (locations.data / "feed_status.json").write_text("{not json", encoding="utf-8")
    assert _records(locations)[0]["last_result"] == "never"


def test_feeds_list_through_the_real_entry_point(server, locations, tmp_path):
    save_feeds(locations.feeds_config_path, [Feed(server.url("/flaky.xml"))])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    command = [sys.executable, "-m", "reader", "--cache-dir", str(locations.cache)]
    fetched = subprocess.run(
        [*command, "fetch"], capture_output=True, text=True, env=env, timeout=60
    )
    assert fetched.returncode == 0, fetched.stderr
    result = subprocess.run(
        [*command, "feeds", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0 and result.stderr == ""
    header, row = result.stdout.splitlines()
    assert HEADER.match(header) and row.endswith("ok: 3 new")
