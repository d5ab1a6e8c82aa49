"""Write feed entries as article files under ``<cache>/feeds/<domain>/``.

Each entry becomes ``<stable id>.md``, the id being a short hash of the
entry's id (or link), so the same entry maps to the same file on every
fetch. The entry's whole text, when the feed gives it, is the file's
Markdown body. A file is created once and never replaced: an entry whose
file exists, or whose URL any file under ``feeds/`` already has, is skipped,
with one exception: a file this program wrote earlier without a body gets
the body when the feed now offers one (see :meth:`ArticleWriter.complete`).
Files the program did not write are left exactly as they are.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import stat
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

import yaml

from reader.atomic import write_text
from reader.enclosure import first_media, to_front_matter
from reader.feeds.ledger import pruned_paths
from reader.feeds.text import line, shorten, unique_lines
from reader.safe_open import NotRegularFileError, read_regular_file, read_regular_head
from reader.sanitize import clean_line

if TYPE_CHECKING:  # the feed parser (feedparser, BeautifulSoup) is not loaded at start
    from reader.feeds.parse import FeedEntry
    from reader.known_urls import KnownUrls

FEEDS_DIR = "feeds"
"""The folder under the cache that holds fetched articles."""

ID_CHARS = 16
"""Hex digits of the SHA-256 kept as the stable id (64 bits)."""

TITLE_CHARS = 200
"""A title longer than this is trimmed; an untitled entry borrows this much of its text."""

_HEAD_BYTES = 64 * 1024
_WEB_URL_LINE = re.compile(r"^webUrl:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_UNSAFE_DOMAIN = re.compile(r"[^a-z0-9.\-_]")


def stable_id(key: str) -> str:
    """The file stem for an entry: a short hash of its id or link."""
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:ID_CHARS]


def site_domain(*urls: str | None) -> str:
    """The host of the first usable URL, lower-case, without ``www.``, safe as a folder name."""
    for url in urls:
        if not url:
            continue
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        host = host.lower().removeprefix("www.")
        host = _UNSAFE_DOMAIN.sub("_", host).strip(".")
        if host and host not in (".", ".."):
            return host
    return "unknown"


class KnownFiles(NamedTuple):
    """What the files already under ``<cache>/feeds`` tell a fetch."""

    urls: set[str]
    """Every ``webUrl`` found: an entry with one of these is not written again."""
    bodyless: set[Path]
    """Files without a body, the ones a fetch may complete."""
    skipped: list[tuple[Path, str]]
    """Paths named ``*.md`` that are not regular files, each with the reason it was not read."""


def existing_urls(cache: Path, stop: threading.Event | None = None) -> KnownFiles:
    """Read the front matter ``webUrl`` of every file under ``<cache>/feeds``.

    Only the head of each file is read and only the ``webUrl`` line is
    parsed, so a large cache is scanned quickly; unreadable files are ignored.
    Anything that is not a regular file is never opened (a FIFO named
    ``x.md`` would block the read forever) and is listed with its reason.
    Setting ``stop`` ends the scan early with what it found so far.
    """
    root = cache / FEEDS_DIR
    known = KnownFiles(set(), set(), [])
    if not root.is_dir():
        return known
    for path in root.rglob("*.md"):
        if stop is not None and stop.is_set():
            break
        try:
            head = read_regular_head(path, _HEAD_BYTES).decode("utf-8", "replace")
        except NotRegularFileError as exc:
            if exc.errno != errno.EISDIR:  # a folder named *.md is no file anyone meant
                known.skipped.append((path, exc.strerror or str(exc)))
            continue
        except OSError:
            continue
        url = _front_matter_url(head)
        if url:
            known.urls.add(url)
            end = head.find("\n---\n", 3)
            if len(head) < _HEAD_BYTES and end >= 0 and not head[end + 5 :].strip():
                known.bodyless.add(path)
    return known


def _front_matter_url(head: str) -> str | None:
    if not head.startswith("---"):
        return None
    end = head.find("\n---", 3)
    block = head if end < 0 else head[:end]
    match = _WEB_URL_LINE.search(block)
    if not match:
        return None
    try:
        value = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return None
    return line(value) or None


def article_data(
    entry: FeedEntry, *, feed_title: str, domain: str, topics: Iterable[str]
) -> dict[str, object]:
    """The front matter for one entry, keys in the order the seed articles use.

    An entry with an audio or video enclosure is a podcast episode or a video:
    its ``type`` says so and its ``enclosure`` is the file to play.
    """
    summary = entry.summary
    title = shorten(entry.title, TITLE_CHARS) or shorten(summary, 80) or entry.url or "Untitled"
    data: dict[str, object] = {"category": "news", "title": title}
    text = shorten(summary)  # already plain text: parsing it as HTML again would eat "<b>"
    if text:
        data["excerpt"] = text
    if entry.published is not None:
        data["publishedDateTime"] = format_datetime(entry.published)
    if entry.url:
        data["webUrl"] = entry.url
    media = first_media(entry.enclosures)
    data["type"] = media.kind if media is not None else "article"
    data["provider"] = {"name": feed_title or domain, "domain": domain}
    merged = unique_lines([*topics, *entry.categories])
    if merged:
        data["topics"] = merged
    if entry.images:
        data["images"] = [{"url": url} for url in entry.images]
    if media is not None:
        data["enclosure"] = to_front_matter(media)
    return data


def format_datetime(value: dt.datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, to the second."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render(data: dict[str, object], body: str = "") -> str:
    """An article file: YAML front matter, then the Markdown body if there is one."""
    head = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000
    )
    return f"---\n{head}---\n" + (f"\n{body}\n" if body else "")


def body_to_write(entry: FeedEntry) -> str:
    """The entry's body, unless it only repeats the excerpt (a feed that gives a summary alone)."""
    if not entry.body or clean_line(entry.body) == shorten(entry.summary):
        return ""
    return entry.body


class ArticleWriter:
    """Writes entries into one cache, remembering what is already there.

    Not thread-safe: one writer is used from one thread during a fetch.
    """

    def __init__(
        self,
        cache: Path,
        stop: threading.Event | None = None,
        known_urls: KnownUrls | set[str] | None = None,
    ) -> None:
        """``known_urls``: the URLs of the files under ``feeds/`` as the index has them, when the
        caller has it open and up to date; else every file's head is read for them (a million
        files: 150 s and 670 MiB, each fetch)."""
        self.root = cache / FEEDS_DIR
        self._urls: KnownUrls | set[str]
        self._bodyless: set[Path] | None
        """The body-less files, found as every head is read; None with ``known_urls``: such a
        file is then told as :meth:`complete` reads it."""
        self.skipped: list[tuple[Path, str]]
        """``*.md`` paths under ``feeds/`` that are not regular files, with the reason."""
        if known_urls is None:
            self._urls, self._bodyless, self.skipped = existing_urls(cache, stop)
        else:
            self._urls, self._bodyless, self.skipped = known_urls, None, []
        self.written: dict[Path, os.stat_result] = {}
        """Each file written or completed, with its ``lstat`` just after: the prune ledger's."""
        self._pruned = pruned_paths(cache)
        self.pruned_offered: set[Path] = set()
        """Files pruned earlier whose entries were offered again: not written again."""

    def write(
        self, entry: FeedEntry, *, feed_title: str, domain: str, topics: Iterable[str]
    ) -> Path | None:
        """Write ``entry`` and return its path, or None when it is already present.

        An entry whose file was pruned (see :mod:`reader.feeds.ledger`) counts
        as present: a feed that still offers it must not bring it back.

        Raises OSError when the file cannot be written.
        """
        if not (entry.title or entry.summary or entry.url):
            return None
        if entry.url and entry.url in self._urls:
            return None
        path = self.root / domain / f"{stable_id(entry.key)}.md"
        if os.path.lexists(path):
            return None
        if path in self._pruned:
            self.pruned_offered.add(path)
            return None
        data = article_data(entry, feed_title=feed_title, domain=domain, topics=topics)
        write_text(path, render(data, body_to_write(entry)))
        self._remember(path)
        if entry.url:
            self._urls.add(entry.url)
        return path

    def complete(self, entry: FeedEntry, domain: str) -> Path | None:
        """Add the body to the file an earlier fetch wrote for ``entry`` without one.

        Only a regular file at the entry's own path, whose front matter is the
        program's (``category: news``, the entry's ``webUrl``) and whose body
        is empty, is rewritten (atomically, front matter unchanged). Returns
        the path when it was completed.
        """
        body = body_to_write(entry)
        path = self.root / domain / f"{stable_id(entry.key)}.md"
        if not body or (self._bodyless is not None and path not in self._bodyless):
            return None
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return None  # a link is left alone: its target is not this program's file
            text = read_regular_file(path, limit=_HEAD_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        head = _own_front_matter(text, entry.url)
        if head is None:
            return None
        write_text(path, f"{head}\n{body}\n")
        self._remember(path)
        if self._bodyless is not None:
            self._bodyless.discard(path)
        return path

    def _remember(self, path: Path) -> None:
        """Note the file as just written, so that pruning knows it is the program's."""
        try:
            self.written[path] = os.lstat(path)
        except OSError:
            pass  # not recorded: pruning then checks the file's name and front matter instead


def _own_front_matter(text: str, url: str | None) -> str | None:
    """The front matter block of a body-less file this program wrote for ``url``, else None."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0 or text[end + 5 :].strip():
        return None
    head = text[: end + 5]
    try:
        data = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or data.get("category") != "news":
        return None
    if line(data.get("webUrl")) != (url or ""):
        return None
    return head
