"""What a scan makes of one file: the index's row for an article, or the file as a skip.

Kept apart from :mod:`reader.index` because worker processes import it to
parse files, and because the row's fields are named once here, where the
``INSERT`` statement takes its column names from.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import suppress
from itertools import chain, islice
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as connection_wait
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, NamedTuple

from reader.entry import TOPIC_SEP, offered_topics
from reader.filecheck import FileInfo, exit_with_parent
from reader.safe_open import read_regular_head
from reader.similarity import Signature, signature

if TYPE_CHECKING:
    from reader.articles import Article


class ArticleRow(NamedTuple):
    """A row of the ``articles`` table (fields named as its columns), and the body for search."""

    path: str
    size: int
    mtime_ns: int
    title: str
    excerpt: str
    published: float | None
    quality: int | None
    heat: int | None
    provider: str
    domain: str
    url: str | None
    type: str
    topics: str
    body: str
    """Not a column of ``articles``: it goes to the full-text table only (so it comes late)."""
    signature: Signature
    """Not a column either: what the similarity tables keep (see :mod:`reader.similar_store`)."""


STORED = len(ArticleRow._fields) - 2
"""The leading fields of :class:`ArticleRow` that are columns of ``articles``."""


def stored_fields() -> tuple[str, ...]:
    """The fields of :class:`ArticleRow` that are columns of ``articles``: all but the last two."""
    return ArticleRow._fields[:STORED]


class ParseJob(NamedTuple):
    """One file to parse, as sent to a worker process."""

    root: str
    path: str
    size: int
    mtime_ns: int


def entry_row(rel: str, size: int, mtime_ns: int, article: Article) -> ArticleRow:
    """The ``articles`` row for a parsed article.

    Machine tags among its topics (see :func:`reader.entry.is_machine_tag`)
    are left out here, so the sidebar, its counts and ``topic:`` agree.
    """
    return ArticleRow(
        rel,
        size,
        mtime_ns,
        article.title,
        article.excerpt,
        article.published.timestamp() if article.published else None,
        article.quality,
        article.heat,
        article.provider.name,
        article.provider.domain,
        article.url,
        article.type,
        TOPIC_SEP.join(offered_topics(article.topics)),
        article.body,
        signature(article.url, article.title, article.excerpt),
    )


def parse_one(job: ParseJob, raw: bytes | None = None) -> ArticleRow | FileInfo:
    """Parse one file for the index: its row, or the file with its problem (a skip). ``raw``:
    the file's bytes when they were read already (see :func:`read_ahead`).

    Top level so that worker processes can run it. The parser is imported on the first file: a
    start or ``list`` that finds no file changed never needs it (YAML and the front matter's
    reader are among the program's heaviest imports).
    """
    from reader.articles import ArticleError, parse_text, read_text, text_of

    root, rel, size, mtime_ns = job
    try:  # a joined string: a Path costs as much as a tenth of the file's parse
        text = read_text(os.path.join(root, rel)) if raw is None else text_of(raw)
        article = parse_text(text, complete=False)
    except ArticleError as exc:
        return FileInfo(rel, size, mtime_ns, str(exc))
    except Exception as exc:  # noqa: BLE001 - one odd file must never stop a scan
        return FileInfo(rel, size, mtime_ns, f"unexpected error: {type(exc).__name__}")
    return entry_row(rel, size, mtime_ns, article)


POOL_THRESHOLD = 400
"""Below this many files to parse, a process pool costs more than it saves."""


def prepare_workers() -> None:
    """Start multiprocessing's helper process while the real stderr is in place.

    A full-screen app replaces ``sys.stderr`` with an object without a file
    descriptor, and the helper cannot be started after that; the CLI calls
    this before the app takes over the terminal.
    """
    try:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    except (OSError, ValueError):
        pass


STOP_CHECK_SECONDS = 0.1
"""How often a wait for the parser processes looks whether the scan was asked to stop."""

CHUNK = 64
"""Files sent to a parser process at a time: few round trips, little work lost at a stop."""

CHUNKS_AHEAD = 3
"""Chunks a parser process holds: the next is there when it answers one."""

ANSWERS_AHEAD = 32
"""Answered chunks (~2,000 rows, ~2 MB) waiting for the caller before the processes wait."""


def parse_chunk(
    jobs: list[ParseJob], heads: list[bytes | None] | None = None
) -> list[ArticleRow | FileInfo]:
    """:func:`parse_one` for each of ``jobs``, with its file's bytes from ``heads`` if read."""
    if heads is None:
        return [parse_one(job) for job in jobs]
    return [parse_one(job, raw) for job, raw in zip(jobs, heads, strict=True)]


def serve(conn: Connection, parent_pid: int) -> None:
    """A parser process: parse each chunk that arrives on ``conn`` and send back what it gives.

    A thread of its own takes the chunks off the pipe and reads their files ahead (see
    :func:`read_ahead`). It ends quietly when the pipe closes (the scan is over, or the reader
    died mid-answer), and by itself when the reader dies. Ctrl-C is the
    reader's to handle (it ends the processes), not a traceback from each.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent_pid)
    chunks: queue.SimpleQueue[Chunk | None] = queue.SimpleQueue()
    threading.Thread(target=read_ahead, args=(conn, chunks), daemon=True).start()
    try:
        while (chunk := chunks.get()) is not None:
            conn.send(parse_chunk(*chunk))
    except (EOFError, OSError):
        return


READ_AHEAD_BYTES = 1 << 16
"""How much of each file :func:`read_ahead` reads: a whole article nearly always."""
Chunk = tuple[list[ParseJob], list[bytes | None]]
"""Files to parse, and for each its bytes when :func:`read_ahead` read it whole."""


def read_ahead(conn: Connection, chunks: queue.SimpleQueue[Chunk | None]) -> None:
    """Take each chunk off ``conn``, read its files, and pass both on; None at the end.

    A file not read for a while (a cold index after a reboot) costs a wait on the disk, and a
    parser waiting on it left its core idle: here a thread waits instead. A file no longer than
    :data:`READ_AHEAD_BYTES` goes on with its bytes, and the parse opens it no more (a parser's
    CPU at a million: 155 s to 147 s); of a longer one only the start is read, into the
    system's page cache, and the parse reads it all.
    """
    try:
        while True:
            jobs = conn.recv()
            chunks.put((jobs, [_read_whole(job) for job in jobs]))
    except (EOFError, OSError):
        pass
    finally:  # however the pipe ends, the parse loop ends with it
        chunks.put(None)


def _read_whole(job: ParseJob) -> bytes | None:
    """The file's bytes if it holds at most :data:`READ_AHEAD_BYTES`; None for a longer one,
    and for one that cannot be read (the parse says why)."""
    with suppress(OSError):  # through the same checks as the parse: a FIFO is not waited on
        head = read_regular_head(os.path.join(job.root, job.path), READ_AHEAD_BYTES + 1)
        if len(head) <= READ_AHEAD_BYTES:
            return head
    return None


class ParserPool:
    """Parser processes, each fed chunks of files over a pipe of its own.

    Not :mod:`concurrent.futures`: its processes share one result pipe and a
    manager thread, and one killed while writing leaves that thread waiting
    for the rest of the message, which holds up the interpreter's exit
    forever. With a pipe per process, stopping is killing them and closing
    the pipes: nothing is left waiting.
    """

    def __init__(self, workers: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._processes: list[BaseProcess] = []
        self._conns: list[Connection] = []
        try:
            for _ in range(workers):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=serve, args=(theirs, os.getpid()), name="newsreader-parser", daemon=True
                )
                self._conns.append(ours)
                self._processes.append(process)
                try:
                    process.start()
                finally:
                    theirs.close()  # the process has its own copy
        except BaseException:
            self.stop()
            raise

    def parse(
        self, jobs: Iterable[ParseJob], stop: threading.Event | None = None
    ) -> Iterator[ArticleRow | FileInfo]:
        """What each job's file becomes, in the order chunks come back; ends soon after ``stop``.

        The pipes are served by a thread of their own: the caller stores each
        batch (a third of a millisecond a row), and while it did, the
        processes used to sit idle with their answer unread and no next chunk;
        a cold index took twice as long as its parsing. A process that dies
        hands its chunks back; what no process is left to parse is parsed here.
        ``jobs`` are taken a chunk at a time as the processes need them: a
        million are never all held at once.
        """
        source = iter(jobs)
        chunks = iter(lambda: list(islice(source, CHUNK)), [])
        pending: deque[list[ParseJob]] = deque()  # chunks handed back by a dead process
        answers: queue.Queue[list[ArticleRow | FileInfo] | None] = queue.Queue(ANSWERS_AHEAD)
        ended = threading.Event()
        pump = threading.Thread(
            target=self._pump,
            args=(pending, chunks, answers, ended),
            name="newsreader-pipes",
            daemon=True,
        )
        pump.start()
        try:
            while not _stopped(stop):
                try:
                    rows = answers.get(timeout=STOP_CHECK_SECONDS)
                except queue.Empty:
                    continue
                if rows is None:  # every chunk answered, or no process left
                    for chunk in chain(pending, chunks):
                        for job in chunk:
                            if _stopped(stop):
                                return
                            yield parse_one(job)
                    return
                yield from rows
        finally:
            ended.set()
            pump.join()

    def _pump(
        self,
        pending: deque[list[ParseJob]],
        chunks: Iterator[list[ParseJob]],
        answers: queue.Queue[list[ArticleRow | FileInfo] | None],
        ended: threading.Event,
    ) -> None:
        """Keep each process :data:`CHUNKS_AHEAD` chunks ahead and pass its answers on, until
        none is due or ``ended``; then ``None``. A full ``answers`` holds the processes back, so
        that rows parsed faster than they are stored do not pile up in memory."""
        busy: dict[Connection, deque[list[ParseJob]]] = {conn: deque() for conn in self._conns}

        def feed(conn: Connection) -> None:
            while len(busy[conn]) < CHUNKS_AHEAD:
                chunk = pending.popleft() if pending else next(chunks, None)
                if chunk is None:
                    return
                try:
                    conn.send(chunk)
                except OSError:  # a dead process: its pipe is not used again
                    pending.appendleft(chunk)
                    return
                busy[conn].append(chunk)

        for conn in self._conns:
            feed(conn)
        while not ended.is_set() and (waiting := [conn for conn, due in busy.items() if due]):
            for conn in connection_wait(waiting, timeout=STOP_CHECK_SECONDS):
                try:
                    rows = conn.recv()
                except (EOFError, OSError):
                    pending.extendleft(reversed(busy.pop(conn)))
                    continue
                busy[conn].popleft()
                feed(conn)
                while not ended.is_set():
                    try:
                        answers.put(rows, timeout=STOP_CHECK_SECONDS)
                        break
                    except queue.Full:
                        continue
        with suppress(queue.Full):
            answers.put(None, timeout=STOP_CHECK_SECONDS)

    def stop(self) -> None:
        """End the processes now: killed, not asked, so a stop never waits for a parse."""
        for process in self._processes:
            if process.pid is not None:
                process.kill()
        for conn in self._conns:
            conn.close()
        for process in self._processes:
            if process.pid is not None:
                process.join(timeout=1)


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def start_pool(workers: int) -> ParserPool | None:
    """Parser processes, or None (parse in this process) when they cannot start."""
    try:
        return ParserPool(workers)
    except Exception:  # noqa: BLE001 - any failure to start means: parse here instead
        return None


def parse_files(
    jobs: Iterable[ParseJob],
    workers: int,
    stop: threading.Event | None = None,
    count: int | None = None,
) -> Iterator[ArticleRow | FileInfo]:
    """What each job's file becomes: parsed in worker processes when there are many.

    ``count``: how many ``jobs`` there are, when they come as an iterator
    (taken as they are needed). Ends within a tenth of a second once ``stop``
    is set. Closing the generator, or its end, ends the processes.
    """
    if count is None:
        jobs = list(jobs)
        count = len(jobs)
    pool = start_pool(workers) if count >= POOL_THRESHOLD and workers > 1 else None
    if pool is None:
        for job in jobs:
            if _stopped(stop):
                return
            yield parse_one(job)
        return
    try:
        yield from pool.parse(jobs, stop)
    finally:
        pool.stop()
