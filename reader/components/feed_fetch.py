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
    class Started(Message):
        """A fetch of ``feeds`` feeds began."""

        feeds: int

    @dataclass
    class Progress(Message):
        """Feeds fetched so far."""

        done: int
        total: int

    @dataclass
    class Stopping(Message):
        """A stop was asked for; the fetch ends once the requests in flight are dropped."""

    @dataclass
    class Finished(Message):
        """The fetch ended: what it wrote (relative to the cache), what failed, or why it failed."""

        new_paths: list[str] = field(default_factory=list)
        failures: list[tuple[str, str]] = field(default_factory=list)
        error: str = ""
        stopped: bool = False

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
        self.post_message(self.Started(len(feeds)))
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
            self.post_message(self.Stopping())

    def on_unmount(self) -> None:
        if self._stop is not None:
            self._stop.set()  # leaving the reader must not wait for a slow feed

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if self.stopping:
            message.stop()  # sent before the stop: "Stopping the fetch…" stays until it stops

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        """Say how it went; the fetch is over once its report is here (the screen hears after)."""
        self._stop = None
        if message.error:
            self.notify(message.error, title="Feeds not fetched", severity="error", markup=False)
            return
        summary, title, severity = captions.fetch_summary(
            len(message.new_paths), message.failures, message.stopped
        )
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
            self.post_message(self.Progress(done, total))

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
        self.post_message(self.Finished(new, report.failures, stopped=report.stopped))
