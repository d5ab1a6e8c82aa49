"""Fetching the subscribed feeds from inside the reader (the ``R`` key), as a screen part.

:class:`FeedFetch` is a display-less widget: it owns the fetch worker and its
stop flag, and reports with messages that bubble to the screen. Removing it
(leaving the reader) stops its fetch, so quitting never waits for a slow feed.

It also keeps the reader fresh by itself: shortly after start and then every
:data:`CHECK_SECONDS` it looks (in a thread) for the feeds that are due
(:func:`reader.feeds.schedule.due_feeds`) and fetches only those, quietly:
the status line says it is refreshing and then what arrived, with no
notification and without touching the cursor or the focus. ``R`` stops such
a refresh as it stops any fetch.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from reader import captions
from reader.paths import Locations

if TYPE_CHECKING:
    from reader.feeds import Feed, FetchReport
    from reader.known_urls import KnownUrls

FIRST_CHECK_SECONDS = 10.0
"""Seconds after start before the first look for due feeds (the list comes first)."""
CHECK_SECONDS = 60.0
"""Seconds between two looks for due feeds."""
QUIET_AFTER_STOP_SECONDS = 60.0
"""After a stopped fetch, no background refresh starts for this long."""


class FeedFetch(Widget):
    """The running fetch, if any: start it, stop it, hear how it goes."""

    DEFAULT_CSS = "FeedFetch { display: none; }"

    @dataclass
    class Status(Message):
        """What the status line should say about the fetch now ("" once it is over)."""

        text: str

    @dataclass
    class Finished(Message):
        """The fetch ended: what it wrote (relative to the cache), what failed, or why it failed."""

        new_paths: list[str] = field(default_factory=list)
        failures: list[tuple[str, str]] = field(default_factory=list)
        error: str = ""
        stopped: bool = False
        full_text_urls: list[str] = field(default_factory=list)
        """New articles of feeds marked ``full_text``: their pages are downloaded next."""
        pruned: int = 0
        """Old articles removed after the fetch (``keep_days``, ``max_items``)."""
        completed_paths: list[str] = field(default_factory=list)
        """Files of earlier fetches that got their body now (relative to the cache)."""
        pruned_paths: list[str] = field(default_factory=list)
        """The files those were (relative to the cache): they leave the list."""
        background: bool = False
        """Whether it was a refresh of the due feeds, started by the reader itself."""
        summary: str = ""
        """A background refresh's result for the status line (it notifies nobody)."""
        held: str = ""
        """Which feeds were not asked because their server asked to wait ("" when none)."""

    @dataclass
    class _Due(Message, bubble=False):
        """Internal: the feeds found due by a look in a thread."""

        feeds: list[Feed]

    @dataclass
    class PagesDone(Message):
        """The full texts downloaded after a fetch are in: Markdown by URL."""

        texts: dict[str, str]

    def __init__(
        self,
        locations: Locations,
        known_urls: Callable[[], KnownUrls | None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.locations = locations
        self.known_urls = known_urls
        """The URLs already under ``feeds/`` from the index shown (None: read the files), asked
        in the fetch's thread (see :meth:`reader.library.Source.feed_urls`)."""
        self._stop: threading.Event | None = None
        self._said = ""
        """What the last background refresh said: the status line keeps showing it."""
        self._quiet_until = 0.0
        """No background refresh starts before this (monotonic) time: one was just stopped."""

    def on_mount(self) -> None:
        self.set_timer(FIRST_CHECK_SECONDS, self.check_due)
        self.set_interval(CHECK_SECONDS, self.check_due)

    def check_due(self) -> None:
        """Look for due feeds in a thread, unless a fetch runs; a refresh starts if any are.

        A fetch the user stopped is not followed by a refresh for
        :data:`QUIET_AFTER_STOP_SECONDS` (the feeds it left are still due, and
        the next tick may be a moment away).
        """
        if not self.running and time.monotonic() >= self._quiet_until:
            self._find_due()

    @work(thread=True, exclusive=True, group="refresh-check")
    def _find_due(self) -> None:
        from reader.feeds.refresh import due_now

        try:
            due = due_now(self.locations, dt.datetime.now(dt.UTC))
        except Exception:  # noqa: BLE001 - a broken config is said when R is pressed
            return
        if due:
            self.post_message(self._Due(due))

    @on(_Due)
    def _refresh(self, message: _Due) -> None:
        """Fetch the due feeds in the background (unless a fetch started meanwhile)."""
        if self.running:
            return
        self._stop = threading.Event()
        count = len(message.feeds)
        self.post_message(self.Status(f"Refreshing {count} feed{'s' * (count != 1)}…"))
        self._fetch(self._stop, message.feeds)

    @property
    def running(self) -> bool:
        """Whether a fetch runs (until its :class:`Finished` is handled)."""
        return self._stop is not None

    @property
    def stopping(self) -> bool:
        """Whether the running fetch was asked to stop."""
        return self._stop is not None and self._stop.is_set()

    def start(self) -> None:
        """Fetch every subscribed feed; say so instead when the config is broken or empty."""
        from reader.feeds import load_feeds

        try:
            feeds = load_feeds(self.locations.feeds_config_path)
        except Exception as exc:  # noqa: BLE001 - a broken config is reported, not raised
            self.notify(str(exc), title="Feeds not fetched", severity="error", markup=False)
            return
        if not feeds:
            self.notify(
                "No feeds yet. Subscribe with: newsreader feeds add URL", title="Nothing to fetch"
            )
            return
        self._stop = threading.Event()
        self.post_message(self.Status(captions.fetch_started(len(feeds))))
        self._fetch(self._stop)

    def toggle(self) -> None:
        """Start a fetch, or stop the running one (``R`` does both)."""
        if self.running:
            self.stop()
        else:
            self.start()

    def stop(self) -> None:
        """Stop the running fetch; what it has written stays."""
        if self._stop is not None and not self._stop.is_set():
            self._stop.set()
            self.post_message(self.Status(captions.FETCH_STOPPING))

    def on_unmount(self) -> None:
        if self._stop is not None:
            self._stop.set()  # leaving the reader must not wait for a slow feed

    def _progress(self, text: str) -> None:
        """From the worker: say how far it got, unless a stop was asked for meanwhile."""
        if not self.stopping:
            self.post_message(self.Status(text))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        """Say how it went; the fetch is over once its report is here (the screen hears after)."""
        self._stop = None
        if message.stopped:
            self._quiet_until = time.monotonic() + QUIET_AFTER_STOP_SECONDS
        self._said = message.summary if message.background else ""
        self.post_message(self.Status(self._said))
        if message.full_text_urls and not message.stopped:
            self._stop = threading.Event()
            self._fetch_pages(message.full_text_urls, self._stop)
        if message.background:
            return  # said in the status line: a refresh the user did not ask for stays quiet
        if message.held:
            self.notify(message.held, title="Not asked", markup=False, timeout=10)
        if message.error:
            self.notify(message.error, title="Feeds not fetched", severity="error", markup=False)
            return
        summary, title, severity = captions.fetch_summary(
            len(message.new_paths), message.failures, message.stopped
        )
        if message.pruned:
            summary += f"; {message.pruned} old article{'s' * (message.pruned != 1)} pruned"
        self.notify(
            summary,
            title=title,
            severity=severity,
            markup=False,
            timeout=10 if message.failures else None,
        )

    @work(thread=True, exclusive=True, group="fetch")
    def _fetch(self, stop: threading.Event, due: list[Feed] | None = None) -> None:
        """Fetch every feed (``R``), or only the ``due`` ones (a background refresh)."""
        from reader.feeds import FeedConfigError, fetch_feeds
        from reader.feeds.schedule import held_line

        background = due is not None

        def progress(done: int, total: int, _url: str) -> None:
            if not background:
                self.app.call_from_thread(self._progress, captions.fetch_progress(done, total))

        try:
            known = self.known_urls() if self.known_urls is not None else None
            report = fetch_feeds(self.locations, progress, feeds=due, stop=stop, known_urls=known)
        except FeedConfigError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - reported; a failed fetch must not end the app
            error = f"the fetch failed: {type(exc).__name__}: {exc}"
        else:
            error = ""
        if error:
            said = f"Refresh failed: {error}" if background else ""
            self.post_message(self.Finished(error=error, background=background, summary=said))
            return
        cache = str(self.locations.cache)
        new = [os.path.relpath(p, cache).replace(os.sep, "/") for p in report.new_paths]
        done = [os.path.relpath(p, cache).replace(os.sep, "/") for p in report.completed_paths]
        gone = [os.path.relpath(p, cache).replace(os.sep, "/") for p in report.pruned_paths]
        self.post_message(
            self.Finished(
                new,
                report.failures,
                stopped=report.stopped,
                full_text_urls=report.full_text_urls,
                pruned=report.pruned,
                completed_paths=done,
                pruned_paths=gone,
                background=background,
                summary=self._summary(report, due) if due is not None else "",
                held=held_line(report.held, dt.datetime.now(dt.UTC)) if report.held else "",
            )
        )

    def _summary(self, report: FetchReport, due: list[Feed]) -> str:
        """What a background refresh brought, in words (in the worker: it reads the status)."""
        from reader.feeds.refresh import refresh_words

        if report.stopped:
            new = len(report.new_paths)
            return f"Refresh stopped; {new:,} new article{'s' * (new != 1)} kept"
        words = refresh_words(self.locations, report.new_by_feed, report.failures, due)
        if report.pruned:
            words += f" · {report.pruned} old article{'s' * (report.pruned != 1)} pruned"
        return words

    @work(thread=True, exclusive=True, group="fetch-pages")
    def _fetch_pages(self, urls: list[str], stop: threading.Event) -> None:
        """Download the full text of ``urls`` (new articles of feeds marked ``full_text``)."""
        from reader.fulltext.download import fetch_full_texts
        from reader.fulltext.store import FullTextStore

        done = 0

        def progress(_outcome: object) -> None:
            nonlocal done
            done += 1
            self.app.call_from_thread(self._progress, captions.pages_progress(done, len(urls)))

        self.app.call_from_thread(self._progress, captions.pages_progress(0, len(urls)))
        outcomes = fetch_full_texts(
            urls, FullTextStore(self.locations.cache), progress=progress, stop=stop
        )
        texts = {o.url: o.result.markdown for o in outcomes if o.result.ok}
        self.post_message(self.PagesDone(texts))

    @on(PagesDone)
    def _pages_done(self) -> None:
        self._stop = None
        self.post_message(self.Status(self._said))
