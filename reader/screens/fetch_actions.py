"""The main screen's ``R`` key: fetch the subscribed feeds without leaving the reader.

The fetch runs in a worker and reports progress in the status line; new
articles appear without a restart and are marked as new. :class:`FetchActions`
is mixed into :class:`reader.screens.main.MainScreen`, which provides
``locations``, ``reload_library()`` and ``_update_status()``.
"""

from __future__ import annotations

import os
import threading

from textual import on, work
from textual.message import Message
from textual.screen import Screen

from reader.paths import Locations
from reader.widgets.article_list import ArticleList


class FetchActions(Screen):
    """Fetching feeds into the cache from inside the reader."""

    locations: Locations
    fetching = False
    """Whether a fetch is running (a second ``R`` stops it)."""
    _fetch_stop: threading.Event | None = None
    """Set to stop the running fetch (a second ``R``, or leaving the reader)."""
    _fetch_note = ""
    """What the status line says about the running fetch."""

    def reload_library(self) -> None:
        raise NotImplementedError

    def _update_status(self) -> None:
        raise NotImplementedError

    class FetchProgress(Message):
        """Feeds fetched so far."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class Fetched(Message):
        """A fetch finished: what it wrote (relative to the cache) and what failed."""

        def __init__(self, new_paths: list[str], failures: list[tuple[str, str]], error: str = "",
                     stopped: bool = False) -> None:
            super().__init__()
            self.new_paths = new_paths
            self.failures = failures
            self.error = error
            self.stopped = stopped

    def action_fetch(self) -> None:
        """Fetch new articles from the subscribed feeds."""
        if self.fetching:
            self.stop_fetch()
            return
        from reader.feeds import load_feeds

        try:
            feeds = load_feeds(self.locations.feeds_config_path)
        except Exception as exc:  # noqa: BLE001 - a broken config is reported, not raised
            self.notify(str(exc), title="Feeds not fetched", severity="error", markup=False)
            return
        if not feeds:
            self.notify("No feeds yet. Subscribe with: newsreader feeds add URL", title="Nothing to fetch")
            return
        self.fetching = True
        self._fetch_stop = threading.Event()
        self._fetch_note = f"Fetching {len(feeds)} feed{'s' if len(feeds) != 1 else ''}… (R to stop)"
        self._update_status()
        self.fetch_feeds(self._fetch_stop)

    def stop_fetch(self) -> None:
        """Stop the running fetch; what it has written stays."""
        if self.fetching and self._fetch_stop is not None and not self._fetch_stop.is_set():
            self._fetch_stop.set()
            self._fetch_note = "Stopping the fetch…"
            self._update_status()

    @work(thread=True, exclusive=True, group="fetch")
    def fetch_feeds(self, stop: threading.Event) -> None:
        """Fetch every subscribed feed into the cache, reporting progress."""
        from reader.feeds import FeedConfigError, fetch_feeds

        def progress(done: int, total: int, _url: str) -> None:
            self.post_message(self.FetchProgress(done, total))

        try:
            report = fetch_feeds(self.locations, progress, stop=stop)
        except FeedConfigError as exc:
            self.post_message(self.Fetched([], [], str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - a failed fetch is reported; it must not end the app
            self.post_message(self.Fetched([], [], f"the fetch failed: {type(exc).__name__}: {exc}"))
            return
        cache = str(self.locations.cache)
        new = [os.path.relpath(p, cache).replace(os.sep, "/") for p in report.new_paths]
        self.post_message(self.Fetched(new, report.failures, stopped=report.stopped))

    @on(FetchProgress)
    def _fetch_progress(self, message: FetchProgress) -> None:
        if self._fetch_stop is not None and self._fetch_stop.is_set():
            return  # "Stopping the fetch…" stays until it has stopped
        self._fetch_note = f"Fetching feeds {message.done}/{message.total}… (R to stop)"
        self._update_status()

    @on(Fetched)
    def _fetched(self, message: Fetched) -> None:
        self.fetching = False
        self._fetch_note = ""
        if message.error:
            self.notify(message.error, title="Feeds not fetched", severity="error", markup=False)
        else:
            articles = self.query_one(ArticleList)
            articles.new_paths.update(message.new_paths)
            count = len(message.new_paths)
            summary = f"{count:,} new article{'s' if count != 1 else ''}"
            if message.stopped:
                summary = f"Fetch stopped; {summary} so far"
            if message.failures:
                failed = "; ".join(f"{url}: {why}" for url, why in message.failures[:3])
                more = f" (and {len(message.failures) - 3} more)" if len(message.failures) > 3 else ""
                self.notify(f"{summary}. Failed: {failed}{more}", title="Fetched, with failures",
                            severity="warning", markup=False, timeout=10)
            else:
                self.notify(summary, title="Feeds fetched", markup=False)
            if count:
                self.reload_library()
        self._update_status()
