"""Benchmark reading: the reader view on a long article, and the cursor over articles with bodies.

Usage: python benchmarks/reading.py [--articles 100000] [--runs 7] [--workdir DIR]

* reader view, first paint: ``newsreader`` runs in a 160x45 pseudo-terminal
  on a small cache whose newest article has a 10,000-word body (headings,
  lists, 200 links); the time is from pressing ``enter`` on it until the
  terminal shows the view's first screen (its header, drawn with the first lines).
  A fresh process per run.
* cursor step with bodies: the app in-process (as ``bench.py`` measures
  interactions) on a synthetic cache of N articles that each have a
  Markdown body of 150-600 words; one step is ``j`` and everything it
  causes (the list's row, the detail pane reading the file and rendering
  its preview) until the app is idle again.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench  # noqa: E402 - the synthetic articles and the pseudo-terminal harness
import synthetic  # noqa: E402 - the synthetic articles

READER_VIEW_HEAD = r"Long Reads · 1 January 2030, 00:00 UTC · \d+ min read"
"""The reader view's second line: it is drawn in the same frame as the first lines of text."""


def _body(rng: random.Random, words: int, links: int = 0) -> str:
    """A Markdown body of about ``words`` words: paragraphs, some headings and lists."""
    parts: list[str] = []
    written = 0
    section = 0
    while written < words:
        if written and rng.random() < 0.12:
            section += 1
            parts.append(f"## Section {section}: {synthetic._sentence(rng, 4)}")
        if rng.random() < 0.1:
            parts.append("\n".join(f"- {synthetic._sentence(rng, 8)}" for _ in range(3)))
            written += 24
        size = rng.randint(40, 110)
        sentence = synthetic._sentence(rng, size)
        if links and rng.random() < 0.5:
            n = rng.randint(1, 10**6)
            sentence += f" [source {n}](https://sources.example/{n})"
            links -= 1
        parts.append(sentence + ".")
        written += size
    return "\n\n".join(parts)


def long_article_cache(root: Path) -> Path:
    """Ten short articles and, newest, one of 10,000 words."""
    rng = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)
    start = synthetic.dt.datetime(2023, 1, 1)
    for i in range(10):
        (root / f"short-{i}.md").write_text(synthetic._article(rng, i, start), encoding="utf-8")
    body = _body(rng, 10_000, links=200)
    (root / "long-read.md").write_text(
        "---\ntitle: A ten-thousand-word long read\npublishedDateTime: 2030-01-01T00:00:00Z\n"
        "webUrl: https://longreads.example/10k\nprovider: {name: Long Reads}\n---\n" + body,
        encoding="utf-8",
    )
    return root


def reader_view_first_paint(runs: int, home: Path) -> list[float]:
    """Seconds from ``enter`` until the first paragraph of the 10,000-word body shows."""
    with tempfile.TemporaryDirectory(prefix="newsreader-long-") as tmp:
        cache = long_article_cache(Path(tmp) / "cache")
        out = []
        for _ in range(runs):
            with bench.Run(cache, home) as run:
                run.wait_for(r"All articles · 11 ·")
                run.wait_for(r"11 articles in")  # the scan is done
                time.sleep(0.5)  # and the first screen drawn: the reader is idle
                pressed = time.perf_counter()
                os.write(run.master, b"\r")
                shown = run.started + run.wait_for(READER_VIEW_HEAD)
                out.append(shown - pressed)
                os.write(run.master, b"q")  # back to the list; quit() presses q once more
                run.wait_for(r"All articles · 11 ·\s*$|Read/unread", timeout=10)
                run.quit()
        return out


def bodies_cache(root: Path, count: int, bodies: bool = True) -> Path:
    """``count`` synthetic articles, each with a Markdown body (kept between runs)."""
    marker = root / f".complete-bodies-v1-{count}-{bodies}"
    if marker.exists():
        return root
    rng = random.Random(20261201)
    start = synthetic.dt.datetime(2023, 1, 1)
    for i in range(count):
        folder = root / f"batch{i % 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        body = _body(rng, rng.randint(150, 600), links=3) + "\n" if bodies else ""
        text = synthetic._article(rng, i, start) + body
        (folder / f"article-{i:06d}.md").write_text(text, encoding="utf-8")
    marker.touch()
    return root


async def cursor_steps(cache: Path, home: Path, steps: int) -> tuple[list[float], list[float]]:
    """Milliseconds per cursor step: as ``bench.py`` times it (the key's handler and the list's
    rows), and until the app is idle again (the detail pane and the whole screen drawn)."""
    from reader import gc_pause
    from reader.app import make_app
    from reader.paths import Locations
    from reader.widgets.article_list import ArticleList

    gc_pause.pause()
    app = make_app(Locations(cache, home / "config", home / "data"))
    handler, idle = [], []
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        articles = screen.query_one(ArticleList)
        for _ in range(3000):
            await pilot.pause(0.1)
            if not screen.scanning and articles.entries:
                break
        await pilot.pause(1.0)
        for _ in range(steps):
            started = time.perf_counter()
            articles.action_cursor_down()
            for y in range(articles.size.height):
                articles.render_line(y)
            handler.append((time.perf_counter() - started) * 1000)
            await pilot.pause()  # the highlight's message, the detail pane, its preview, the frame
            idle.append((time.perf_counter() - started) * 1000)
    return handler, idle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="first paints measured (medians)")
    parser.add_argument("--steps", type=int, default=60, help="cursor steps measured")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsreader-bench"
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="newsreader-reading-home-"))
    print(f"machine: {bench.machine()}")
    paint = reader_view_first_paint(args.runs, home)
    figures = [("reader view first paint, 10,000-word body", paint, 1000)]
    for bodies in (True, False):
        started = time.perf_counter()
        name = f"cache-{'bodies' if bodies else 'nobodies'}-{args.articles}"
        cache = bodies_cache(args.workdir / name, args.articles, bodies)
        handler, idle = asyncio.run(cursor_steps(cache, home, args.steps))
        print(f"{cache}: made, indexed and loaded in {time.perf_counter() - started:.0f} s")
        what = "with bodies" if bodies else "without bodies"
        figures.append((f"cursor step {what}, handler and list rows", handler, 1))
        figures.append((f"cursor step {what}, until idle (detail pane, frame)", idle, 1))
    print("| figure | median | p95 | min | max | n |")
    print("|---|---|---|---|---|---|")
    for name, values, scale in figures:
        unit = "ms"
        ordered = sorted(v * scale for v in values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"| {name} | {statistics.median(ordered):.1f} {unit} | {p95:.1f} | {ordered[0]:.1f}"
            f" | {ordered[-1]:.1f} | {len(ordered)} |"
        )


if __name__ == "__main__":
    main()
