"""What the list would hold and cost with one array per field instead of one tuple per article.

Usage:  python benchmarks/columns.py --cache DIR [--runs 3]

``DIR`` is a cache whose index is built (bench.py's synthetic caches, after a
warm start). Nothing is written to it: the index is read on a read-only
connection. Each measurement runs in a fresh process, ``--runs`` times; the
tables quote medians (min-max).

Two row models, each loaded from the same index:

- **tuples** (the reader's now): every article an :class:`reader.entry.Entry`,
  read as the reader's whole load reads it (``IndexReads.entries_apart``);
- **columns**: what the list, the sidebar and the qualifiers need of every row
  as arrays: the row id, date, quality and heat, the duplicate group, a number
  per distinct topics string and provider, the low bits of the key's hash
  (:mod:`reader.array_masks`). Titles, paths and URLs stay in the index and are
  read for the rows on screen, by id.

For the columns, the steps the reader takes on every row are timed too: both
orders made, the sidebar's topic counts, a page of 50 rows read by id in an
order, and a single-letter search's rows kept in the date order. The figures
are the resident set a model adds (after a collection), and seconds.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

TREE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TREE / "benchmarks"))
from bench import machine  # noqa: E402 - beside this script

PAGE = 50


def _rss_mib() -> float:
    """The resident set, after a collection and after the C allocator gave back its free pages
    (a load's passing objects would otherwise count, whichever model made them)."""
    import ctypes

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the figure then includes free pages
        pass
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _db(cache: Path) -> Path:
    return cache / ".newsreader" / "index.sqlite3"


def measure_tuples(cache: Path) -> dict[str, float]:
    """The reader's own load: one Entry per article."""
    import numpy  # noqa: F401  (imported by both models: not part of either's figure)

    from reader.index import Index

    index = Index(cache, _db(cache))
    gc.collect()
    before, started = _rss_mib(), time.perf_counter()
    entries = index.entries_apart()
    seconds = time.perf_counter() - started
    gc.collect()
    return {"rows": len(entries), "load s": seconds, "MiB": _rss_mib() - before}


CHUNK = 10_000
_NUMBERS = (
    "SELECT id, published, quality, heat, dup_group, topics, provider, url, path FROM articles"
)


def measure_columns(cache: Path) -> dict[str, float]:
    """The columns described in the module, then the steps over them."""
    import sqlite3

    import numpy as np

    conn = sqlite3.connect(f"{_db(cache).as_uri()}?mode=ro", uri=True)
    gc.collect()
    before, started = _rss_mib(), time.perf_counter()
    count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    ids = np.empty(count, np.int32)
    published = np.empty(count, np.float64)
    quality = np.empty(count, np.float32)
    heat = np.empty(count, np.float32)
    group = np.empty(count, np.int32)
    topic_codes = np.empty(count, np.int32)
    provider_codes = np.empty(count, np.int32)
    key_bits = np.empty(count, np.uint32)
    topics: dict[str, int] = {}
    providers: dict[str, int] = {}
    low = (1 << 22) - 1
    at = 0
    cursor = conn.execute(_NUMBERS)
    while rows := cursor.fetchmany(CHUNK):
        end = at + len(rows)
        i, p, q, h, g, t, pr, url, path = zip(*rows)
        ids[at:end] = i
        published[at:end] = p  # numpy makes None NaN
        quality[at:end] = q
        heat[at:end] = h
        group[at:end] = [0 if v is None else v for v in g]
        topic_codes[at:end] = [topics.setdefault(v, len(topics)) for v in t]
        provider_codes[at:end] = [providers.setdefault(v, len(providers)) for v in pr]
        key_bits[at:end] = np.array([hash(u or f) for u, f in zip(url, path)], np.int64) & low
        at = end
    del rows, i, p, q, h, g, t, pr, url, path
    seconds = time.perf_counter() - started
    gc.collect()
    figures = {"rows": count, "load s": seconds, "MiB": _rss_mib() - before}

    started = time.perf_counter()
    by_date = np.lexsort((ids, -np.nan_to_num(published, nan=-np.inf)))
    figures["date order s"] = time.perf_counter() - started
    started = time.perf_counter()
    by_quality = np.lexsort(
        (ids, -np.nan_to_num(published, nan=-np.inf), -np.nan_to_num(quality, nan=-np.inf))
    )
    figures["quality order s"] = time.perf_counter() - started
    started = time.perf_counter()
    per_string = np.bincount(topic_codes, minlength=len(topics))
    counts: dict[str, int] = {}
    for joined, code in topics.items():
        for name in joined.split("\x1f") if joined else ():
            counts[name] = counts.get(name, 0) + int(per_string[code])
    figures["topic counts s"] = time.perf_counter() - started
    started = time.perf_counter()
    shown = by_quality[5000 : 5000 + PAGE]
    wanted = ids[shown].tolist()
    marks = ",".join("?" * len(wanted))
    found = conn.execute(
        f"SELECT id, path, title, url FROM articles WHERE id IN ({marks})", wanted
    ).fetchall()
    by_id = {row[0]: row for row in found}
    page = [by_id[i] for i in wanted]
    figures["page of 50 s"] = time.perf_counter() - started
    assert len(page) == PAGE
    started = time.perf_counter()
    text = conn.execute(
        "SELECT group_concat(rowid) FROM search WHERE search MATCH 'd*'"
    ).fetchone()[0]
    matched = np.fromstring(text or "", dtype=np.int64, sep=",")
    table = np.zeros(int(ids.max()) + 1, np.bool_)
    table[matched[matched <= ids.max()]] = True
    kept = by_date[table[ids[by_date]]]
    figures["search 'd' s"] = time.perf_counter() - started
    figures["search 'd' rows"] = len(kept)
    return figures


def _child(model: str, cache: Path) -> dict[str, float]:
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "import columns; from pathlib import Path;"
        f"print(json.dumps(columns.measure_{model}(Path(sys.argv[3]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(TREE), str(TREE / "benchmarks"), str(cache)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="a cache with its index built")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not _db(args.cache).is_file():
        sys.exit(f"columns.py: no index in {args.cache} (start the reader on it once)")
    print(f"machine: {machine()}")
    for model in ("tuples", "columns"):
        runs = [_child(model, args.cache) for _ in range(args.runs)]
        print(f"\n{model} ({runs[0]['rows']:,} rows)")
        for name in runs[0]:
            if name == "rows":
                continue
            values = sorted(run[name] for run in runs)
            median = statistics.median(values)
            print(f"  {name}: {median:.3f} ({values[0]:.3f}-{values[-1]:.3f})")


if __name__ == "__main__":
    main()
