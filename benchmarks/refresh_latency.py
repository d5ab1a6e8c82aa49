"""Benchmark: what a background refresh costs the keystrokes of a reader of 100,000 articles.

Usage:  python benchmarks/refresh_latency.py [--articles 100000] [--runs 3] [--feeds 20]
                                             [--entries 200] [--workdir DIR]

The real app (``make_app``, as ``newsreader`` builds it) runs headless on the
synthetic cache of :mod:`bench`; 20 feeds of 200 new entries each are served
by five local servers on 127.0.0.1 (four feeds each, 0.1 s per answer, like a
near site). Keystrokes are measured while nothing runs ("idle"), then while
the background refresh of the due feeds runs (started the way the reader's
timer starts it, :meth:`FeedFetch.check_due`): first while the feeds are
downloaded, parsed and written ("fetch"), then while the cache is scanned
in the new files ("update": only those files are read and the list patched). Figures:

- cursor step and search keystroke: the handler (cursor down or up; the
  search text changed) and a screenful of rows rendered, as :mod:`bench`
  measures them;
- loop lag: how late a 10 ms timer on the app's event loop fires, sampled
  throughout: what a keystroke arriving at a random moment waits first.

Medians (and the 95th percentile of the loop lag) per phase, and the ratio to
idle. The fetched files are removed after each run, so every run writes the
same number of new articles into a cache of the same size.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench  # noqa: E402 - the synthetic articles and the machine line

SERVERS = 5
ANSWER_SECONDS = 0.1
PHASES = ("idle", "fetch", "update")


def feed_xml(run: int, feed: int, entries: int) -> bytes:
    """An RSS 2.0 feed of ``entries`` new items (new for each run), each with a paragraph."""
    words = bench.WORDS
    items = []
    for n in range(entries):
        text = " ".join(words[(run * 7 + feed * 13 + n * 3 + k) % 600] for k in range(90))
        items.append(
            f"<item><title>Run {run} feed {feed} item {n} {words[n % 500]}</title>"
            f"<link>http://site{feed}.example/{run}/{n}</link><guid>r{run}-f{feed}-{n}</guid>"
            f"<pubDate>Tue, 01 Dec 2026 {n % 24:02d}:{n % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{text}.&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>Feed {feed}</title><link>http://site{feed}.example/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        time.sleep(ANSWER_SECONDS)
        body = self.server.bodies.get(self.path, b"")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies: dict[str, bytes] = {}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _one_run(
    cache: Path, home: Path, servers: list[_Server], run: int, feeds: int, entries: int
) -> dict[str, dict[str, list[float]]]:
    from reader.app import make_app
    from reader.components import feed_fetch
    from reader.feeds import Feed, save_feeds
    from reader.paths import Locations
    from reader.widgets.article_list import ArticleList

    feed_fetch.FIRST_CHECK_SECONDS = feed_fetch.CHECK_SECONDS = 10**6  # started by hand below
    urls = []
    for number in range(feeds):
        server = servers[number % len(servers)]
        server.bodies[f"/feed{number}.xml"] = feed_xml(run, number, entries)
        urls.append(f"http://127.0.0.1:{server.server_address[1]}/feed{number}.xml")
    locations = Locations(cache, home / "config", home / "data")
    save_feeds(locations.feeds_config_path, [Feed(url) for url in urls])

    figures = {
        phase: {"cursor step": [], "search keystroke": [], "loop lag": []} for phase in PHASES
    }
    app = make_app(locations)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        articles = screen.query_one(ArticleList)
        for _ in range(6000):  # a cold index of 100,000 files takes a while
            await pilot.pause(0.1)
            if not screen.scanning and articles.entries:
                break
        await pilot.pause(1.0)
        phase = "idle"
        sampling = True

        async def sample_lag() -> None:
            while sampling:
                started = time.perf_counter()
                await asyncio.sleep(0.01)
                figures[phase]["loop lag"].append((time.perf_counter() - started - 0.01) * 1000)

        lag = asyncio.create_task(sample_lag())
        word = bench.SEARCH_WORD
        typed = [word[:n] for n in range(1, len(word) + 1)]

        async def keystrokes(count: int) -> None:
            for step in range(count):
                started = time.perf_counter()
                if step % 2 == 0:
                    articles.action_cursor_down()
                else:
                    articles.action_cursor_up()
                for y in range(articles.size.height):
                    articles.render_line(y)
                figures[phase]["cursor step"].append((time.perf_counter() - started) * 1000)
                await pilot.pause(0.02)
                started = time.perf_counter()
                screen.view = replace(screen.view, text=typed[step % len(typed)])
                for y in range(articles.size.height):
                    articles.render_line(y)
                figures[phase]["search keystroke"].append((time.perf_counter() - started) * 1000)
                await pilot.pause(0.05)
            screen.view = replace(screen.view, text="")

        await keystrokes(40)
        before = len(screen.collection)
        phase = "fetch"
        started = time.perf_counter()
        screen.fetcher.check_due()
        for _ in range(100):  # the look for due feeds runs in a thread
            await pilot.pause(0.02)
            if screen.fetcher.running:
                break
        while screen.fetcher.running:
            await keystrokes(1)
        fetched = time.perf_counter() - started
        phase = "update"
        expected = before + feeds * entries
        give_up = time.perf_counter() + 600
        # The fetch's files are read once its message is handled (LibraryLoader.apply).
        while len(screen.collection) < expected and time.perf_counter() < give_up:
            await keystrokes(1)
        total = time.perf_counter() - started
        sampling = False
        await lag
        status = str(screen.query_one("#status").content)
        print(
            f"run {run}: fetch {fetched:.1f} s, fetch + update {total:.1f} s, "
            f"{len(screen.collection) - before:,} new articles; status: {status[:90]}",
            flush=True,
        )
    shutil.rmtree(cache / "feeds", ignore_errors=True)
    for name in ("feed_status.json", "feed_http_state.json"):
        (home / "data" / name).unlink(missing_ok=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsreader-bench"
    )
    args = parser.parse_args()
    cache = args.workdir / f"cache-{args.articles}"
    home = Path(tempfile.mkdtemp(prefix="newsreader-refresh-home-"))
    print(f"machine: {bench.machine()}")
    bench.make_cache(cache, args.articles)
    shutil.rmtree(cache / "feeds", ignore_errors=True)  # left by an interrupted run
    servers = [_Server() for _ in range(SERVERS)]
    for server in servers:
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    totals = {
        phase: {"cursor step": [], "search keystroke": [], "loop lag": []} for phase in PHASES
    }
    try:
        for run in range(args.runs):
            figures = asyncio.run(_one_run(cache, home, servers, run, args.feeds, args.entries))
            for phase, kinds in figures.items():
                for kind, values in kinds.items():
                    totals[phase][kind].extend(values)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(home, ignore_errors=True)

    print()
    print(
        f"| {args.articles:,} articles, refresh of {args.feeds} feeds × {args.entries} entries "
        "| idle | during fetch | during update | fetch / idle | update / idle |"
    )
    print("|---|---|---|---|---|---|")
    for kind in ("cursor step", "search keystroke", "loop lag"):
        cells = []
        medians = {}
        for phase in PHASES:
            values = totals[phase][kind]
            if not values:
                cells.append("-")
                continue
            medians[phase] = statistics.median(values)
            extra = f", p95 {_percentile(values, 0.95):.1f}" if kind == "loop lag" else ""
            cells.append(f"{medians[phase]:.1f} ms{extra} (n={len(values)})")
        ratios = [
            f"{medians[phase] / medians['idle']:.2f}×"
            if phase in medians and medians.get("idle")
            else "-"
            for phase in ("fetch", "update")
        ]
        print(f"| {kind} (median) | " + " | ".join(cells + ratios) + " |")


if __name__ == "__main__":
    main()
