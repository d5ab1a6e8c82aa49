"""Downloading one article's full text on request (``x``), as a part of a screen.

:class:`FullTextFetch` is a display-less widget used by the main screen and
the reader view alike: it decides whether there is anything to download
(an article with its own body needs nothing; a remembered failure is only
tried again with ``X``), runs the download in a worker, and reports with a
message. Leaving the screen drops a download in flight.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from reader.article_text import EXCERPT, article_text
from reader.articles import Article
from reader.fulltext.store import FullText, FullTextStore


class FullTextFetch(Widget):
    """Fetches the full text of the article it is asked about, one at a time."""

    DEFAULT_CSS = "FullTextFetch { display: none; }"

    @dataclass
    class Started(Message):
        """A download of ``url`` began."""

        url: str

    @dataclass
    class Done(Message):
        """The download of ``url`` ended with ``result`` (kept in the store either way)."""

        url: str
        result: FullText

        @property
        def texts(self) -> dict[str, str]:
            """The text found, by URL (empty after a failure), as a fetch's pages report it."""
            return {self.url: self.result.markdown} if self.result.ok else {}

    def __init__(self, store: FullTextStore | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.running: str | None = None
        """The URL being downloaded, if any."""
        self._stop = threading.Event()

    def request(self, article: Article | None, retry: bool = False) -> None:
        """Download ``article``'s full text, or say why there is nothing to do."""
        if article is None or self.store is None:
            self.notify("No article to download.", severity="warning")
            return
        known = article_text(article, self.store)
        if known.source != EXCERPT:
            self.notify("This article's whole text is here already.")
        elif not article.url:
            self.notify("This article has no link to download.", severity="warning")
        elif known.fulltext is not None and known.fulltext.error and not retry:
            self.notify(
                f"Last time: {known.fulltext.error}. Press X to try again.",
                title="No full text",
                markup=False,
            )
        elif self.running != article.url:
            self.running = article.url
            self.post_message(self.Started(article.url))
            self._download(article.url, self.store)

    @work(thread=True, exclusive=True, group="full-text")
    def _download(self, url: str, store: FullTextStore) -> None:
        from reader.fulltext.download import fetch_full_texts

        outcomes = fetch_full_texts([url], store, stop=self._stop)
        result = outcomes[0].result if outcomes else FullText(url, error="stopped")
        self.post_message(self.Done(url, result))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.running = None
        if not message.result.ok:
            self.notify(
                f"{message.result.error}. Press X to try again.",
                title="No full text",
                severity="warning",
                markup=False,
            )

    def on_unmount(self) -> None:
        self._stop.set()
