"""Fetching the subscribed feeds from inside the reader (the ``R`` key), as a screen part.

:class:`FeedFetch` is a display-less widget: it owns the fetch worker and its
stop flag, and reports with messages that bubble to the screen. Removing it
(leaving the reader) stops its fetch, so quitting never waits for a slow feed.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from reader import captions
from reader.paths import Locations


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

    @dataclass
    class PagesDone(Message):
        """The full texts downloaded after a fetch are in: Markdown by URL."""

        texts: dict[str, str]

    def __init__(self, locations: Locations, **kwargs) -> None:
        super().__init__(**kwargs)
        self.locations = locations
        self._stop: threading.Event | None = None

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
        self.post_message(self.Status(""))
        if message.full_text_urls and not message.stopped:
            self._stop = threading.Event()
            self._fetch_pages(message.full_text_urls, self._stop)
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
    def _fetch(self, stop: threading.Event) -> None:
        from reader.feeds import FeedConfigError, fetch_feeds

        def progress(done: int, total: int, _url: str) -> None:
            self.app.call_from_thread(self._progress, captions.fetch_progress(done, total))

        try:
            report = fetch_feeds(self.locations, progress, stop=stop)
        except FeedConfigError as exc:
            self.post_message(self.Finished(error=str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - reported; a failed fetch must not end the app
            self.post_message(self.Finished(error=f"the fetch failed: {type(exc).__name__}: {exc}"))
            return
        cache = str(self.locations.cache)
        new = [os.path.relpath(p, cache).replace(os.sep, "/") for p in report.new_paths]
        self.post_message(
            self.Finished(
                new,
                report.failures,
                stopped=report.stopped,
                full_text_urls=report.full_text_urls,
                pruned=report.pruned,
            )
        )

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
        self.post_message(self.Status(""))
