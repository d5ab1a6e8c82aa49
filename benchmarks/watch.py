"""Benchmark the live cache: one changed file at 100,000 articles, seen by the open reader.

Usage:  python benchmarks/watch.py [--articles 100000] [--runs 5] [--workdir DIR]

The real ``newsreader`` runs in a pseudo-terminal on the synthetic cache of
``bench.py`` (kept between runs in the same work folder). Each run rewrites
one article with a new title dated in the future, so that it sorts first and
is on screen once applied, and the clock stops when the title is painted;
the reader's CPU time over that span (and over the counts that follow) is
read from ``/proc``. The same change is then timed in-process: the watcher's
path (:meth:`Source.apply` on the loaded collection, which patches the
list's order) against the full reload a fetch used to cause (walk every file, load
the index, sort). Medians over ``--runs``; the machine is printed with them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from bench import Run, machine, make_cache  # noqa: E402

from reader.library import SortKey, Source  # noqa: E402
from reader.paths import Locations  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
SETTLE_SECONDS = 2.0
"""How long after the paint the CPU is still counted (the sidebar's counts follow the list)."""


def cpu_seconds(pid: int) -> float:
    """User and system time of ``pid`` and its waited-for children, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / TICK


def rewrite(path: Path, title: str) -> None:
    """Give the article at ``path`` a new title, dated after every other article."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^title: ".*"$', f'title: "{title}"', text, count=1, flags=re.M)
    future = "publishedDateTime: 2030-01-01T00:00:00Z"
    text = re.sub(r"^publishedDateTime: .*$", future, text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def through_the_terminal(cache: Path, home: Path, count: int, runs: int) -> dict[str, list[float]]:
    """Seconds from the write to the painted title, and the reader's CPU seconds for it."""
    out: dict[str, list[float]] = {
        "watched change: write to list (s)": [],
        "reader CPU to show it (s)": [],
        "reader CPU with the counts after it (s)": [],
    }
    target = cache / "batch050" / "article-000050.md"
    original = target.read_text(encoding="utf-8")
    try:
        with Run(cache, home) as run:
            run.wait_for(rf"{count:,} articles in", timeout=900)  # the index is up to date
            time.sleep(3)  # the counts and warm-up after start-up are done
            for n in range(runs):
                title = f"Watchmark {n} zqxv"
                before = cpu_seconds(run.proc.pid)
                written = time.perf_counter()
                rewrite(target, title)
                run.wait_for(title, timeout=60)
                shown = time.perf_counter()
                shown_cpu = cpu_seconds(run.proc.pid)
                time.sleep(SETTLE_SECONDS)
                settled_cpu = cpu_seconds(run.proc.pid)
                out["watched change: write to list (s)"].append(shown - written)
                out["reader CPU to show it (s)"].append(shown_cpu - before)
                out["reader CPU with the counts after it (s)"].append(settled_cpu - before)
            run.quit()
    finally:
        target.write_text(original, encoding="utf-8")
    return out


def in_process(cache: Path, home: Path, runs: int) -> dict[str, list[float]]:
    """The watcher's path against a full reload, each timed (wall and CPU) in this process."""
    locations = Locations(cache=cache, config=home / "config", data=home / "data")
    rel = "batch051/article-000051.md"
    target = cache / rel
    original = target.read_text(encoding="utf-8")
    out: dict[str, list[float]] = {}

    def timed(name: str, action: Callable[[], object]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        out.setdefault(f"{name}: wall (ms)", []).append(1000 * (time.perf_counter() - wall))
        out.setdefault(f"{name}: CPU (ms)", []).append(1000 * (time.process_time() - cpu))

    def full_reload() -> None:
        fresh = Source(locations)
        first = fresh.load()
        fresh.reload(first, fresh.scan()).sorted(SortKey.DATE)
        fresh.index.close()

    source = Source(locations)
    source.scan()  # the terminal runs' last change was put back after the reader quit
    loaded = source.load()
    loaded.sorted(SortKey.DATE)

    def apply_one() -> None:
        nonlocal loaded
        loaded, _ = source.apply(loaded, [rel])
        loaded.sorted(SortKey.DATE)

    try:
        for n in range(runs):
            rewrite(target, f"In-process mark {n}")
            timed("apply one file (index, patched order)", apply_one)
        for n in range(runs):
            rewrite(target, f"Reload mark {n}")
            timed("full reload (walk, load, sort)", full_reload)
    finally:
        target.write_text(original, encoding="utf-8")
        source.apply(source.load(), [rel])
        source.index.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="size of the synthetic cache")
    parser.add_argument("--runs", type=int, default=5, help="repetitions; medians are reported")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "newsreader-bench",
        help="where the synthetic cache is kept between runs",
    )
    args = parser.parse_args()
    cache = args.workdir / f"cache-{args.articles}"
    home = Path(tempfile.mkdtemp(prefix="newsreader-watch-home-"))
    print(f"machine: {machine()}")
    make_cache(cache, args.articles)
    try:
        figures = through_the_terminal(cache, home, args.articles, args.runs)
        figures.update(in_process(cache, home, args.runs))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print()
    print(f"| figure ({args.articles:,} articles) | median | min | max | runs |")
    print("|---|---|---|---|---|")
    for name, values in figures.items():
        fmt = "{:.1f}" if "(ms)" in name else "{:.2f}"
        median, low, high = (fmt.format(v) for v in (statistics.median(values), *minmax(values)))
        print(f"| {name} | {median} | {low} | {high} | {len(values)} |")


def minmax(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)


if __name__ == "__main__":
    main()
