"""Huge feeds served from 127.0.0.1, for the tests that stop a fetch half way.

Issue #12 measured a feed of 20,000 entries: seconds inside feedparser, then
seconds writing 20,000 files. ``/big.json`` (a JSON Feed, parsed in about two
seconds) reaches the writing quickly; ``/big.xml`` (RSS) spends its time in
feedparser. ``/small.xml`` is the plain RSS fixture. ``/pages.xml`` has entries
without text whose pages answer slowly, for full-text downloads after a fetch.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frontmatter

ENTRIES = 20_000
SMALL = Path(__file__).parent / "fixtures" / "feeds" / "rss2.xml"
ETAG = '"big-v1"'
PAGE_SECONDS = 20.0
"""How long a ``/page/N`` keeps the client waiting (and then closes without an answer)."""


@cache
def big_json() -> bytes:
    """A JSON Feed of :data:`ENTRIES` short entries, each with a text body."""
    items = [
        {
            "id": f"id-{n}",
            "url": f"http://big.example/a/{n}",
            "title": f"Item {n}",
            "content_text": f"The text of item {n}.",
        }
        for n in range(ENTRIES)
    ]
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Big",
        "home_page_url": "http://big.example/",
        "items": items,
    }
    return json.dumps(doc).encode()


@cache
def big_xml() -> bytes:
    """An RSS 2.0 feed of :data:`ENTRIES` short entries with HTML descriptions."""
    items = "".join(
        f"<item><title>Item {n}</title><link>http://big.example/a/{n}</link>"
        f"<guid>id-{n}</guid><description>&lt;p&gt;Text of item {n}.&lt;/p&gt;</description></item>"
        for n in range(ENTRIES)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        f"<link>http://big.example/</link>{items}</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: BigFeedServer

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/page/"):
            self.server.page_requests.append(self.path)
            time.sleep(PAGE_SECONDS)  # a page that takes its time: the stop must not wait
            return
        routes = {
            "/pages.xml": (self._pages_feed, "application/rss+xml"),
            "/big.json": (big_json, "application/feed+json"),
            "/big.xml": (big_xml, "application/rss+xml"),
            "/small.xml": (SMALL.read_bytes, "application/rss+xml"),
        }
        make, kind = routes.get(self.path, (lambda: b"not here", "text/plain"))
        body = make()
        try:
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", ETAG)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.server.served.append(self.path)

    def _pages_feed(self) -> bytes:
        """Three entries without text, whose pages (``/page/N``) answer slowly."""
        items = "".join(
            f"<item><title>Page {n}</title><link>{self.server.url(f'/page/{n}')}</link></item>"
            for n in range(3)
        )
        return f'<rss version="2.0"><channel><title>Pages</title>{items}</channel></rss>'.encode()


class BigFeedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.served: list[str] = []
        """Paths whose whole answer was sent."""
        self.page_requests: list[str] = []
        """Slow pages asked for (``/page/N``)."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@contextmanager
def serving() -> Iterator[BigFeedServer]:
    """The server, running in a thread until the block ends."""
    big_json(), big_xml()  # built before any timing starts
    server = BigFeedServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def article_files(cache: Path) -> list[Path]:
    """The article files under ``<cache>/feeds`` (regular files only)."""
    root = cache / "feeds"
    return [p for p in root.rglob("*.md") if p.is_file()] if root.is_dir() else []


def whole_articles(cache: Path) -> list[Path]:
    """The article files, after checking each is complete and no write was left half done."""
    files = article_files(cache)
    for path in files:
        post = frontmatter.load(path)
        assert str(post.metadata.get("title", "")).startswith("Item "), path
        assert str(post.metadata.get("excerpt", "")).startswith("The text of item"), path
    assert not list(cache.rglob(".tmp-*")), "a write was cut short"
    return files
