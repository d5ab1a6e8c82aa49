"""Full text on demand, end to end against a local HTTP server.

Covers extraction from a realistic page, pages with no article, hostile
pages (scripts, unsafe links, markup, escapes), and the download rules:
a 20 MiB page, a page that never ends, a redirect to ``file://``, a PDF,
cookies, at most one request per host. Also ``newsreader show`` and
``newsreader fulltext`` through the real command line.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_article

from reader.article_text import EXCERPT, FILE, FULLTEXT
from reader.cli import main
from reader.fulltext.download import PageLimits, fetch_full_texts
from reader.fulltext.extract import NoArticle, choose, extract_article
from reader.fulltext.store import FullText, FullTextStore

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
FAST = PageLimits(deadline=1.5, max_bytes=1024 * 1024)


class _Handler(BaseHTTPRequestHandler):
    server: _PageServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.seen(self.path, self.headers.get("Cookie"))
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(
        self,
        status: int,
        body: bytes,
        kind: str = "text/html; charset=utf-8",
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> None:
        path = self.path.split("?")[0]
        if path.endswith(".html") and (PAGES / path[1:]).is_file():
            self._send(
                200, (PAGES / path[1:]).read_bytes(), extra={"Set-Cookie": "session=secret; Path=/"}
            )
        elif path == "/slow-host/a" or path == "/slow-host/b":
            time.sleep(0.3)
            self._send(200, (PAGES / "article.html").read_bytes())
        elif path == "/huge":
            # 20 MiB streamed without a length: the cap must stop it, not the end of the body.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"filler " * 1000 + b"</p>"
            for _ in range(20 * 1024 * 1024 // len(chunk)):
                self.wfile.write(chunk)
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(600):  # one byte a tenth of a second: a minute if nothing stops it
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/feed.xml":
            port = self.server.server_address[1]
            items = "".join(
                f"<item><title>{name}</title><link>http://127.0.0.1:{port}/{name}.html</link>"
                f"<guid>{name}</guid><description>Only a line about {name}.</description></item>"
                for name in ("article", "nothing")
            )
            body = f'<rss version="2.0"><channel><title>Herald</title>{items}</channel></rss>'
            self._send(200, body.encode(), "application/rss+xml")
        elif path == "/paper.pdf":
            self._send(200, b"%PDF-1.4 not really", "application/pdf")
        elif path == "/forbidden":
            self._send(403, b"no", "text/plain")
        else:
            self._send(404, b"missing", "text/plain")


class _PageServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[float, str, str | None]] = []
        self._lock = threading.Lock()

    def seen(self, path: str, cookie: str | None) -> None:
        with self._lock:
            self.requests.append((time.monotonic(), path, cookie))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture(scope="module")
def server():
    httpd = _PageServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _fetch(server, tmp_path, *paths, limits=FAST):
    store = FullTextStore(tmp_path / "cache")
    urls = [server.url(p) for p in paths]
    outcomes = fetch_full_texts(urls, store, limits=limits)
    return store, {o.url: o.result for o in outcomes}


# --- extraction ------------------------------------------------------------------


def test_the_story_is_found_and_the_page_around_it_left_out():
    found = extract_article((PAGES / "article.html").read_bytes(), "https://herald.example/tidal")
    md = found.markdown
    assert "turbine installed in the race" in md and "open day in May" in md
    assert "## Forty homes, two tides a day" in md
    assert "[regional energy agency](https://energy.example.org/tidal-report)" in md
    for chrome in ("Subscribe", "Accept all", "Most read", "Great to see", "All rights reserved"):
        assert chrome not in md


def test_a_page_without_an_article_says_so():
    with pytest.raises(NoArticle, match="no article text found on the page"):
        extract_article((PAGES / "nothing.html").read_bytes(), "https://herald.example/search")


def test_hostile_page_text_is_kept_literal_and_harmless():
    md = extract_article((PAGES / "hostile.html").read_bytes(), "https://evil.example/").markdown
    assert "lighthouse" in md or "keeper" in md
    for bad in (
        "javascript:",
        "file:",
        "data:",
        "evil.example/frame",
        "pixel.gif",
        "password",
        "document.location",
        "alert(",
        "\x1b",
        "\x07",
        "\x9b",
    ):
        assert bad not in md
    assert "[@click=app.quit]Click here[/]" in md  # literal text; the view never interprets it


def test_the_second_extractor_is_chosen_only_when_the_first_stopped_short():
    story = " ".join(f"word{i}" for i in range(300))
    assert choose(story, story) == 0
    assert choose(story[: len(story) // 3], story) == 1  # contained, and much longer
    assert choose(story, "completely different text " * 40) == 0
    assert choose("too short", story) == 1


# --- downloads ----------------------------------------------------------------------


def test_pages_are_extracted_and_stored_by_url(server, tmp_path):
    store, results = _fetch(server, tmp_path, "/article.html")
    result = results[server.url("/article.html")]
    assert result.ok and "tide mill" in result.markdown
    assert store.get(server.url("/article.html")).markdown == result.markdown
    stored = list((tmp_path / "cache" / ".newsreader" / "fulltext").glob("*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_text())["url"] == server.url(
        "/article.html"
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/forbidden", "HTTP 403"),
        ("/missing.html", "HTTP 404"),
        ("/nothing.html", "no article text found on the page"),
        ("/paper.pdf", "not a web page (application/pdf)"),
        ("/to-file", "not an http(s) URL"),
        ("/huge", "larger than 1 MiB"),
    ],
)
def test_each_failure_is_one_line_and_remembered(server, tmp_path, path, reason):
    store, results = _fetch(server, tmp_path, path)
    result = results[server.url(path)]
    assert not result.ok and reason in result.error and "\n" not in result.error
    assert store.get(server.url(path)).error == result.error


def test_a_page_that_never_ends_stops_at_the_deadline(server, tmp_path):
    started = time.monotonic()
    _, results = _fetch(server, tmp_path, "/endless")
    elapsed = time.monotonic() - started
    assert results[server.url("/endless")].error == "timed out after 1.5 s"
    assert elapsed < 4


def test_the_cap_holds_for_the_default_limits_on_a_20_mib_page(server, tmp_path):
    _, results = _fetch(server, tmp_path, "/huge", limits=PageLimits(deadline=10))
    assert results[server.url("/huge")].error == "response larger than 5 MiB"


def test_no_cookie_is_ever_sent_back(server, tmp_path):
    _fetch(server, tmp_path, "/article.html", "/hostile.html", "/nothing.html")
    assert all(cookie is None for _, _, cookie in server.requests)


def test_one_host_is_asked_one_page_at_a_time(server, tmp_path):
    server.requests.clear()
    _fetch(server, tmp_path, "/slow-host/a", "/slow-host/b")
    times = sorted(t for t, path, _ in server.requests if path.startswith("/slow-host/"))
    assert len(times) == 2 and times[1] - times[0] >= 0.25


def test_unsafe_links_are_never_fetched(tmp_path):
    store = FullTextStore(tmp_path / "cache")
    outcomes = fetch_full_texts(["file:///etc/passwd", "javascript:alert(1)"], store, limits=FAST)
    assert [o.result.error for o in outcomes] == ["not an http(s) link"] * 2


def test_a_foreign_file_in_the_store_is_not_taken_for_this_url(tmp_path):
    store = FullTextStore(tmp_path)
    store.put(FullText("https://a.example/1", markdown="text"))
    path = next(store.folder.glob("*.json"))
    path.write_text(json.dumps({"url": "https://other.example/", "markdown": "x"}))
    assert store.get("https://a.example/1") is None


# --- the command line ---------------------------------------------------------------


@pytest.fixture
def cache(tmp_path, server):
    folder = tmp_path / "cache"
    write_article(
        folder,
        "tidal.md",
        title="Tidal power at the mill",
        excerpt="A turbine.",
        webUrl=server.url("/article.html"),
        publishedDateTime="2026-03-03T10:00:00Z",
        provider={"name": "Coastal Herald", "domain": "herald.example"},
        topics=["Energy"],
    )
    write_article(
        folder,
        "search.md",
        title="A search page",
        excerpt="Nothing here.",
        webUrl=server.url("/nothing.html"),
    )
    write_article(
        folder,
        "own.md",
        body="The file's **own** body.",
        title="Has a body",
        excerpt="Short.",
        webUrl=server.url("/hostile.html"),
    )
    return folder


def _cli(cache: Path, *args: str):
    return CliRunner().invoke(main, ["--cache-dir", str(cache), *args])


def test_fulltext_fetches_what_has_no_body_and_reports(cache, server):
    result = _cli(cache, "fulltext")
    assert result.exit_code == 1, result.output
    assert "1 extracted, 1 failed, 1 skipped" in result.stdout
    assert result.stderr.strip() == (
        f"failed: {server.url('/nothing.html')}: no article text found on the page"
    )
    again = _cli(cache, "fulltext")  # remembered: neither fetched nor failed again
    assert again.exit_code == 0 and "0 extracted, 0 failed, 3 skipped" in again.stdout
    retry = _cli(cache, "fulltext", "--retry")
    assert retry.exit_code == 1 and "0 extracted, 1 failed, 2 skipped" in retry.stdout


def test_show_takes_the_body_from_the_file_the_full_text_or_the_excerpt(cache, server):
    def shown(target: str) -> dict:
        result = _cli(cache, "show", target, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert shown(server.url("/article.html"))["body_source"] == EXCERPT
    assert _cli(cache, "fulltext", "topic:Energy").exit_code == 0
    tidal = shown(server.url("/article.html"))
    assert tidal["body_source"] == FULLTEXT and "tide mill" in tidal["body"]
    assert tidal["title"] == "Tidal power at the mill" and tidal["topics"] == ["Energy"]
    assert tidal["provider"] == "Coastal Herald" and tidal["published"] == "2026-03-03T10:00:00Z"
    assert "regional energy agency" in tidal["text"] and "https://" not in tidal["text"]
    listed = _cli(cache, "list", "tide mill", "--json")  # the full text is searched too
    assert [json.loads(line)["title"] for line in listed.stdout.splitlines()] == [
        "Tidal power at the mill"
    ]
    own = shown(str(cache / "own.md"))
    assert own["body_source"] == FILE and own["text"] == "The file's own body."


def test_show_as_markdown_and_as_text(cache, server):
    markdown = _cli(cache, "show", str(cache / "own.md"))
    assert markdown.exit_code == 0
    assert (
        markdown.stdout.startswith("# Has a body\n")
        and "The file's **own** body." in markdown.stdout
    )
    text = _cli(cache, "show", str(cache / "own.md"), "--format", "text")
    assert text.stdout.startswith("Has a body\n==========\n") and "**" not in text.stdout


def test_show_says_clearly_when_there_is_no_such_article(cache):
    result = _cli(cache, "show", "https://nowhere.example/x")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error: no article with that URL in ")


def test_fulltext_of_a_query_s_few_matches_reads_them_from_the_index(cache, server, monkeypatch):
    from reader.library import Source

    loads, load = [], Source.load
    monkeypatch.setattr(
        Source, "load", lambda self, *a, **k: loads.append(a) or load(self, *a, **k)
    )
    for n in range(4):  # a word that matches one article in four or fewer narrows the read
        write_article(cache, f"other{n}.md", body="Its own body.", title=f"Harbour news {n}")
    result = _cli(cache, "fulltext", "tidal")
    assert result.exit_code == 0, result.output
    assert "1 extracted, 0 failed, 0 skipped" in result.stdout
    assert not loads


def test_show_finds_a_url_in_the_index_without_loading_every_article(cache, server, monkeypatch):
    """At a million, ``show URL`` loaded every entry to find one: 10 s and 886 MB."""
    from reader.library import Source

    loads, load = [], Source.load
    monkeypatch.setattr(
        Source, "load", lambda self, *a, **k: loads.append(a) or load(self, *a, **k)
    )
    result = _cli(cache, "show", server.url("/article.html"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Tidal power at the mill"
    assert not loads


def test_feeds_marked_full_text_get_it_right_after_the_fetch(tmp_path, server):
    from reader.feeds import Feed, load_feeds, save_feeds
    from reader.paths import resolve

    locations = resolve(tmp_path / "fetched")
    save_feeds(locations.feeds_config_path, [Feed(server.url("/feed.xml"), full_text=True)])
    assert load_feeds(locations.feeds_config_path)[0].full_text is True
    result = _cli(locations.cache, "fetch")
    assert result.exit_code == 0, result.output
    assert (
        "2 new articles" in result.stdout and "Full text: 1 extracted, 1 failed." in result.stdout
    )
    assert f"full text failed: {server.url('/nothing.html')}" in result.stderr
    shown = json.loads(
        _cli(locations.cache, "show", server.url("/article.html"), "--format", "json").stdout
    )
    assert shown["body_source"] == FULLTEXT and "tide mill" in shown["text"]


def test_full_text_must_be_true_or_false_in_the_config(tmp_path):
    from reader.feeds import FeedConfigError, load_feeds

    config = tmp_path / "config.toml"
    config.write_text('[[feeds]]\nurl = "https://a.example/feed"\nfull_text = "yes"\n')
    with pytest.raises(FeedConfigError, match="full_text must be true or false"):
        load_feeds(config)
