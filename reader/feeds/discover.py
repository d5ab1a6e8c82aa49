"""What a pasted address is: a feed, a web page that names its feeds, or neither.

People paste a site's address more often than its feed's. A page names its
feeds in ``<link rel="alternate" type="application/rss+xml" href="...">``
tags in its ``<head>`` (RSS, Atom or JSON Feed): the autodiscovery
convention browsers and feed readers follow. :func:`probe` downloads the
address once, with the fetcher's limits (one deadline for the whole request,
the decoded-size cap of :mod:`reader.netlimits`), and either checks it as a
feed by parsing it or lists the feeds its page names. Relative links are
resolved against the page (or its ``<base href>``); only http(s) ones are
kept. A download that fails is not a verdict on the address (a feed server
may be down, the user offline): the caller adds it as given and says why.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from reader.feeds.limits import Limits
from reader.feeds.text import line
from reader.sanitize import web_url

if TYPE_CHECKING:
    from reader.feeds.http import Download

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
    "application/rdf+xml": "RDF",
}
"""The ``type`` of a ``<link rel="alternate">`` that names a feed, and what to call it."""
MAX_CANDIDATES = 20
"""More feed links than this on one page are left out (nobody chooses among hundreds)."""
STOP_POLL = 0.1
"""Seconds between two looks at the stop event while the download runs."""
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_FEED_STARTS = (b"<?xml", b"<rss", b"<feed", b"<rdf", b"{")


class DiscoverError(Exception):
    """The address is no feed and names none; ``str()`` is the one-line reason."""


class DiscoverStopped(Exception):
    """The stop event was set before the answer was in."""


@dataclass(frozen=True)
class Candidate:
    """A feed found at the address, or named by its page."""

    url: str
    title: str = ""
    """The link's ``title`` (or the feed's own title when the address is the feed)."""
    kind: str = ""
    """``RSS``, ``Atom``, ``JSON Feed`` or ``RDF``; empty when the address is the feed."""

    def label(self) -> str:
        """``Title (Atom)``: how the feed is named in a choice, without its URL."""
        kind = f" ({self.kind})" if self.kind else ""
        return f"{self.title or self.url}{kind}"


@dataclass(frozen=True)
class Probe:
    """What the address turned out to be."""

    url: str
    """The address asked about (cleaned)."""
    feeds: tuple[Candidate, ...]
    """The address itself when it is a feed, else the feeds its page names (at least one)."""
    page: bool = False
    """Whether the feeds were found on a web page rather than at the address."""
    warning: str = ""
    """Why the address could not be checked (the download failed); ``feeds`` is then
    the address as given."""


class _FeedLinks(HTMLParser):
    """Collect the feed links of a page's head; stop at ``<body>``, where none may be."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: dict[str, Candidate] = {}
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.done = True
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"].strip())
            return
        if tag != "link" or "alternate" not in values.get("rel", "").lower().split():
            return
        kind = FEED_TYPES.get(values.get("type", "").split(";")[0].strip().lower())
        url = web_url(urljoin(self.base, values.get("href", "").strip()))
        if kind and url and url not in self.found and len(self.found) < MAX_CANDIDATES:
            self.found[url] = Candidate(url, line(values.get("title", ""))[:200], kind)

    handle_startendtag = handle_starttag


def feed_links(html: str, base: str) -> list[Candidate]:
    """The feeds that the page ``html``, fetched from ``base``, names, in page order."""
    parser = _FeedLinks(base)
    # Fed in pieces so that the parse ends soon after <body> on a large page.
    for start in range(0, len(html), 64 * 1024):
        parser.feed(html[start : start + 64 * 1024])
        if parser.done:
            break
    parser.close()
    return list(parser.found.values())


def is_page(body: bytes, content_type: str) -> bool:
    """Whether ``body`` is a web page rather than a feed (servers mislabel feeds as HTML)."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime in _PAGE_TYPES and not head.startswith(_FEED_STARTS)


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return "utf-8"


def decode_page(body: bytes, content_type: str) -> str:
    """The page as text, in its declared charset (UTF-8 when none or unknown)."""
    try:
        return body.decode(_charset(content_type), errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def probe(url: str, limits: Limits | None = None, stop: threading.Event | None = None) -> Probe:
    """Download ``url`` once and say what it is; :class:`DiscoverError` when it is no feed.

    Call it where no event loop runs (the CLI, a worker thread). Setting
    ``stop`` from another thread ends it within :data:`STOP_POLL` seconds
    with :class:`DiscoverStopped`.
    """
    from reader.feeds.http import DownloadError
    from reader.feeds.parse import FeedParseError, ParseStopped, parse_document

    try:
        got = asyncio.run(_download(url, limits or Limits(), stop))
    except DownloadError as exc:
        return Probe(url, (Candidate(url),), warning=str(exc))
    body = got.body or b""
    if is_page(body, got.content_type):
        found = feed_links(decode_page(body, got.content_type), got.url)
        if not found:
            raise DiscoverError(
                f"{url} is a web page that names no feed "
                '(no <link rel="alternate"> to RSS, Atom or JSON Feed)'
            )
        return Probe(url, tuple(found), page=True)
    try:
        parsed = parse_document(body, got.url, got.content_type, stop)
    except ParseStopped:
        raise DiscoverStopped from None
    except FeedParseError as exc:
        raise DiscoverError(f"{url} is not a feed: {exc}") from None
    return Probe(url, (Candidate(url, parsed.title),))


async def _download(url: str, limits: Limits, stop: threading.Event | None) -> Download:
    """One GET of ``url`` within ``limits`` that a ``stop`` cuts short."""
    from reader.feeds.http import Validators, download, make_client

    async with make_client(limits) as client:
        task = asyncio.ensure_future(download(client, url, Validators(), limits))
        while not task.done():
            await asyncio.wait({task}, timeout=STOP_POLL)
            if stop is not None and stop.is_set() and not task.done():
                task.cancel()
                raise DiscoverStopped
        return task.result()


_FEED_WORDS = frozenset({"feed", "feeds", "rss", "rss2", "atom", "rdf", "jsonfeed"})
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".json")


def names_a_feed(url: str) -> bool:
    """Whether the address itself says it is a feed (``/feed/``, ``rss.xml``, ``?format=rss``).

    Such an address is added as given, without asking its server, as
    ``feeds add`` always did (offline too); any other is downloaded first to
    see whether it is a page that names its feeds.
    """
    parts = urlsplit(url.lower())
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and segments[-1].endswith(_FEED_SUFFIXES):
        return True
    if any(segment in _FEED_WORDS for segment in segments):
        return True
    query = parts.query.replace("&", "=").split("=")
    return any(word in _FEED_WORDS for word in query)
