"""The parser processes' pipes (``reader.index_rows.ParserPool``): served by a thread while the
caller stores, and nothing left behind however the parse ends."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article

from reader import articles, index_rows
from reader.index_rows import CHUNK, ArticleRow, ParseJob, ParserPool

FILES = CHUNK * 12


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> list[ParseJob]:
    root = tmp_path_factory.mktemp("pipes")
    for n in range(FILES):
        write_article(root, f"a{n:04}.md", title=f"Article {n}")
    return [ParseJob(str(root), f"a{n:04}.md", 0, 0) for n in range(FILES)]


def pipe_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "newsreader-pipes"]


def test_every_file_comes_back_once(jobs: list[ParseJob]) -> None:
    pool = ParserPool(2)
    try:
        rows = list(pool.parse(jobs))
    finally:
        pool.stop()
    assert sorted(r.path for r in rows) == [job.path for job in jobs]
    assert all(isinstance(r, ArticleRow) for r in rows)
    assert pipe_threads() == []


def test_the_processes_parse_on_while_the_caller_stores(
    jobs: list[ParseJob], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a process held one chunk: while the caller stored, it waited with its answer.
    Now every answer is read during the pause, so processes killed after it lose nothing and
    leave nothing to parse here."""
    here: list[ParseJob] = []
    real = index_rows.parse_one
    monkeypatch.setattr(index_rows, "parse_one", lambda job: here.append(job) or real(job))
    pool = ParserPool(2)
    try:
        rows = pool.parse(jobs)
        next(rows)
        time.sleep(3)  # "storing" (generous: the processes need ~0.4 s for these files)
        for process in pool._processes:
            os.kill(process.pid, signal.SIGKILL)
            process.join(timeout=10)
        rest = list(rows)
    finally:
        pool.stop()
    assert len(rest) == FILES - 1
    assert here == []


def test_processes_that_all_die_leave_their_files_to_this_process(jobs: list[ParseJob]) -> None:
    pool = ParserPool(2)
    try:
        for process in pool._processes:
            os.kill(process.pid, signal.SIGKILL)
            process.join(timeout=10)
        rows = list(pool.parse(jobs))
    finally:
        pool.stop()
    assert sorted(r.path for r in rows) == [job.path for job in jobs]


def test_a_parse_closed_early_ends_its_thread_and_processes(jobs: list[ParseJob]) -> None:
    results = index_rows.parse_files(jobs, 2)
    next(results)
    results.close()
    assert pipe_threads() == []
    assert multiprocessing.active_children() == []


def test_a_stop_ends_the_parse_within_a_second(jobs: list[ParseJob]) -> None:
    stop = threading.Event()
    results = index_rows.parse_files(jobs, 2, stop)
    next(results)
    stop.set()
    started = time.monotonic()
    left = list(results)
    assert time.monotonic() - started < 1
    assert len(left) < FILES - 1 and pipe_threads() == []
    assert multiprocessing.active_children() == []


def test_jobs_are_taken_as_the_processes_need_them(jobs: list[ParseJob]) -> None:
    """A cold index of a million files handed every job over at once (~90 MiB of them); now
    the processes take chunks as they go, and a caller still storing holds them back."""
    taken: list[int] = []
    many = 100 * len(jobs)

    def given() -> Iterator[ParseJob]:
        for n in range(many):
            taken.append(n)
            yield jobs[n % len(jobs)]

    pool = ParserPool(2)
    try:
        rows = pool.parse(given())
        assert isinstance(next(rows), ArticleRow)
        time.sleep(1)  # "storing": the answers waiting and the chunks in the pipes, no more
        assert len(taken) <= (index_rows.ANSWERS_AHEAD + 2 * index_rows.CHUNKS_AHEAD + 4) * CHUNK
        rows.close()
    finally:
        pool.stop()
    assert pipe_threads() == []


def test_jobs_left_by_dead_processes_are_parsed_here_from_the_iterator(
    jobs: list[ParseJob],
) -> None:
    pool = ParserPool(2)
    for process in pool._processes:
        os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=10)
    try:
        rows = list(pool.parse(iter(jobs)))
    finally:
        pool.stop()
    assert sorted(r.path for r in rows) == [job.path for job in jobs]


def test_read_ahead_reads_each_chunk_before_passing_it_on(
    jobs: list[ParseJob], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parser parses files already read from the disk (a cold index after a reboot waited on
    each one with its core idle): every file of a chunk is read before the chunk is passed on."""
    read: list[str] = []

    def read_head(path: str, size: int) -> bytes:
        read.append(os.path.basename(path))
        return path.encode()

    monkeypatch.setattr(index_rows, "read_regular_head", read_head)
    passed: list[tuple[list[ParseJob] | None, list[str]]] = []

    class Passed:
        def put(self, chunk: index_rows.Chunk | None) -> None:
            if chunk is not None:  # each file goes on with what was read of it
                jobs, heads = chunk
                assert heads == [os.path.join(job.root, job.path).encode() for job in jobs]
            passed.append((chunk and chunk[0], list(read)))  # the files, and every one read

    ours, theirs = multiprocessing.Pipe()
    chunks = [jobs[:CHUNK], jobs[CHUNK : 2 * CHUNK]]
    for chunk in chunks:
        ours.send(chunk)
    ours.close()
    index_rows.read_ahead(theirs, Passed())  # type: ignore[arg-type]
    everything = [job.path for job in chunks[0] + chunks[1]]
    assert passed == [
        (chunks[0], everything[:CHUNK]),
        (chunks[1], everything),
        (None, everything),
    ]


def test_read_ahead_never_waits_on_a_fifo_or_stops_at_a_missing_file(tmp_path) -> None:
    """Reading ahead goes through the same checks as the parse: a FIFO named ``*.md`` is not
    opened to wait on, and a file gone is left for the parse to report."""
    os.mkfifo(tmp_path / "pipe.md")
    write_article(tmp_path, "real.md", title="Real")
    chunk = [ParseJob(str(tmp_path), name, 0, 0) for name in ("pipe.md", "gone.md", "real.md")]
    ours, theirs = multiprocessing.Pipe()
    passed = index_rows.queue.SimpleQueue()
    reader = threading.Thread(target=index_rows.read_ahead, args=(theirs, passed), daemon=True)
    reader.start()
    ours.send(chunk)
    ours.close()
    reader.join(timeout=10)
    assert not reader.is_alive()
    jobs, heads = passed.get()
    assert passed.get() is None
    assert jobs == chunk
    assert heads[:2] == [None, None]  # left for the parse to say what is wrong
    assert heads[2] == (tmp_path / "real.md").read_bytes()
    assert [row.problem for row in index_rows.parse_chunk(chunk[:2], heads[:2])] == [
        "is a FIFO (named pipe), not a regular file",
        "file vanished",
    ]


def test_a_file_read_ahead_whole_is_not_opened_again_and_a_long_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse takes the bytes read ahead: the file is opened once. A file longer than what
    is read ahead is read whole by the parse, with the same result as one read by it alone."""
    write_article(tmp_path, "short.md", title="Short")
    write_article(
        tmp_path, "long.md", title="Long", body="word " * (index_rows.READ_AHEAD_BYTES // 4)
    )
    jobs = [ParseJob(str(tmp_path), name, 0, 0) for name in ("short.md", "long.md")]
    heads = [index_rows._read_whole(job) for job in jobs]
    assert heads[0] == (tmp_path / "short.md").read_bytes()
    assert heads[1] is None
    opened: list[str] = []
    real = articles.read_regular_file
    monkeypatch.setattr(
        articles, "read_regular_file", lambda path, **kw: opened.append(path) or real(path, **kw)
    )
    rows = index_rows.parse_chunk(jobs, heads)
    assert opened == [os.path.join(str(tmp_path), "long.md")]
    assert [row.title for row in rows] == ["Short", "Long"]
    assert rows == index_rows.parse_chunk(jobs)  # the same rows as read by the parse
