"""What syncing costs: 100,000 marks merged from another machine, and the passes around it.

Usage:  python benchmarks/sync_speed.py [--marks 100000] [--runs 3] [--work DIR]

Two simulated machines (their own data and config folders) share one folder
under ``--work`` (a temporary folder by default). Machine A marks ``--marks``
articles read and a tenth of them starred, in one action each, and sends
them (its first pass writes them as one snapshot). Then, ``--runs`` times,
a fresh machine B:

- first pass: reads A's snapshot and merges every mark (the figure #17 names);
- idle pass: the next pass, nothing changed anywhere (what the reader does every 2 s);
- 100 new marks: A marks 100 more and sends them (appended to its log), B's pass;
- into a full state: a fresh machine C that already holds ``--marks`` marks of its own
  (already sent) merges A's (every key new to it, its own stamps untouched).

Medians with min-max; each pass through ``reader.sync.run.sync_once``, the code the
reader and ``newsreader sync`` run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.paths import Locations  # noqa: E402
from reader.state import StateStore  # noqa: E402
from reader.sync.run import sync_once  # noqa: E402


def _machine(base: Path) -> Locations:
    return Locations(cache=base / "cache", config=base / "config", data=base / "data")


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _mark(where: Locations, keys: list[str], star_every: int = 10) -> None:
    store = StateStore(where.state_path)
    store.set_read(keys)
    store.set_starred(keys[::star_every])
    assert not store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--marks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sync-bench-"))
    shared = work / "shared"
    shutil.rmtree(work, ignore_errors=True)
    shared.mkdir(parents=True)
    a = _machine(work / "a")
    keys = [f"https://news.example/{n:07d}/story" for n in range(args.marks)]
    marking, _ = _timed(lambda: _mark(a, keys))
    sending, report = _timed(lambda: sync_once(a, shared))
    size = sum(p.stat().st_size for p in shared.iterdir())
    figures: dict[str, list[float]] = {k: [] for k in ("first", "idle", "hundred", "full")}
    merged = 0
    for run in range(args.runs):
        b = _machine(work / f"b{run}")
        seconds, first = _timed(lambda b=b: sync_once(b, shared))
        merged = max(merged, first.marks)
        figures["first"].append(seconds)
        figures["idle"].append(_timed(lambda b=b: sync_once(b, shared))[0])
        _mark(a, [f"https://news.example/new/{run}/{n}" for n in range(100)], star_every=1000)
        sync_once(a, shared)
        figures["hundred"].append(_timed(lambda b=b: sync_once(b, shared))[0])
        c = _machine(work / f"c{run}")
        alone = work / f"shared-c{run}"  # C's own files must not reach the next run's B
        alone.mkdir()
        _mark(c, [f"https://other.example/{n:07d}" for n in range(args.marks)])
        sync_once(c, alone)  # C sends its own first: the timed pass only merges
        for path in shared.iterdir():
            shutil.copy2(path, alone / path.name)
        figures["full"].append(_timed(lambda c=c, alone=alone: sync_once(c, alone))[0])
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"A: {args.marks:,} read + {args.marks // 10:,} starred marked in {marking:.2f} s; "
        f"first pass sent {report.sent:,} changes in {sending:.2f} s ({size / 1e6:.1f} MB)"
    )
    print(f"B's first pass merged {merged:,} marks")
    for name, label in (
        ("first", f"first pass: merge {args.marks:,} marks"),
        ("idle", "idle pass (nothing changed)"),
        ("hundred", "pass with 100 new marks"),
        ("full", f"merge into a state holding {args.marks:,} others"),
    ):
        values = figures[name]
        print(
            f"{label}: median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f}, runs {len(values)})"
        )
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
