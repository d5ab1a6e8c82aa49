"""What related articles cost at 100,000 articles: lookup time, index size and build time, the
incremental update, and memory at rest; each against the index of the commit before them.

Usage:  python benchmarks/related_speed.py --old-tree TREE [--count 100000] [--runs 3]

``TREE`` is a source tree of the previous schema (``git archive <commit> reader | tar -x -C
TREE``); without it only this tree is measured. The synthetic cache is
:func:`bench.make_cache`'s, written under ``--work`` (a temporary folder by
default, kept with ``--work``). Each measurement runs in a fresh process
that imports ``reader`` from the tree it measures, so the two never mix, and
is repeated ``--runs`` times; the tables quote medians.

- lookup: ``Index.related(id, 10)`` for 200 random articles (median, p90, max
  over all lookups of a run; the first lookup of a fresh process apart);
- cold index: a full scan into an empty index file (seconds), then the file's
  size, per table when SQLite has ``dbstat``;
- incremental: 50 files get a new excerpt and 50 copies of other files appear
  under new names (copies: duplicate groups to form), then
  ``index_changes.apply_paths`` over those 100 paths; then a full ``scan``
  after the same kind of change (a start's walk of every file);
- memory: the resident set after ``Index.entries()`` (the app's list at rest).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
LOOKUPS = 200
CHANGED = 100


# --- the measurements, each run in its own process -------------------------------------------


def _index(cache: Path, db: Path):
    from reader.index import Index

    return Index(cache, db)


def task_build(cache: Path, db: Path) -> dict:
    index = _index(cache, db)
    started = time.perf_counter()
    result = index.scan()
    seconds = time.perf_counter() - started
    index.close()
    return {"seconds": seconds, "parsed": result.parsed}


def task_sizes(db: Path) -> dict:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    found = {"file": db.stat().st_size}
    try:
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = name.split("_")[0] if name.startswith(("search_", "similar_")) else name
            found[table] = found.get(table, 0) + size
    except sqlite3.OperationalError:
        pass  # an SQLite without dbstat: the file's size only
    conn.close()
    return found


def task_lookup(cache: Path, db: Path, seed: int) -> dict:
    index = _index(cache, db)
    ids = [row[0] for row in index.conn.execute("SELECT id FROM articles")]
    chosen = random.Random(seed).sample(ids, LOOKUPS)
    times, found = [], 0
    for at in chosen:
        started = time.perf_counter()
        items = index.related(at, 10)
        times.append((time.perf_counter() - started) * 1000)
        found += len(items)
    index.close()
    return {"ms": times, "items": found / LOOKUPS}


def task_memory(cache: Path, db: Path) -> dict:
    import gc

    index = _index(cache, db)
    entries = index.entries()
    gc.collect()
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    mib = {key: int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}
    index.close()
    return {"entries": len(entries), "rss": mib["VmRSS"], "peak": mib["VmHWM"]}


def task_apply(cache: Path, db: Path, paths: list[str]) -> dict:
    from reader.index_changes import apply_paths

    index = _index(cache, db)
    started = time.perf_counter()
    changes = apply_paths(index, paths)
    seconds = time.perf_counter() - started
    index.close()
    return {"seconds": seconds, "parsed": changes.parsed, "touched": len(changes.touched)}


def task_scan(cache: Path, db: Path) -> dict:
    index = _index(cache, db)
    started = time.perf_counter()
    result = index.scan()
    seconds = time.perf_counter() - started
    index.close()
    return {"seconds": seconds, "parsed": result.parsed, "touched": len(result.touched)}


def worker(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(args.tree))
    cache, db = Path(args.cache), Path(args.db)
    if args.worker == "build":
        out = task_build(cache, db)
    elif args.worker == "sizes":
        out = task_sizes(db)
    elif args.worker == "lookup":
        out = task_lookup(cache, db, args.seed)
    elif args.worker == "memory":
        out = task_memory(cache, db)
    elif args.worker == "apply":
        out = task_apply(cache, db, json.loads(Path(args.paths).read_text()))
    else:
        out = task_scan(cache, db)
    print(json.dumps(out))


def call(tree: Path, task: str, cache: Path, db: Path, **extra: object) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", task]
    command += ["--tree", str(tree), "--cache", str(cache), "--db", str(db)]
    for key, value in extra.items():
        command += [f"--{key}", str(value)]
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{task} in {tree} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- changing 100 files ----------------------------------------------------------------------


def change_files(cache: Path, seed: int) -> tuple[list[str], dict[Path, str], list[Path]]:
    """New excerpts for half of CHANGED files, copies of others under new names for the rest;
    the changed paths, and what undoing it needs."""
    sys.path.insert(0, str(HERE))
    import synthetic

    rng = random.Random(seed)
    files = sorted(cache.glob("batch0[0-4]*/*.md"))
    rewritten, copied = rng.sample(files, CHANGED // 2), rng.sample(files, CHANGED // 2)
    originals: dict[Path, str] = {}
    for path in rewritten:
        text = originals[path] = path.read_text(encoding="utf-8")
        lines = [
            f'excerpt: "{synthetic._sentence(rng, 30)}."' if line.startswith("excerpt:") else line
            for line in text.split("\n")
        ]
        path.write_text("\n".join(lines), encoding="utf-8")
    stamp = time.time_ns()
    copies = []
    for n, path in enumerate(copied):
        copy = path.with_name(f"copy-{stamp}-{n}.md")
        shutil.copyfile(path, copy)
        copies.append(copy)
    rels = [str(p.relative_to(cache)) for p in [*rewritten, *copies]]
    return rels, originals, copies


def undo(cache: Path, originals: dict[Path, str], copies: list[Path]) -> list[str]:
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")
    for copy in copies:
        copy.unlink()
    return [str(p.relative_to(cache)) for p in [*originals, *copies]]


# --- the report ------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def median(values: list[float]) -> float:
    return statistics.median(values)


def p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old-tree", type=Path, help="a source tree of the previous schema")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where the cache and indexes go (kept)")
    parser.add_argument("--skip", default="", help="comma-separated: build,lookup,apply,memory")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    for hidden in ("tree", "cache", "db", "paths"):
        parser.add_argument(f"--{hidden}", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="related-speed-"))
    skip = set(args.skip.split(","))
    sys.path.insert(0, str(HERE))
    import bench

    cache = bench.make_cache(work / f"cache-{args.count}", args.count)
    trees = {"new": TREE}
    if args.old_tree:
        trees = {"old": args.old_tree.resolve(), **trees}
    dbs = {tag: work / f"index-{tag}.sqlite3" for tag in trees}
    print(f"{machine()}; load at start {load()}; {args.count} articles")

    builds: dict[str, list[float]] = {tag: [] for tag in trees}
    sizes: dict[str, dict] = {}
    for run in range(args.runs if "build" not in skip else 0):
        for tag, tree in trees.items():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{dbs[tag]}{suffix}").unlink(missing_ok=True)
            builds[tag].append(call(tree, "build", cache, dbs[tag])["seconds"])
            sizes[tag] = call(tree, "sizes", cache, dbs[tag])
        print(f"build run {run + 1}: " + ", ".join(f"{t} {v[-1]:.1f} s" for t, v in builds.items()))
    if not sizes:  # built before (--skip build): the files as they are
        sizes = {tag: call(tree, "sizes", cache, dbs[tag]) for tag, tree in trees.items()}
    print("\n| cold index | " + " | ".join(trees) + " |")
    print("|---|" + "---|" * len(trees))
    if builds["new"]:
        print(
            "| full scan, s (median) | "
            + " | ".join(f"{median(builds[t]):.1f}" for t in trees)
            + " |"
        )
    names = sorted({name for found in sizes.values() for name in found} - {"file"})
    for name in ["file", *names]:
        cells = [f"{sizes[t].get(name, 0) / 2**20:.1f}" for t in trees]
        print(f"| {name}, MiB | " + " | ".join(cells) + " |")
    print(f"load: {load()}")

    if "lookup" not in skip:
        runs = [call(TREE, "lookup", cache, dbs["new"], seed=seed) for seed in range(args.runs)]
        print("\n| lookup (200 articles) | median ms | p90 ms | max ms | first ms | items |")
        print("|---|---|---|---|---|---|")
        for n, found in enumerate(runs, 1):
            ms = found["ms"]
            print(
                f"| run {n} | {median(ms):.1f} | {p90(ms):.1f} | {max(ms):.1f} | {ms[0]:.1f}"
                f" | {found['items']:.1f} |"
            )
        print(f"load: {load()}")

    if "apply" not in skip:
        rows: dict[str, list[dict]] = {}
        for run in range(args.runs):
            paths = work / "changed.json"
            rels, originals, copies = change_files(cache, 100 + run)
            paths.write_text(json.dumps(rels))
            for tag, tree in trees.items():
                rows.setdefault(f"apply_paths, {tag}", []).append(
                    call(tree, "apply", cache, dbs[tag], paths=paths)
                )
            paths.write_text(json.dumps(undo(cache, originals, copies)))
            for tag, tree in trees.items():
                call(tree, "apply", cache, dbs[tag], paths=paths)
            rels, originals, copies = change_files(cache, 200 + run)
            for tag, tree in trees.items():
                rows.setdefault(f"scan, {tag}", []).append(call(tree, "scan", cache, dbs[tag]))
            paths.write_text(json.dumps(undo(cache, originals, copies)))
            for tag, tree in trees.items():
                call(tree, "apply", cache, dbs[tag], paths=paths)
        print(f"\n| incremental ({CHANGED} files) | seconds (median) | runs | parsed | touched |")
        print("|---|---|---|---|---|")
        for name, found in rows.items():
            seconds = [f["seconds"] for f in found]
            runs_text = " / ".join(f"{s:.2f}" for s in seconds)
            print(
                f"| {name} | {median(seconds):.2f} | {runs_text} | {found[0]['parsed']}"
                f" | {found[0]['touched']} |"
            )
        print(f"load: {load()}")

    if "memory" not in skip:
        print("\n| memory after entries() | RSS MiB (median) | peak MiB (median) |")
        print("|---|---|---|")
        for tag, tree in trees.items():
            found = [call(tree, "memory", cache, dbs[tag]) for _ in range(args.runs)]
            rss = median([f["rss"] for f in found])
            peak = median([f["peak"] for f in found])
            print(f"| {tag} ({found[0]['entries']} entries) | {rss:.1f} | {peak:.1f} |")
        print(f"load: {load()}")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
