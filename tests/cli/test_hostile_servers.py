"""Hostile servers (issue #12): compression bombs and servers that drip.

A raw-socket server on 127.0.0.1 answers with a 1.7 kB body that is gzip of
gzip of 128 MiB of zeros (and triple, and deflate under gzip), or sends one
byte every quarter second for ever (in the body, or in the headers), or
walks a redirect chain slowly. Both downloaders (feeds and full text) must
stop at the byte cap counting decoded bytes, with bounded memory, and at one
deadline for the whole request. Before the fix a 2 GiB bomb took 11 s and
4.1 GB of memory, and a dripping feed 60 s for a "20 s" timeout.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from conftest import write_article

from reader.feeds import Feed, Limits, fetch_feeds, save_feeds
from reader.feeds.http import DownloadError, Validators, download, make_client
from reader.fulltext.download import PageLimits, fetch_full_texts
from reader.fulltext.store import FullTextStore
from reader.paths import resolve

REPO = Path(__file__).resolve().parents[2]
FEEDS = REPO / "tests" / "fixtures" / "feeds"
PAGES = REPO / "tests" / "fixtures" / "pages"
DRIP = 0.25
"""Seconds between two bytes of a dripping answer: no read ever waits long."""
HOP = 0.6
"""Seconds each hop of the slow redirect chain takes."""
ZEROS = 128 * 1024 * 1024
BOMBS = {
    "/bomb/gzip2": "gzip, gzip",
    "/bomb/gzip3": "gzip, gzip, gzip",
    "/bomb/deflate-gzip": "deflate, gzip",
}
SHORT = 2.0


def _compress(chunks, wbits: int, level: int = 9) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, wbits)
    return b"".join([*(packer.compress(chunk) for chunk in chunks), packer.flush()])


def _zeros(wbits: int) -> bytes:
    """128 MiB of zeros, compressed quickly (level 1: under half a second)."""
    block = bytes(16 * 1024 * 1024)
    return _compress((block for _ in range(ZEROS // len(block))), wbits, level=1)


def _bodies() -> dict[str, tuple[str, bytes]]:
    """Path -> (Content-Encoding, body on the wire)."""
    gzip1 = _zeros(31)
    gzip2 = _compress([gzip1], 31)
    rss = (FEEDS / "rss2.xml").read_bytes()
    page = (PAGES / "article.html").read_bytes()
    return {
        "/bomb/gzip2": ("gzip, gzip", gzip2),
        "/bomb/gzip3": ("gzip, gzip, gzip", _compress([gzip2], 31)),
        "/bomb/deflate-gzip": ("deflate, gzip", _compress([_zeros(15)], 31)),
        "/ok/feed.xml": ("gzip, deflate", _compress([gzip.compress(rss)], -15)),
        "/ok/page.html": ("gzip, gzip", gzip.compress(gzip.compress(page))),
    }


class _HostileServer:
    """One thread per connection; the answers are written byte by byte where it matters."""

    def __init__(self) -> None:
        self.bodies = _bodies()
        self.stopping = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(65536)
                    if not data:
                        return
                    request += data
                self._route(conn, request.split(b" ", 2)[1].decode())
            except OSError:
                pass  # the client gave up, as it must

    def _drip(self, conn: socket.socket, data: bytes) -> None:
        for byte in data:
            if self.stopping.wait(DRIP):
                return
            conn.sendall(bytes([byte]))

    def _route(self, conn: socket.socket, path: str) -> None:
        kind = "text/html" if "page" in path else "application/rss+xml"
        if path in self.bodies:
            encoding, body = self.bodies[path]
            head = f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Encoding: {encoding}\r\n"
            head += "Connection: close\r\n"
            conn.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        elif path.startswith("/drip-body/"):
            conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\n\r\n<".encode())
            self._drip(conn, b" " * 100_000)
        elif path.startswith("/drip-head/"):
            self._drip(conn, b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100_000)
        elif path.startswith("/hops/"):
            number = int(path.rsplit("/", 1)[1])
            time.sleep(HOP)
            target = f"/hops/{number + 1}" if number < 4 else "/ok/feed.xml"
            conn.sendall(
                # One answer per connection, and said so: a client keeping the connection for the
                # next hop would meet it closed (a ReadError instead of the deadline).
                f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n".encode()
            )
        else:
            conn.sendall(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )


@pytest.fixture(scope="module")
def server():
    hostile = _HostileServer()
    yield hostile
    hostile.close()


def _download(url: str, limits: Limits) -> tuple[str | None, float]:
    """One feed download: (error or None, seconds)."""

    async def run() -> str | None:
        async with make_client(limits) as client:
            try:
                await download(client, url, Validators(), limits)
            except DownloadError as exc:
                return str(exc)
            return None

    started = time.monotonic()
    error = asyncio.run(run())
    return error, time.monotonic() - started


def _page(tmp_path: Path, url: str, limits: PageLimits) -> tuple[str | None, float]:
    """One full-text download: (error or None, seconds)."""
    started = time.monotonic()
    [outcome] = fetch_full_texts([url], FullTextStore(tmp_path / "cache"), limits=limits)
    return outcome.result.error or None, time.monotonic() - started


_MEASURE = """
import asyncio, json, pathlib, resource, sys, tempfile, time
from reader.feeds.http import DownloadError, Limits, Validators, download, make_client
from reader.fulltext.download import fetch_full_texts
from reader.fulltext.store import FullTextStore

def peak():
    # VmHWM is this process's own high-water mark; ru_maxrss would start from the size of the
    # test process that forked it (Linux carries it across fork and exec), hiding any growth.
    try:
        with open("/proc/self/status") as status:
            return 1024 * int(next(l.split()[1] for l in status if l.startswith("VmHWM:")))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

async def feed(url):
    async with make_client(Limits()) as client:
        try:
            await download(client, url, Validators(), Limits())
        except DownloadError as exc:
            return str(exc)

def page(url):
    store = FullTextStore(pathlib.Path(tempfile.mkdtemp()))
    return fetch_full_texts([url], store)[0].result.error

kind, url = sys.argv[1:]
before, started = peak(), time.monotonic()
error = asyncio.run(feed(url)) if kind == "feed" else page(url)
print(json.dumps({"error": error, "seconds": time.monotonic() - started,
                  "growth": peak() - before}))
"""


def _measure(kind: str, url: str) -> dict:
    """Download in a fresh process with the default limits; its peak memory growth."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, kind, url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("path", sorted(BOMBS))
@pytest.mark.parametrize("kind", ["feed", "page"])
def test_a_compression_bomb_stops_at_the_cap_quickly_in_bounded_memory(server, kind, path):
    measured = _measure(kind, server.url(path))
    assert measured["error"] == "response larger than 5 MiB"
    assert measured["seconds"] < 5  # 0.3-0.6 s; 4.5 s before (11 s at 2 GiB)
    assert measured["growth"] < 100 * 1024 * 1024  # about 4 MiB; 240 MiB before (4.1 GB at 2 GiB)


def test_the_cap_counts_decoded_bytes_at_a_small_cap_too(server):
    error, seconds = _download(server.url("/bomb/gzip3"), Limits(max_bytes=256 * 1024))
    assert error == "response larger than 256 KiB" and seconds < 5


def test_stacked_encodings_of_a_real_feed_and_page_still_decode(server, tmp_path):
    assert _download(server.url("/ok/feed.xml"), Limits(timeout=SHORT))[0] is None
    locations = resolve(tmp_path / "fetched")
    save_feeds(locations.feeds_config_path, [Feed(server.url("/ok/feed.xml"))])
    report = fetch_feeds(locations, limits=Limits(timeout=SHORT))
    assert report.failures == [] and len(report.new_paths) == 3
    assert _page(tmp_path, server.url("/ok/page.html"), PageLimits(deadline=SHORT))[0] is None


@pytest.mark.parametrize("path", ["/drip-body/feed.xml", "/drip-head/feed.xml", "/hops/0"])
def test_a_feed_that_drips_or_hops_stops_at_one_deadline(server, path):
    error, seconds = _download(server.url(path), Limits(timeout=SHORT))
    assert error == "timed out after 2 s"
    assert SHORT - 0.1 < seconds < SHORT + 2  # 3 x the timeout (and more) before


@pytest.mark.parametrize("path", ["/drip-body/page.html", "/drip-head/page.html", "/hops/0"])
def test_a_page_that_drips_or_hops_stops_at_one_deadline(server, tmp_path, path):
    error, seconds = _page(tmp_path, server.url(path), PageLimits(deadline=SHORT))
    assert error == "timed out after 2 s"
    assert SHORT - 0.1 < seconds < SHORT + 2


def test_the_default_deadlines_are_the_ones_the_messages_name():
    assert Limits().timeout == 20 and PageLimits().deadline == 10
    # The CLI's --timeout defaults to the same constant the message is built from.
    from reader.feeds.commands import fetch

    [option] = [p for p in fetch.params if p.name == "timeout"]
    assert option.default == Limits.timeout


def _cli(
    tmp_path: Path, *args: str, timeout: float = 60
) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env.pop(name, None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--cache-dir", str(tmp_path / "cache"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=timeout,
    )
    return done, time.monotonic() - started


def test_fetch_on_the_command_line_says_one_line_for_each_hostile_feed(server, tmp_path):
    save_feeds(
        resolve(tmp_path / "cache").feeds_config_path,
        [Feed(server.url("/bomb/gzip3")), Feed(server.url("/drip-body/feed.xml"))],
    )
    done, seconds = _cli(tmp_path, "fetch", "--timeout", "2")
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"failed: {server.url('/bomb/gzip3')}: response larger than 5 MiB",
        f"failed: {server.url('/drip-body/feed.xml')}: timed out after 2 s",
    ]
    assert seconds < 2 + 5  # the deadline, plus starting Python


def test_fulltext_on_the_command_line_keeps_its_default_10_s_deadline(server, tmp_path):
    for name, path in (("bomb.md", "/bomb/gzip2"), ("drip.md", "/drip-body/page.html")):
        write_article(tmp_path / "cache", name, title=name, webUrl=server.url(path))
    done, seconds = _cli(tmp_path, "fulltext")
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert sorted(done.stderr.splitlines()) == sorted(
        [
            f"failed: {server.url('/bomb/gzip2')}: response larger than 5 MiB",
            f"failed: {server.url('/drip-body/page.html')}: timed out after 10 s",
        ]
    )
    assert 9.9 < seconds < 10 + 5
