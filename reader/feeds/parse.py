"""Read a downloaded feed document into plain entries, whatever its format.

RSS 0.9x-2.0, RSS 1.0 (RDF) and Atom go through feedparser; JSON Feed
(1.0 and 1.1) is read here by hand. Either way the result is a
:class:`ParsedFeed` of :class:`FeedEntry` values holding already-cleaned
text, so the code that writes articles never sees raw feed data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import feedparser

from reader.enclosure import MEDIA_KINDS, Enclosure, make
from reader.feeds.text import absolute_web_url, html_to_text, line
from reader.html_markdown import html_to_markdown, text_to_markdown

MAX_CATEGORIES = 25
"""An entry's own categories beyond this many are ignored (some feeds list hundreds)."""

MAX_ENCLOSURES = 5
"""An entry's enclosures beyond this many are ignored."""

JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/")
"""Version 1 feeds in the wild often say ``http://``."""

# feedparser's "bozo" warnings that say nothing about whether the XML is broken.
_HARMLESS = (
    feedparser.CharacterEncodingOverride,
    feedparser.NonXMLContentType,
    feedparser.UndeclaredNamespace,
)


class FeedParseError(Exception):
    """The document is not a feed we can read; ``str()`` is a one-line reason."""


class ParseStopped(Exception):
    """The ``stop`` event was set while the entries were being read."""


_Raw = TypeVar("_Raw")


def _each(
    items: Iterable[_Raw], make: Callable[[_Raw], FeedEntry], stop: threading.Event | None
) -> list[FeedEntry]:
    """``make`` of every item, looking at ``stop`` before each one.

    Turning an entry's HTML into Markdown takes about a millisecond, so a feed
    of 20,000 entries is seconds of work that a stop must be able to cut short.
    """
    entries = []
    for item in items:
        if stop is not None and stop.is_set():
            raise ParseStopped
        entries.append(make(item))
    return entries


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, reduced to what an article file needs."""

    key: str
    """What identifies the entry across fetches: its id, else its link, else its text."""
    title: str
    summary: str
    """Plain text (HTML already reduced), not yet trimmed."""
    url: str | None
    published: dt.datetime | None
    """Timezone-aware UTC, or None when the feed does not say."""
    categories: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    body: str = ""
    """The entry's whole text as safe Markdown (see :mod:`reader.html_markdown`), or ""."""
    enclosures: tuple[Enclosure, ...] = ()
    """Its attached files (a podcast's audio, a video), http(s) only, in the feed's order."""


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, its web site and its entries."""

    title: str
    site_url: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def parse_document(
    body: bytes, url: str, content_type: str = "", stop: threading.Event | None = None
) -> ParsedFeed:
    """Parse ``body`` fetched from ``url``; raise :class:`FeedParseError` when it is no feed.

    Raises :class:`ParseStopped` when ``stop`` is set before every entry is read.
    """
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    mime = content_type.split(";", 1)[0].strip().lower()
    if head.startswith(b"{") or mime in ("application/feed+json", "application/json"):
        return parse_json_feed(body, url, stop)
    if head.startswith((b"<!doctype html", b"<html")):
        raise FeedParseError("not a feed: got an HTML page")
    return parse_xml_feed(body, url, content_type, stop)


# --- RSS, RDF and Atom ------------------------------------------------------


def parse_xml_feed(
    body: bytes, url: str, content_type: str = "", stop: threading.Event | None = None
) -> ParsedFeed:
    """Parse RSS or Atom with feedparser.

    feedparser reads the whole document in one call that cannot be
    interrupted (seconds for a feed of several MiB); ``stop`` is looked at
    between entries after it.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never bare bytes: feedparser tries to open() a bytes argument as a path.
    result = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries = result.get("entries") or []
    if not entries:
        if result.get("bozo") and not isinstance(result.get("bozo_exception"), _HARMLESS):
            raise FeedParseError(f"not valid XML: {_bozo_reason(result)}")
        if not result.get("version"):
            raise FeedParseError("not a feed: no RSS, RDF or Atom document found")
    info = result.get("feed") or {}
    title = html_to_text(info.get("title"))
    site = absolute_web_url(info.get("link"), url)
    made = _each(entries, lambda entry: _xml_entry(entry, url), stop)
    return ParsedFeed(title=title, site_url=site, entries=made)


def _bozo_reason(result: Any) -> str:
    exc = result.get("bozo_exception")
    text = line(str(exc)) if exc is not None else ""
    # SAX says "<unknown>:3:1: not well-formed"; say where in words instead.
    text = re.sub(r"^<unknown>:(\d+):(\d+):\s*", r"line \1, column \2: ", text)
    return text[:160] or "unreadable document"


def _xml_entry(entry: Any, base: str) -> FeedEntry:
    link = absolute_web_url(entry.get("link"), base)
    title = html_to_text(entry.get("title"))
    summary = html_to_text(entry.get("summary"))
    if not summary:
        for content in entry.get("content") or []:
            summary = html_to_text(content.get("value"))
            if summary:
                break
    key = line(entry.get("id")) or link or line(entry.get("link")) or f"{title}\n{summary}"
    body = _xml_body(entry, link or base)
    published = _from_struct(entry.get("published_parsed") or entry.get("updated_parsed"))
    categories = tuple(
        text
        for tag in entry.get("tags") or []
        if (text := line(tag.get("term") or tag.get("label")))
    )
    return FeedEntry(
        key=key,
        title=title,
        summary=summary,
        url=link,
        published=published,
        categories=categories[:MAX_CATEGORIES],
        images=_xml_images(entry, base),
        body=body,
        enclosures=_xml_enclosures(entry, base),
    )


def _xml_body(entry: Any, base: str) -> str:
    """The longest of the entry's contents and its summary, as Markdown.

    RSS ``content:encoded`` and Atom ``content`` arrive in ``content``; a
    plain-text one is kept as text, anything else is read as HTML.
    """
    candidates = [(c.get("value"), c.get("type")) for c in entry.get("content") or []]
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary"), detail.get("type")))
    texts = [(value, kind) for value, kind in candidates if isinstance(value, str) and value]
    if not texts:
        return ""
    value, kind = max(texts, key=lambda item: len(item[0]))
    if (kind or "").lower() == "text/plain":
        return text_to_markdown(value)
    return html_to_markdown(value, base)


def _from_struct(value: Any) -> dt.datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime."""
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _xml_images(entry: Any, base: str) -> tuple[str, ...]:
    candidates: list[Any] = []
    for media in entry.get("media_content") or []:
        kind = (media.get("medium") or media.get("type") or "").lower()
        if kind.startswith("image"):
            candidates.append(media.get("url"))
    candidates.extend(thumb.get("url") for thumb in entry.get("media_thumbnail") or [])
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and (link.get("type") or "").lower().startswith("image/"):
            candidates.append(link.get("href"))
    image = entry.get("image")
    if isinstance(image, dict):
        candidates.append(image.get("href"))
    return _unique_urls(candidates, base)


def _xml_enclosures(entry: Any, base: str) -> tuple[Enclosure, ...]:
    """RSS ``<enclosure>`` and Atom ``rel="enclosure"`` links (both arrive in
    ``enclosures``) that are no image (images are kept apart), then Media RSS
    ``media:content`` that is audio or video."""
    listed = [
        made
        for item in entry.get("enclosures") or []
        if isinstance(item, dict)
        and (made := _enclosure(item.get("href"), item.get("type"), item.get("length"), base))
        and made.kind != "image"
    ]
    media = [
        made
        for item in entry.get("media_content") or []
        if isinstance(item, dict)
        and (made := _enclosure(item.get("url"), item.get("type"), item.get("filesize"), base))
        and made.kind in MEDIA_KINDS
    ]
    return _unique_enclosures(listed + media)


def _enclosure(url: Any, kind: Any, size: Any, base: str) -> Enclosure | None:
    return make(absolute_web_url(url, base), kind, size)


def _unique_enclosures(enclosures: Iterable[Enclosure]) -> tuple[Enclosure, ...]:
    """The first of each URL, at most :data:`MAX_ENCLOSURES`."""
    unique: dict[str, Enclosure] = {}
    for enclosure in enclosures:
        unique.setdefault(enclosure.url, enclosure)
    return tuple(unique.values())[:MAX_ENCLOSURES]


def _unique_urls(candidates: list[Any], base: str | None) -> tuple[str, ...]:
    urls: list[str] = []
    for candidate in candidates:
        url = absolute_web_url(candidate, base)
        if url and url not in urls:
            urls.append(url)
    return tuple(urls[:5])


# --- JSON Feed --------------------------------------------------------------


def parse_json_feed(body: bytes, url: str, stop: threading.Event | None = None) -> ParsedFeed:
    """Parse a JSON Feed (https://jsonfeed.org/version/1.1, also 1.0)."""
    try:
        data = json.loads(body.decode("utf-8-sig"), strict=False)  # tolerate raw tabs in strings
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedParseError(f"not valid JSON: {line(str(exc))[:160]}") from None
    if not isinstance(data, dict) or not JSON_FEED_VERSION.match(str(data.get("version", ""))):
        raise FeedParseError("not a feed: JSON without a JSON Feed version")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedParseError("not a feed: JSON Feed without an items list")
    site = absolute_web_url(data.get("home_page_url"), url)
    base = site or url
    items = [item for item in items if isinstance(item, dict)]
    entries = _each(items, lambda item: _json_entry(item, base), stop)
    return ParsedFeed(title=html_to_text(data.get("title")), site_url=site, entries=entries)


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry:
    link = absolute_web_url(item.get("url"), base) or absolute_web_url(
        item.get("external_url"), base
    )
    title = html_to_text(item.get("title"))
    summary = html_to_text(item.get("summary"))
    if not summary:
        summary = html_to_text(item.get("content_html")) or line(item.get("content_text"))
    html = item.get("content_html")
    text = item.get("content_text")
    if isinstance(html, str) and len(html) >= len(text if isinstance(text, str) else ""):
        body = html_to_markdown(html, link or base)
    else:
        body = text_to_markdown(text) if isinstance(text, str) else ""
    raw_id = item.get("id")
    item_id = line(str(raw_id)) if isinstance(raw_id, (str, int, float)) else ""
    published = _from_iso(item.get("date_published")) or _from_iso(item.get("date_modified"))
    tags = item.get("tags")
    categories = (
        tuple(text for tag in tags if (text := line(tag))) if isinstance(tags, list) else ()
    )
    return FeedEntry(
        key=item_id or link or f"{title}\n{summary}",
        title=title,
        summary=summary,
        url=link,
        published=published,
        categories=categories[:MAX_CATEGORIES],
        images=_unique_urls([item.get("image"), item.get("banner_image")], base),
        body=body,
        enclosures=_json_attachments(item.get("attachments"), link or base),
    )


def _json_attachments(value: Any, base: str) -> tuple[Enclosure, ...]:
    """JSON Feed ``attachments`` (``url``, ``mime_type``, ``size_in_bytes``), images left out."""
    if not isinstance(value, list):
        return ()
    made = (
        _enclosure(item.get("url"), item.get("mime_type"), item.get("size_in_bytes"), base)
        for item in value
        if isinstance(item, dict)
    )
    return _unique_enclosures(e for e in made if e is not None and e.kind != "image")


def _from_iso(value: Any) -> dt.datetime | None:
    """An RFC 3339 date as an aware UTC datetime (naive ones are taken as UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)
