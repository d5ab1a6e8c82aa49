"""Stopping a scan, and helper processes that never outlive the reader (issue #12).

A stopped scan keeps the batches it stored, leaves a consistent index and
lets the next scan parse only the rest; the parser processes and the
file-check helper end with the scan, or by themselves when the reader dies.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import reader.index_rows as index_rows
from reader import filecheck
from reader.index import FIRST_BATCH, Index, index_path_for

FILES = 2600
"""More than one stored batch (2,000 files) and above the pool threshold."""


def write_articles(folder: Path, count: int) -> None:
    """``count`` small valid articles, written directly (YAML dumping would be slow)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"a{n:05d}.md").write_text(
            f'---\ntitle: "Article {n}"\nquality: {n % 90}\n'
            f'publishedDateTime: "2021-01-01T00:{n % 60:02d}:00Z"\ntopics: [T{n % 5}]\n'
            f'originalUrl: "https://example.com/{n}"\n---\nBody {n}.\n',
            encoding="utf-8",
        )


def assert_consistent(root: Path) -> int:
    """Check the index file on its own connection; return how many articles it holds."""
    conn = sqlite3.connect(index_path_for(root))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        searchable = conn.execute("SELECT count(*) FROM search").fetchone()[0]
        assert articles == searchable, "every stored article has its search row"
        return articles
    finally:
        conn.close()


@pytest.fixture
def big_cache(cache: Path) -> Path:
    write_articles(cache, FILES)
    return cache


def stop_after_first_batch(
    monkeypatch: pytest.MonkeyPatch, stop: threading.Event, stopped_at: list[float]
) -> None:
    """Set ``stop`` right after the scan stores its first batch (so the test knows what stays)."""
    real = Index.store

    def store_then_stop(self: Index, rows: list | None = None, *args, **kwargs) -> list[str]:
        stored = real(self, rows, *args, **kwargs)  # a stop while storing rolls the batch back
        if rows and not stop.is_set():
            stop.set()
            stopped_at.append(time.monotonic())
        return stored

    monkeypatch.setattr(Index, "store", store_then_stop)


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "parser-processes"])
def test_a_stopped_scan_keeps_its_stored_batches_and_the_next_scan_parses_only_the_rest(
    big_cache: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    stop = threading.Event()
    stopped_at: list[float] = []
    stop_after_first_batch(monkeypatch, stop, stopped_at)
    pools: list[object] = []
    real_start = index_rows.start_pool

    def spy(count: int):
        pools.append(real_start(count))
        return pools[-1]

    monkeypatch.setattr(index_rows, "start_pool", spy)

    index = Index(big_cache, index_path_for(big_cache))
    try:
        result = index.scan(workers=workers, stop=stop)
        took = time.monotonic() - stopped_at[0]
    finally:
        index.close()

    if workers > 1:
        assert pools and pools[0] is not None, "the scan did not run in parser processes"
    assert result.stopped
    assert result.parsed == FIRST_BATCH, "the first batch was stored, the files after it are not"
    assert took < 2.0, f"the scan went on {took:.2f} s after the stop (target 0.1 s)"
    assert multiprocessing.active_children() == [], "the parser processes outlived the scan"
    assert assert_consistent(big_cache) == FIRST_BATCH

    monkeypatch.undo()  # the next start: no stop
    again = Index(big_cache, index_path_for(big_cache))
    try:
        rest = again.scan(workers=workers)
        assert (rest.parsed, rest.stopped) == (FILES - FIRST_BATCH, False)
        assert again.count() == FILES
    finally:
        again.close()
    assert assert_consistent(big_cache) == FILES


def test_a_stop_set_before_the_scan_parses_nothing_and_starts_no_process(
    big_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = threading.Event()
    stop.set()
    index = Index(big_cache, index_path_for(big_cache))
    try:
        result = index.scan(workers=2, stop=stop)
    finally:
        index.close()
    assert (result.parsed, result.stopped) == (0, True)
    assert multiprocessing.active_children() == []
    assert assert_consistent(big_cache) == 0


def test_a_parser_process_that_dies_loses_no_file(
    big_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed parser's chunk is parsed by another process, or here when none is left."""
    real_start = index_rows.start_pool

    def start_and_kill_one(count: int):
        pool = real_start(count)
        assert pool is not None
        victim = pool._processes[0]
        os.kill(victim.pid, signal.SIGKILL)
        victim.join(timeout=10)
        return pool

    monkeypatch.setattr(index_rows, "start_pool", start_and_kill_one)
    index = Index(big_cache, index_path_for(big_cache))
    try:
        result = index.scan(workers=2)
        assert (result.parsed, result.stopped) == (FILES, False)
        assert index.count() == FILES
    finally:
        index.close()


# --- helpers that exit with the reader -------------------------------------------------

HOLD_HELPER = """
import sys, time
from reader import filecheck
pending = filecheck.start(sys.argv[1], sys.argv[2])
print(pending._process.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def locked_index(tmp_path: Path) -> Iterator[Path]:
    """An index file another connection holds exclusively: the file check waits on it (30 s)."""
    db = tmp_path / "index.sqlite3"
    lock = sqlite3.connect(db, isolation_level=None)
    lock.executescript(
        "PRAGMA journal_mode = DELETE;"
        "CREATE TABLE articles (path TEXT, size INTEGER, mtime_ns INTEGER);"
        "CREATE TABLE skipped (path TEXT, size INTEGER, mtime_ns INTEGER, reason TEXT);"
    )
    lock.execute("BEGIN EXCLUSIVE")
    try:
        yield db
    finally:
        lock.rollback()
        lock.close()


def test_a_cancelled_file_check_ends_its_helper_at_once(cache: Path, locked_index: Path) -> None:
    """What the reader does with a comparison still running when it closes."""
    pending = filecheck.start(str(cache), str(locked_index))
    assert pending is not None
    assert not pending.arrives_within(0.3), "the helper should be waiting for the locked index"
    start = time.monotonic()
    pending.cancel()
    assert time.monotonic() - start < 2.0
    assert pending._process.poll() is not None
    with pytest.raises(RuntimeError, match="stopped"):
        pending.result(timeout=0)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to watch processes")
def test_the_file_check_helper_exits_when_the_reader_is_killed(
    cache: Path, locked_index: Path
) -> None:
    """The helper waits on a locked index (30 s busy timeout); a ``kill -9`` of the reader ends it.

    Before, it went on for as long as its walk or its wait lasted, an orphan.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD_HELPER, str(cache), str(locked_index)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        helper = int(reader.stdout.readline())
        time.sleep(0.5)
        assert _alive(helper), "the helper should be waiting for the locked index"
        reader.kill()
        reader.wait(timeout=10)
        start = time.monotonic()
        while _alive(helper) and time.monotonic() - start < 5:
            time.sleep(0.02)
        gone_after = time.monotonic() - start
        assert not _alive(helper), "the file-check helper outlived the reader"
        assert gone_after < 2.0, f"the helper took {gone_after:.2f} s to notice (target 0.2 s)"
    finally:
        reader.kill()
        reader.wait(timeout=10)
