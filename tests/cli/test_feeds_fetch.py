"""Fetching feeds end to end against a local HTTP server serving fixture feeds.

The server runs in a thread on 127.0.0.1 (a free port) and serves
``tests/fixtures/feeds``, plus routes that misbehave on purpose: redirects,
a redirect loop, 304s, a 404, a slow answer, oversized bodies.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frontmatter
import pytest
import yaml
from click.testing import CliRunner

from reader import paths
from reader.feeds import Feed, FetchReport, Limits, fetch_feeds, save_feeds
from reader.feeds.store import stable_id

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"
REPO = Path(__file__).resolve().parents[2]
TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
    ".atom": "application/atom+xml",
    ".html": "text/html; charset=utf-8",
}
ETAG = '"v1-abc"'
LAST_MODIFIED = "Wed, 01 May 2024 00:00:00 GMT"
# Short limits so failure cases take a fraction of a second.
FAST = Limits(timeout=0.5, max_bytes=256 * 1024, max_redirects=3, concurrency=4)
SLOW_SECONDS = 1.5


class _Handler(BaseHTTPRequestHandler):
    server: _FeedServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.requests.append((self.path, dict(self.headers.items())))
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should for /slow and /huge

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _file(self, name: str, headers: dict[str, str] | None = None) -> None:
        path = FIXTURES / name
        self._send(
            200,
            path.read_bytes(),
            {"Content-Type": TYPES.get(path.suffix, "text/plain"), **(headers or {})},
        )

    def _route(self) -> None:
        path = self.path
        if path == "/etag.xml":
            if self.headers.get("If-None-Match") == ETAG:
                self._send(304, headers={"ETag": ETAG})
            else:
                self._file("atom.xml", {"ETag": ETAG})
        elif path == "/lastmod.json":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self._send(304)
            else:
                self._file("feed.json", {"Last-Modified": LAST_MODIFIED})
        elif path == "/redirect":
            self._send(302, headers={"Location": "/rss2.xml"})
        elif path.startswith("/loop/"):
            number = int(path.rsplit("/", 1)[1])
            self._send(302, headers={"Location": f"/loop/{number + 1}"})
        elif path == "/slow.xml":
            time.sleep(SLOW_SECONDS)
            self._file("rss2.xml")
        elif path == "/huge-declared.xml":
            self._send(
                200,
                b"<rss>" + b" " * 1024,
                {"Content-Type": "application/rss+xml", "Content-Length": str(50 * 1024 * 1024)},
            )
        elif path == "/huge-stream.xml":
            # HTTP/1.0 without Content-Length: the body simply runs until the connection closes.
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>')
            for _ in range(64):
                self.wfile.write(b"<!--" + b"x" * 16 * 1024 + b"-->")
        elif path == "/missing.xml":
            self._send(404, b"not here", {"Content-Type": "text/plain"})
        elif re.fullmatch(r"/[\w.-]+", path) and (FIXTURES / path[1:]).is_file():
            self._file(path[1:])
        else:
            self._send(404, b"no such fixture")


class _FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # do not wait for the deliberately slow handler

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def requests_for(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


@pytest.fixture(scope="module")
def server():
    httpd = _FeedServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Never touch the real user folders."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("NEWSREADER_CACHE_DIR", raising=False)
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def locations(tmp_path) -> paths.Locations:
    found = paths.resolve(tmp_path / "cache")
    assert str(found.config).startswith(str(tmp_path)) and str(found.data).startswith(str(tmp_path))
    return found


def _configure(locations: paths.Locations, *feeds: Feed) -> None:
    save_feeds(locations.feeds_config_path, list(feeds))


def _articles(locations: paths.Locations) -> dict[str, dict]:
    """Front matter of every article under feeds/, by webUrl (or path when none)."""
    result = {}
    for path in sorted((locations.cache / "feeds").rglob("*.md")):
        data = frontmatter.load(path).metadata
        result[data.get("webUrl") or str(path)] = data
    return result


def test_all_four_formats_become_article_files(server, locations):
    urls = [server.url(p) for p in ("/rss2.xml", "/rss1.rdf", "/atom.xml", "/feed.json")]
    _configure(
        locations,
        Feed(urls[0], topics=("Science", "astronomy")),
        Feed(urls[1]),
        Feed(urls[2], name="My Atom"),
        Feed(urls[3], topics=("Tech",)),
    )
    calls: list[tuple[int, int, str]] = []
    report = fetch_feeds(locations, lambda *args: calls.append(args), limits=FAST)

    assert report.failures == []
    assert report.fetched == 4
    assert len(report.new_paths) == 3 + 2 + 2 + 3
    assert sorted(done for done, _, _ in calls) == [1, 2, 3, 4]
    assert {total for _, total, _ in calls} == {4}
    assert sorted(url for _, _, url in calls) == sorted(urls)
    for path in report.new_paths:
        assert path.parent.parent == locations.cache / "feeds"
        assert re.fullmatch(r"[0-9a-f]{16}\.md", path.name)

    articles = _articles(locations)
    galaxy = articles["https://www.science.example/news/telescope-galaxy"]
    assert galaxy == {
        "category": "news",
        "title": "Telescope spots distant galaxy",
        "excerpt": "Astronomers have found a galaxy & more. Second paragraph.",
        "publishedDateTime": "2024-01-02T08:30:00Z",
        "webUrl": "https://www.science.example/news/telescope-galaxy",
        "type": "article",
        "provider": {"name": "Example Science Desk", "domain": "science.example"},
        "topics": ["Science", "astronomy", "space"],
        "images": [{"url": "https://cdn.science.example/galaxy.jpg"}],
    }
    assert (
        locations.cache / "feeds" / "science.example" / f"{stable_id('science-0001')}.md"
    ).is_file()

    long_excerpt = articles["https://www.science.example/news/long-report"]["excerpt"]
    assert long_excerpt.endswith("…") and 300 < len(long_excerpt) <= 401
    assert long_excerpt[:-1] == long_excerpt[:-1].rstrip()  # cut on a word boundary
    assert "Sed ut perspiciatis" not in long_excerpt

    undated = articles[server.url("/notes/undated")]
    assert "publishedDateTime" not in undated and "quality" not in undated

    rdf = articles["http://rdf.example.org/one"]
    assert rdf["publishedDateTime"] == "2023-05-06T07:08:09Z"
    assert rdf["provider"] == {"name": "RDF Weekly", "domain": "rdf.example.org"}
    assert rdf["topics"] == ["Semantic Web"]

    cafe = articles["https://atom.example.net/blog/cafe"]
    assert cafe["title"] == "Café opens <downtown>"
    assert cafe["excerpt"] == "Fresh croissants every morning."
    assert cafe["publishedDateTime"] == "2024-03-01T04:15:00Z"  # -05:00 converted to UTC
    assert cafe["provider"] == {"name": "My Atom", "domain": "atom.example.net"}
    assert cafe["topics"] == ["Food", "City Life"]
    assert (
        articles["https://atom.example.net/blog/updated"]["excerpt"]
        == "Content instead of a summary."
    )

    hello = articles["https://json.example.com/posts/1"]
    assert hello["publishedDateTime"] == "2024-04-05T04:07:08Z"
    assert hello["topics"] == ["Tech", "Web", "Feeds"]
    assert hello["images"] == [{"url": "https://json.example.com/img/1.png"}]
    assert hello["provider"] == {"name": "JSON Journal", "domain": "json.example.com"}
    untitled = articles["https://elsewhere.example.org/story"]
    assert untitled["title"].startswith("An untitled micro post")
    assert "https://json.example.com/posts/3" in articles


def test_a_feed_without_a_site_link_is_filed_under_its_entries_host(server, locations):
    _configure(locations, Feed(server.url("/nolink.atom")))
    report = fetch_feeds(locations, limits=FAST)
    assert {p.parent.name for p in report.new_paths} == {"blog.nolink.example"}
    assert frontmatter.load(report.new_paths[0])["provider"] == {
        "name": "No Site Link",
        "domain": "blog.nolink.example",
    }


def test_second_fetch_is_conditional_and_writes_nothing_new(server, locations):
    _configure(
        locations,
        Feed(server.url("/etag.xml")),
        Feed(server.url("/lastmod.json")),
        Feed(server.url("/rss1.rdf")),
    )
    first = fetch_feeds(locations, limits=FAST)
    assert (first.fetched, first.unchanged, len(first.new_paths)) == (3, 0, 2 + 3 + 2)
    assert server.requests_for("/etag.xml")[-1].get("If-None-Match") is None
    state = json.loads((locations.data / "feed_http_state.json").read_text())
    remembered = state["caches"][str(locations.cache)]
    assert remembered[server.url("/etag.xml")]["etag"] == ETAG
    assert remembered[server.url("/lastmod.json")]["last_modified"] == LAST_MODIFIED
    assert server.url("/rss1.rdf") not in remembered

    second = fetch_feeds(locations, limits=FAST)
    assert second.failures == [] and second.new_paths == []
    assert (second.fetched, second.unchanged) == (3, 2)  # the RDF feed has no validators
    assert server.requests_for("/etag.xml")[-1].get("If-None-Match") == ETAG
    assert server.requests_for("/lastmod.json")[-1].get("If-Modified-Since") == LAST_MODIFIED
    assert len(list((locations.cache / "feeds").rglob("*.md"))) == 7


def test_conditional_state_belongs_to_one_cache(server, locations, tmp_path):
    _configure(locations, Feed(server.url("/etag.xml")))
    assert len(fetch_feeds(locations, limits=FAST).new_paths) == 2
    other = paths.Locations(
        cache=tmp_path / "other-cache", config=locations.config, data=locations.data
    )
    report = fetch_feeds(other, limits=FAST)
    assert report.unchanged == 0 and len(report.new_paths) == 2  # no 304 for a cache never filled


def test_existing_and_foreign_files_are_never_touched(server, locations):
    _configure(locations, Feed(server.url("/rss2.xml")))
    foreign_dir = locations.cache / "feeds" / "elsewhere"
    foreign_dir.mkdir(parents=True)
    same_url = foreign_dir / "hand-written.md"
    same_url.write_text(
        '---\ntitle: "Mine"\nwebUrl: "https://www.science.example/news/long-report"\n---\nnotes\n'
    )
    squatter = locations.cache / "feeds" / "science.example" / f"{stable_id('science-0001')}.md"
    squatter.parent.mkdir(parents=True)
    squatter.write_text("not an article, and not ours")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (same_url, squatter)}

    report = fetch_feeds(locations, limits=FAST)

    assert report.failures == []
    assert len(report.new_paths) == 1  # only the undated note is new
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before
    urls = [
        frontmatter.load(p).metadata.get("webUrl")
        for p in (locations.cache / "feeds").rglob("*.md")
        if p not in before
    ]
    assert urls == [server.url("/notes/undated")]


def test_each_failure_is_one_line_and_does_not_stop_the_others(server, locations):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    expected = {
        server.url("/missing.xml"): "HTTP 404",
        server.url("/slow.xml"): "timed out after 0.5 s",
        server.url("/loop/0"): "too many redirects (more than 3)",
        server.url("/broken.xml"): "not valid XML",
        server.url("/page.html"): "not a feed",
        server.url("/huge-declared.xml"): "response larger than 256 KiB",
        server.url("/huge-stream.xml"): "response larger than 256 KiB",
        refused: "connection refused",
    }
    _configure(locations, *(Feed(url) for url in expected), Feed(server.url("/redirect")))
    started = time.monotonic()
    report = fetch_feeds(locations, limits=FAST)
    assert time.monotonic() - started < SLOW_SECONDS

    assert report.fetched == 1 and len(report.new_paths) == 3  # the redirect reached rss2.xml
    reasons = dict(report.failures)
    assert set(reasons) == set(expected)
    for url, fragment in expected.items():
        assert fragment in reasons[url], (url, reasons[url])
        assert "\n" not in reasons[url] and len(reasons[url]) < 200
    assert [url for url, _ in report.failures] == list(expected)  # config order
    assert len(server.requests_for("/loop/3")) >= 1 and not server.requests_for("/loop/5")


def test_hostile_feeds_are_written_safely(server, locations):
    _configure(locations, Feed(server.url("/hostile.xml")), Feed(server.url("/hostile.json")))
    report = fetch_feeds(locations, limits=FAST)
    assert report.failures == []
    texts = [p.read_text(encoding="utf-8") for p in report.new_paths]
    assert len(texts) == 6
    for text in texts:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text)
        assert "javascript:" not in text and "data:text" not in text
        assert text.startswith("---\n") and text.endswith("---\n")
    metas = [yaml.safe_load(text.split("---\n")[1]) for text in texts]
    titles = {m["title"]: m for m in metas}
    assert "[bold]x[/]" in titles  # markup is kept as text; the view must not parse it
    assert "webUrl" not in titles["[bold]x[/]"]
    assert titles["[bold]x[/]"]["excerpt"] == "markup [red]stays[/red] text"
    assert "red alert" in titles
    assert "Red [bold]x[/] done" in titles
    assert "webUrl" not in titles["data link"]
    yaml_like = titles["--- key: value ---"]
    assert (
        yaml_like["topics"] == ["Tag", "xy"]
        and yaml_like["webUrl"] == "https://hostile-json.example/ok"
    )
    assert any(m["provider"]["name"] == "Hostile JSON" for m in metas)


def test_fetch_command_reports_and_exits_1_on_failure(server, locations):
    from reader.cli import main

    _configure(locations, Feed(server.url("/rss1.rdf")), Feed(server.url("/missing.xml")))
    result = CliRunner().invoke(
        main, ["--cache-dir", str(locations.cache), "fetch", "--timeout", "2"]
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [
        f"failed: {server.url('/missing.xml')}: HTTP 404 Not Found"
    ]
    assert "Fetched 1 of 2 feeds: 2 new articles, 1 failed." in result.stdout

    _configure(locations, Feed(server.url("/rss1.rdf")))
    again = CliRunner().invoke(main, ["--cache-dir", str(locations.cache), "fetch"])
    assert again.exit_code == 0 and again.stderr == ""
    assert "0 new articles, 0 failed" in again.stdout


def test_fetch_command_takes_the_known_urls_from_an_index_there_is(server, locations, monkeypatch):
    """Reading the head of every feed file took 150 s at a million, at each fetch."""
    from reader import library
    from reader.cli import main
    from reader.feeds import store

    _configure(locations, Feed(server.url("/rss1.rdf")))  # no validators: parsed every time
    args = ["--cache-dir", str(locations.cache), "fetch"]
    first = CliRunner().invoke(main, args)  # no index yet: the files are read
    assert first.exit_code == 0 and "2 new articles" in first.stdout
    listed = CliRunner().invoke(main, ["--cache-dir", str(locations.cache), "list"])
    assert listed.exit_code == 0 and locations.index_path.is_file()  # the reader's, or list's

    def unread(*args, **kwargs):
        raise AssertionError("every feed file read, though the index gives their URLs")

    monkeypatch.setattr(library, "FEED_URLS_FROM", 0)
    monkeypatch.setattr(store, "existing_urls", unread)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and again.exception is None, again.output
    assert "0 new articles, 0 failed" in again.stdout
    assert len(list((locations.cache / "feeds").rglob("*.md"))) == 2


def test_fetch_through_the_real_entry_point(server, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.update(
        {
            name: str(tmp_path / name.lower())
            for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
        }
    )
    for name in (
        "NEWSREADER_CACHE_DIR",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        env.pop(name, None)
    cache = tmp_path / "cli-cache"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reader", "--cache-dir", str(cache), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )

    assert run("feeds", "add", server.url("/atom.xml"), "--topic", "News").returncode == 0
    assert run("feeds", "add", server.url("/broken.xml")).returncode == 0
    result = run("fetch", "--timeout", "2")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines() == [
        f"failed: {server.url('/broken.xml')}: not valid XML: "
        "line 3, column 1: not well-formed (invalid token)"
    ]
    assert "2 new articles, 1 failed" in result.stdout
    written = sorted((cache / "feeds" / "atom.example.net").glob("*.md"))
    assert len(written) == 2
    assert all(frontmatter.load(p)["topics"][0] == "News" for p in written)
    assert (tmp_path / "xdg_config_home" / "newsreader" / "config.toml").is_file()


def test_fetch_feeds_works_inside_a_running_event_loop(server, locations):
    """The TUI's worker may be a thread, but an async caller must not break it either."""
    import asyncio

    _configure(locations, Feed(server.url("/rss1.rdf")))

    async def caller() -> FetchReport:
        return fetch_feeds(locations, limits=FAST)

    report = asyncio.run(caller())
    assert report.fetched == 1 and len(report.new_paths) == 2
    assert all(isinstance(p, Path) for p in report.new_paths)


def test_a_stop_ends_the_fetch_at_once_and_keeps_what_was_written(server, locations):
    """A slow feed does not hold up a stop; a feed already written stays written."""
    import threading

    _configure(locations, Feed(server.url("/rss2.xml")), Feed(server.url("/slow.xml")))
    stop = threading.Event()
    written: list[str] = []

    def progress(done: int, total: int, url: str) -> None:
        written.append(url)
        if url.endswith("/rss2.xml"):
            stop.set()  # the quick feed is done; the slow one is still downloading

    started = time.monotonic()
    report = fetch_feeds(locations, progress, limits=Limits(timeout=SLOW_SECONDS * 4), stop=stop)
    assert time.monotonic() - started < SLOW_SECONDS
    assert report.stopped and written == [server.url("/rss2.xml")]
    assert len(report.new_paths) == 3 and all(p.is_file() for p in report.new_paths)
    assert report.failures == []  # a stopped feed is not a failed one


def test_fetched_articles_carry_the_entrys_whole_text(server, locations):
    _configure(locations, Feed(server.url("/content.xml")))
    report = fetch_feeds(locations, limits=FAST)
    assert report.failures == [] and len(report.new_paths) == 2
    posts = {frontmatter.load(p)["title"]: frontmatter.load(p) for p in report.new_paths}
    tides = posts["Tides and the new quay"]
    assert tides["excerpt"] == "The quay opened on Monday."
    assert "## What changes" in tides.content
    # Relative links resolve against the feed's own address (feedparser follows the XML base).
    assert f"[image: The new quay]({server.url('/img/quay.jpg')})" in tides.content
    assert "owned" not in tides.content and "javascript" not in tides.content
    assert posts["Short note"].content == ""  # the summary alone is the excerpt, not a body


def test_articles_from_before_bodies_were_kept_get_them_on_the_next_fetch(server, locations):
    from reader.cli import main

    _configure(locations, Feed(server.url("/content.xml")))
    first = fetch_feeds(locations, limits=FAST)
    tides = next(p for p in first.new_paths if "What changes" in p.read_text(encoding="utf-8"))
    text = tides.read_text(encoding="utf-8")
    head = text[: text.index("\n---\n") + 5]
    tides.write_text(head, encoding="utf-8")  # as an earlier version of the fetcher wrote it
    state_file = locations.data / "feed_http_state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["version"] = 1  # validators remembered by that version: they must not cause a 304
    state_file.write_text(json.dumps(state), encoding="utf-8")

    second = fetch_feeds(locations, limits=FAST)
    assert second.new_paths == [] and second.completed_paths == [tides]
    assert tides.read_text(encoding="utf-8").startswith(head)
    assert "## What changes" in frontmatter.load(tides).content

    tides.write_text(head, encoding="utf-8")
    state_file.write_text(json.dumps(state), encoding="utf-8")
    result = CliRunner().invoke(main, ["--cache-dir", str(locations.cache), "fetch"])
    assert result.exit_code == 0, result.output
    assert "0 new articles" in result.output
    assert "1 earlier article completed with the full text." in result.output
