"""What a scan makes of one file: the index's row for an article, or the file as a skip.

Kept apart from :mod:`reader.index` because worker processes import it to
parse files, and because the row's fields are named once here, where the
``INSERT`` statement takes its column names from.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from reader.articles import Article, ArticleError, load_article
from reader.entry import TOPIC_SEP
from reader.filecheck import FileInfo


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
    """Not a column of ``articles``: it goes to the full-text table only (so it comes last)."""


def stored_fields() -> tuple[str, ...]:
    """The fields of :class:`ArticleRow` that are columns of ``articles``: all but the body."""
    return ArticleRow._fields[:-1]


class ParseJob(NamedTuple):
    """One file to parse, as sent to a worker process."""

    root: str
    path: str
    size: int
    mtime_ns: int


def entry_row(rel: str, size: int, mtime_ns: int, article: Article) -> ArticleRow:
    """The ``articles`` row for a parsed article."""
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
        TOPIC_SEP.join(article.topics),
        article.body,
    )


def parse_one(job: ParseJob) -> ArticleRow | FileInfo:
    """Parse one file for the index: its row, or the file with its problem (a skip).

    Top level so that worker processes can run it.
    """
    root, rel, size, mtime_ns = job
    try:
        article = load_article(Path(root) / rel)
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


def start_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor | None:
    """A pool of parser processes, or None (parse in this process) when one cannot start."""
    pool = None
    try:
        context = multiprocessing.get_context("spawn")
        pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)
        pool.submit(abs, 0).result(timeout=60)  # processes start on first use: fail here
        return pool
    except Exception:  # noqa: BLE001 - any failure to start means: parse here instead
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        return None


def parse_files(jobs: list[ParseJob], workers: int) -> Iterator[ArticleRow | FileInfo]:
    """What each job's file becomes, in order: parsed in worker processes when there are many.

    Closing the generator shuts the processes down.
    """
    pool = start_pool(workers) if len(jobs) >= POOL_THRESHOLD and workers > 1 else None
    try:
        yield from pool.map(parse_one, jobs, chunksize=128) if pool else map(parse_one, jobs)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
