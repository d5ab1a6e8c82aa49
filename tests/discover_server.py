"""A web site on 127.0.0.1 for the autodiscovery tests: pages that name feeds, and the feeds.

``/`` names three feeds (relative, absolute and ``<base>``-resolved links)
among links that must be ignored (``javascript:``, a stylesheet, an HTML
alternate, a repeat); ``/one/`` names one; ``/plain/`` names none;
``/feed.xml`` is an Atom feed, ``/mislabeled`` an RSS feed sent as
``text/html``; ``/notes.txt`` is neither; ``/gone`` answers 404 and
``/slow`` waits before answering.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
HTML = "text/html; charset=utf-8"

HOME = """<!DOCTYPE html>
<html><head><title>Example site</title>
<link rel="stylesheet" type="text/css" href="/style.css">
<link rel="alternate" type="application/atom+xml" title="Example posts" href="feed.xml">
<link rel="alternate" type="application/rss+xml" title="Evil" href="javascript:alert(1)">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="Alternate" type="application/rss+xml" title="Comments" href="{origin}/comments.rss">
<link rel="alternate" type="application/atom+xml" title="Again" href="/feed.xml">
<link rel="alternate feed" type="application/feed+json" title="JSON &amp; more"
  href="//{host}/feed.json" />
</head><body>
<link rel="alternate" type="application/rss+xml" title="In the body" href="/body.rss">
<p>Hello</p></body></html>
"""
ONE = """<!doctype html><html><head><base href="/blog/">
<link rel="alternate" type="application/rss+xml" title="Blog" href="rss.xml">
</head><body>One feed</body></html>"""
PLAIN = "<!doctype html><html><head><title>No feeds</title></head><body>Hi</body></html>"


class _Handler(BaseHTTPRequestHandler):
    server: DiscoverServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        host = f"127.0.0.1:{self.server.server_address[1]}"
        self.server.requests.append(self.path)
        pages = {
            "/": HOME.format(origin=f"http://{host}", host=host),
            "/one/": ONE,
            "/plain/": PLAIN,
        }
        if self.path in pages:
            self._send(200, pages[self.path].encode(), HTML)
        elif self.path in ("/feed.xml", "/blog/rss.xml"):
            self._send(200, (FEEDS / "atom.xml").read_bytes(), "application/atom+xml")
        elif self.path == "/mislabeled":
            self._send(200, (FEEDS / "rss2.xml").read_bytes(), HTML)
        elif self.path == "/notes.txt":
            self._send(200, b"just some notes, no feed", "text/plain")
        elif self.path == "/slow":
            time.sleep(self.server.delay)
            self._send(200, PLAIN.encode(), HTML)
        else:
            self._send(404, b"not here", "text/plain")


class DiscoverServer(ThreadingHTTPServer):
    """The site, on a free port of 127.0.0.1."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[str] = []
        self.delay = 3.0

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout and stop tests) is no news

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@contextmanager
def serving() -> Iterator[DiscoverServer]:
    """Run the site in a thread for the ``with`` block."""
    server = DiscoverServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
