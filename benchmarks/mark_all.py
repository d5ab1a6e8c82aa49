"""What "mark all read" (`M`) costs on a big collection: the marks written, the counts adjusted.

Usage:  python benchmarks/mark_all.py [--articles 1000000] [--marked 83000] [--runs 3]

Each run makes a collection of ``--articles`` entries (24 topics, 300 providers, URLs as the
synthetic cache's), a fresh state file in a temporary folder, and counts the collection as the
reader does; then ``--marked`` of the entries (every n-th, as a topic's are) are marked read in
one action through ``reader.marks.Marks.set_read``, the code behind `M`. Reported, as medians
with min-max: the action on the screen's thread, two parts of it (the state file's write made
there: none past ``reader.state.BEHIND_ABOVE`` marks, which a thread of their own writes; the
sidebar's counts adjusted), and the time until every mark and its sync stamp is on file.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.collection import Collection  # noqa: E402
from reader.entry import TOPIC_SEP, Entry  # noqa: E402
from reader.marks import Marks  # noqa: E402
from reader.scopes import Counts  # noqa: E402
from reader.state import StateStore  # noqa: E402

TOPICS = [f"Topic {n}" for n in range(24)]


def _entries(count: int) -> list[Entry]:
    rng = random.Random(20261204)
    joined = {}
    entries = []
    for n in range(count):
        outlet = rng.randrange(300)
        topics = TOPIC_SEP.join(sorted(rng.sample(TOPICS, rng.randint(1, 3))))
        topics = joined.setdefault(topics, topics)  # shared, as the load shares them
        entries.append(
            Entry(
                f"batch{n % 100:03d}/article-{n:07d}.md",
                f"Story {n}",
                1_700_000_000.0 + n,
                rng.randint(1, 150),
                None,
                f"Outlet {outlet}",
                f"outlet{outlet}.example",
                f"https://outlet{outlet}.example/news/{rng.randint(1, 10**6)}-{n}",
                "article",
                topics,
                n + 1,
            )
        )
    return entries


class Timed:
    """Wraps one method of an object (or class) and adds up the seconds spent in it, until
    :meth:`restore`."""

    def __init__(self, owner: object, name: str) -> None:
        self.seconds = 0.0
        self._owner, self._name = owner, name
        self._method = method = owner.__dict__[name] if isinstance(owner, type) else None
        bound = getattr(owner, name)

        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return (method or bound)(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        setattr(owner, name, timed)

    def restore(self) -> None:
        if self._method is not None:
            setattr(self._owner, self._name, self._method)
        else:
            delattr(self._owner, self._name)  # the instance's stand-in: the class's method again


def one_run(entries: list[Entry], marked: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as work:
        store = StateStore(Path(work) / "state.sqlite3")
        marks = Marks(store)
        marks.collection = collection = Collection(entries)
        assert marks.adopt(marks.tally(collection))
        step = max(1, len(entries) // marked)
        chosen = entries[::step][:marked]
        saved, counted = Timed(store, "save"), Timed(Counts, "read_changed")
        try:
            started = time.perf_counter()
            changed = marks.set_read(chosen, True)
            whole = time.perf_counter() - started
            store.wait_written()
            written = time.perf_counter() - started
        finally:
            saved.restore()
            counted.restore()
        assert changed == len(chosen) and not store.pending and not store.problem
        marks.close()
        return {
            "mark all read: the screen's share": whole,
            "the write on the screen's thread": saved.seconds,
            "counts adjusted": counted.seconds,
            "marks on file (from the start)": written,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--marked", type=int, default=83_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    entries = _entries(args.articles)
    figures: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, seconds in one_run(entries, args.marked).items():
            figures.setdefault(name, []).append(seconds)
    print(f"{args.marked:,} of {args.articles:,} articles marked read, {args.runs} runs")
    for name, values in figures.items():
        print(f"  {name}: {statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})")


if __name__ == "__main__":
    main()
