"""Fetch every configured feed at once and write the new entries as articles.

:func:`fetch_feeds` is a plain blocking function: the CLI calls it directly
and the TUI calls it from a worker thread. Downloads run concurrently on an
asyncio loop of its own; each feed succeeds or fails alone, and a failure is
recorded as one line, never raised. Politely: at most one request per host
at a time (feeds of one site wait for each other, other sites go on), and a
feed whose server asked not to be asked before a time (429/503 with
``Retry-After``) is left out until then, with a warning that says so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from reader.feeds.background import run_detached
from reader.feeds.config import Feed, load_feeds
from reader.feeds.http import (
    STATE_FILE,
    DownloadError,
    HttpState,
    Limits,
    download,
    make_client,
)
from reader.feeds.parse import FeedParseError, ParsedFeed, ParseStopped, parse_document
from reader.feeds.schedule import held_line, held_until
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.feeds.store import ArticleWriter, body_to_write, site_domain
from reader.feeds.text import line
from reader.paths import Locations

if TYPE_CHECKING:
    from reader.known_urls import KnownUrls

PARSE_THREADS = 4
"""Feeds parsed at once (each in a thread of its own; more would only share the GIL)."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, feed_url)``, called each time a feed finishes."""


@dataclass
class FetchReport:
    """What one fetch did."""

    new_paths: list[Path] = field(default_factory=list)
    """Article files written, in the order they were written."""
    completed_paths: list[Path] = field(default_factory=list)
    """Files of earlier fetches that had no body and got the one the feed now gives."""
    full_text_urls: list[str] = field(default_factory=list)
    """New articles without a body from feeds marked ``full_text``: pages to download next."""
    failures: list[tuple[str, str]] = field(default_factory=list)
    """``(feed url, one-line reason)`` for each feed that failed, in config order."""
    new_by_feed: dict[str, int] = field(default_factory=dict)
    """New articles written, by feed URL (feeds that answered with a feed)."""
    held: list[tuple[str, dt.datetime]] = field(default_factory=list)
    """Feeds not asked because their server asked to wait (``Retry-After``), and until when."""
    fetched: int = 0
    """Feeds that answered with a feed (or with 304 Not Modified)."""
    unchanged: int = 0
    """Of those, how many said 304 Not Modified."""
    total: int = 0
    """Feeds in the config."""
    warnings: list[str] = field(default_factory=list)
    """Problems that are not any one feed's fault (e.g. the HTTP cache file could not be saved)."""
    stopped: bool = False
    """Whether the fetch was stopped before every feed was done (what was written stays)."""
    pruned: int = 0
    """Old articles removed after the fetch, as the feeds' ``keep_days``/``max_items`` ask."""
    pruned_paths: list[Path] = field(default_factory=list)
    """The files those were."""


def _usual_entry_url(parsed: ParsedFeed) -> str | None:
    """A link from the host most entries point at: the site, when the feed does not name it."""
    hosts = Counter(site_domain(entry.url) for entry in parsed.entries if entry.url)
    if not hosts:
        return None
    host = hosts.most_common(1)[0][0]
    return next(e.url for e in parsed.entries if e.url and site_domain(e.url) == host)


class _FeedFailed(Exception):
    """Internal: this feed failed for the reason in ``str()``."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class _Stopped(Exception):
    """Internal: the stop event was set while this feed was being read or written."""


def fetch_feeds(
    locations: Locations,
    progress: Progress | None = None,
    *,
    limits: Limits | None = None,
    feeds: list[Feed] | None = None,
    stop: threading.Event | None = None,
    known_urls: KnownUrls | None = None,
) -> FetchReport:
    """Fetch the feeds in the config (or ``feeds``) and write new articles to the cache.

    Raises :class:`reader.feeds.config.FeedConfigError` only when the config
    file itself cannot be read; everything that goes wrong with one feed is in
    :attr:`FetchReport.failures`. Setting ``stop`` (from another thread) ends
    the fetch within a tenth of a second, wherever it is: downloads in flight
    are dropped, a feed being parsed is abandoned, a feed being written stops
    between two files. Articles already written stay (each file is complete),
    the feed cut short keeps no HTTP validators (the next fetch reads it whole
    again), and the report says ``stopped``. ``known_urls``: the URLs already under ``feeds/``,
    from an index the caller keeps current (see :class:`reader.feeds.store.ArticleWriter`).
    """
    if feeds is None:
        feeds = load_feeds(locations.feeds_config_path)
    run = _Run(locations, feeds, limits or Limits(), progress, stop, known_urls)
    _run_coroutine(run.run)
    from reader.feeds.prune import after_fetch  # records what was written, then prunes

    after_fetch(locations, feeds, run.writer, run.report)
    return run.report


def _run_coroutine(factory: Callable[[], object]) -> None:
    """Run an async function to completion, even if this thread already has a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(factory())  # type: ignore[arg-type]
        return
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(factory())  # type: ignore[arg-type]
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)

    thread = threading.Thread(target=target, name="newsreader-fetch")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


class _Run:
    """The state of one fetch: config, HTTP cache, writer, report."""

    def __init__(
        self,
        locations: Locations,
        feeds: list[Feed],
        limits: Limits,
        progress: Progress | None,
        stop: threading.Event | None = None,
        known_urls: KnownUrls | None = None,
    ) -> None:
        self.feeds = feeds
        self.stop = stop
        self.limits = limits
        self.progress = progress
        self.state = HttpState(locations.data / STATE_FILE, locations.cache)
        self.status = StatusStore(locations.data / STATUS_FILE, locations.cache)
        self.writer = ArticleWriter(locations.cache, stop, known_urls)
        self.report = FetchReport(total=len(feeds))
        self.report.warnings.extend(
            f"skipped {path}: {reason}" for path, reason in self.writer.skipped
        )
        self._failed: dict[str, str] = {}
        self._retry_after: dict[str, float | None] = {}
        self._done = 0
        self._parsing = asyncio.Semaphore(PARSE_THREADS)
        self._hosts: dict[str, asyncio.Lock] = {}

    def _host_lock(self, url: str) -> asyncio.Lock:
        """The lock of ``url``'s server (host and port): one request to it at a time."""
        try:
            parts = urlsplit(url)
            host = f"{(parts.hostname or '').lower()}:{parts.port or parts.scheme}"
        except ValueError:
            host = url
        return self._hosts.setdefault(host, asyncio.Lock())

    def _hold_back(self) -> list[Feed]:
        """The feeds to ask; those whose server asked to wait go to ``report.held``."""
        now = dt.datetime.now(dt.UTC)
        asked: list[Feed] = []
        for feed in self.feeds:
            until = held_until(self.status.get(feed.url), now)
            if until is None:
                asked.append(feed)
                continue
            self.report.held.append((feed.url, until))
            self._done += 1
            if self.progress is not None:
                self.progress(self._done, len(self.feeds), feed.url)
        if self.report.held:
            self.report.warnings.append(held_line(self.report.held, now))
        return asked

    def _stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    async def run(self) -> None:
        asked = self._hold_back()
        if self._stopping():
            self.report.stopped = True  # asked while the cache was being looked at
        elif asked:
            semaphore = asyncio.Semaphore(max(1, self.limits.concurrency))
            async with make_client(self.limits) as client:
                work = asyncio.gather(*(self._one(client, semaphore, feed) for feed in asked))
                watcher = asyncio.create_task(self._stop_when_asked(work))
                try:
                    await work
                except asyncio.CancelledError:
                    self.report.stopped = True  # _write never awaits, so no file was cut short
                finally:
                    watcher.cancel()
        order = {feed.url: number for number, feed in enumerate(self.feeds)}
        self.report.failures = sorted(self._failed.items(), key=lambda item: order.get(item[0], 0))
        try:
            self.state.save()
        except OSError as exc:
            self.report.warnings.append(
                f"could not save the HTTP cache state {self.state.path}: {exc.strerror or exc}"
            )
        try:
            self.status.save()
        except OSError as exc:
            self.report.warnings.append(
                f"could not save the feeds' status {self.status.path}: {exc.strerror or exc}"
            )

    async def _stop_when_asked(self, work: asyncio.Future[object]) -> None:
        if self.stop is None:
            return
        while not self.stop.is_set():
            await asyncio.sleep(0.1)
        work.cancel()

    async def _one(
        self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, feed: Feed
    ) -> None:
        try:
            await self._fetch(client, semaphore, feed)
        except _Stopped:
            self.report.stopped = True
            return
        except _FeedFailed as exc:
            self._failed[feed.url] = str(exc)
            self._retry_after[feed.url] = exc.retry_after
        except Exception as exc:  # a bug or a surprise must not stop the other feeds
            self._failed[feed.url] = (
                f"unexpected error: {type(exc).__name__}: {line(str(exc))[:160]}"
            )
        if feed.url in self._failed:
            self.status.record(
                feed.url,
                ok=False,
                result=self._failed[feed.url],
                retry_after=self._retry_after.get(feed.url),
            )
        self._done += 1
        if self.progress is not None:
            self.progress(self._done, len(self.feeds), feed.url)

    async def _fetch(
        self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, feed: Feed
    ) -> None:
        # The host first: a feed waiting for its host must not hold one of the shared slots.
        async with self._host_lock(feed.url), semaphore:
            try:
                result = await download(client, feed.url, self.state.get(feed.url), self.limits)
            except DownloadError as exc:
                raise _FeedFailed(str(exc), exc.retry_after) from None
        if result.body is None:
            self.report.fetched += 1
            self.report.unchanged += 1
            self.status.record(feed.url, ok=True, result="not modified", max_age=result.max_age)
            return
        try:
            # Not asyncio.to_thread: the run would wait for a parse nobody wants after a stop.
            async with self._parsing:
                parsed = await run_detached(
                    parse_document, result.body, result.url, result.content_type, self.stop
                )
        except ParseStopped:
            raise _Stopped from None
        except FeedParseError as exc:
            raise _FeedFailed(str(exc)) from None
        await self._write(feed, parsed, result.url, result.max_age)
        self.report.fetched += 1
        self.state.set(feed.url, result.validators)  # only once every entry is written

    async def _write(
        self, feed: Feed, parsed: ParsedFeed, final_url: str, max_age: float | None = None
    ) -> int:
        """Write the new entries of one feed, one whole file at a time; return how many.

        Between two files it looks at the stop event and lets the loop run
        (other feeds' downloads, the stop watcher): 20,000 entries take
        seconds to write, and a stop must not wait for the last one. A
        cancellation can only arrive at that ``await``, never inside a write.
        """
        domain = site_domain(parsed.site_url, _usual_entry_url(parsed), final_url, feed.url)
        title = feed.name or parsed.title or domain
        new = 0
        for entry in parsed.entries:
            if self._stopping():
                raise _Stopped
            await asyncio.sleep(0)
            try:
                path = self.writer.write(entry, feed_title=title, domain=domain, topics=feed.topics)
            except OSError as exc:
                where = exc.filename or self.writer.root / domain
                raise _FeedFailed(
                    f"cannot write articles to {where}: {exc.strerror or exc}"
                ) from None
            if path is not None:
                new += 1
                self.report.new_paths.append(path)
                if feed.full_text and entry.url and not body_to_write(entry):
                    self.report.full_text_urls.append(entry.url)
            elif entry.body:
                try:
                    completed = self.writer.complete(entry, domain)
                except OSError:
                    completed = None  # the file stays as it was: it is only missing its body
                if completed is not None:
                    self.report.completed_paths.append(completed)
        self.report.new_by_feed[feed.url] = new
        self.status.record(
            feed.url,
            ok=True,
            result=f"ok: {new} new",
            title=parsed.title,
            domain=domain,
            provider=title,
            max_age=max_age,
        )
        return new
