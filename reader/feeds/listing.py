"""The rows of ``newsreader feeds list``: each feed with its articles and last fetch.

A feed's articles are found in the index (updated first, as ``newsreader
list`` does): the files under ``<cache>/feeds/<domain>/``, the folder its
last successful fetch wrote to (:mod:`reader.feeds.status`). When two feeds
write to the same folder, the provider name each wrote with tells them apart.
Unread counts come from the read marks, read and never changed.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reader.entry import Entry, entry_key
from reader.feeds.config import Feed
from reader.feeds.status import STATUS_FILE, FeedStatus, StatusStore, iso
from reader.feeds.store import FEEDS_DIR, site_domain
from reader.formatting import fit
from reader.paths import Locations

STATE_WAIT = 2.0
"""Seconds to wait for the read marks while another instance writes them."""
NEVER = "never"

# Column widths; with two spaces between columns a row is at most 100 cells.
_TITLE, _URL, _ARTICLES, _UNREAD, _WHEN, _RESULT = 16, 26, 8, 6, 16, 18


@dataclass(frozen=True)
class FeedRow:
    """One line of the listing."""

    title: str
    url: str
    topics: tuple[str, ...]
    articles: int | None
    """Articles in the cache from this feed; None when the index could not be read."""
    unread: int | None
    """Of those, how many are not marked read; None when the marks could not be read."""
    last_fetch: dt.datetime | None
    last_result: str
    ok: bool

    def to_json(self) -> dict[str, Any]:
        """The JSON Lines record (``feeds list --json``)."""
        return {
            "title": self.title,
            "url": self.url,
            "topics": list(self.topics),
            "articles": self.articles,
            "unread": self.unread,
            "last_fetch": iso(self.last_fetch),
            "last_result": self.last_result,
            "ok": self.ok,
        }


def feed_rows(
    locations: Locations,
    feeds: list[Feed],
    known: tuple[list[Entry], set[str]] | None = None,
) -> tuple[list[FeedRow], list[str]]:
    """The listing's rows, in config order, and warnings (one line each) about what is missing.

    ``known`` is the articles and read keys the open reader holds: counted
    instead of updating the index and reading the marks (seconds at 100,000).
    """
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    statuses = {feed.url: store.get(feed.url) for feed in feeds}
    warnings: list[str] = []
    entries: list[Entry] | None = []
    problem = ""
    if any(status.domain for status in statuses.values()):  # else no article can be a feed's
        if known is None:
            entries, problem = _feed_entries(locations)
        else:
            entries = [entry for entry in known[0] if entry.path.startswith(f"{FEEDS_DIR}/")]
    if problem:
        warnings.append(f"article counts left out: {problem}")
    read: set[str] | None = None if entries is None else set()
    if entries:
        read, problem = _read_marks(locations) if known is None else (known[1], "")
        if problem:
            warnings.append(f"unread counts left out: cannot read the marks: {problem}")
    found = _articles_by_feed(entries or [], statuses)
    rows = []
    for feed in feeds:
        status = statuses[feed.url]
        mine = found.get(feed.url, [])
        rows.append(
            FeedRow(
                title=feed.name or status.title or site_domain(feed.url),
                url=feed.url,
                topics=feed.topics,
                articles=None if entries is None else len(mine),
                unread=None if read is None else sum(entry_key(e) not in read for e in mine),
                last_fetch=status.fetched_at,
                last_result=_result(status),
                ok=status.ok and status.fetched_at is not None,
            )
        )
    return rows, warnings


def _result(status: FeedStatus) -> str:
    """The last fetch's result in words (an older record without one says ok or failed)."""
    if status.fetched_at is None:
        return NEVER
    return status.result or ("ok" if status.ok else "failed")


def _feed_entries(locations: Locations) -> tuple[list[Entry] | None, str]:
    """The indexed articles under ``<cache>/feeds``, or None and why they are unknown."""
    if not (locations.cache / FEEDS_DIR).is_dir():
        return [], ""
    from reader.index_db import describe
    from reader.library import Source

    source = Source(locations)
    try:
        source.scan_index()
        prefix = f"{FEEDS_DIR}/"
        return [entry for entry in source.index.entries() if entry.path.startswith(prefix)], ""
    except sqlite3.Error as exc:
        return None, f"cannot index {locations.cache}: {describe(exc, locations.index_path)}"
    except OSError as exc:
        return None, f"cannot index {locations.cache}: {exc.strerror or exc}"
    finally:
        source.index.close()


def _read_marks(locations: Locations) -> tuple[set[str] | None, str]:
    """The keys of read articles, or None and why they could not be read."""
    from reader.state import UNSAVED, StateStore

    unsaved = locations.state_path.with_name(locations.state_path.name + UNSAVED)
    if not os.path.lexists(locations.state_path) and not os.path.lexists(unsaved):
        return set(), ""  # no mark was ever made: do not create the file just to read it
    state = StateStore(locations.state_path, wait=STATE_WAIT)
    read, loaded, reason = set(state.read), state.loaded, state.reason or state.problem
    state.close()
    return (read, "") if loaded else (None, reason or "unknown reason")


def _articles_by_feed(
    entries: Iterable[Entry], statuses: dict[str, FeedStatus]
) -> dict[str, list[Entry]]:
    """Each feed's articles: those in its folder (and with its provider name, if it shares one)."""
    by_domain: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_domain[entry.path.split("/", 2)[1]].append(entry)
    sharing: dict[str, int] = defaultdict(int)
    for status in statuses.values():
        if status.domain:
            sharing[status.domain] += 1
    found: dict[str, list[Entry]] = {}
    for url, status in statuses.items():
        if not status.domain:
            continue
        mine = by_domain.get(status.domain, [])
        if sharing[status.domain] > 1:
            mine = [entry for entry in mine if entry.provider == status.provider]
        found[url] = mine
    return found


def table_lines(rows: list[FeedRow]) -> list[str]:
    """The listing as a header and one line per feed, each at most 100 cells wide."""
    lines = [
        _line("TITLE", "URL", "ARTICLES".rjust(_ARTICLES), "UNREAD".rjust(_UNREAD), "LAST FETCH")
        + "RESULT"
    ]
    for row in rows:
        when = NEVER
        if row.last_fetch is not None:
            when = row.last_fetch.astimezone().strftime("%Y-%m-%d %H:%M")
        result = "" if row.last_fetch is None else fit(row.last_result, _RESULT).rstrip()
        lines.append(
            _line(
                row.title,
                row.url,
                _count(row.articles).rjust(_ARTICLES),
                _count(row.unread).rjust(_UNREAD),
                when,
            )
            + result
        )
    return [text.rstrip() for text in lines]


def _line(title: str, url: str, articles: str, unread: str, when: str) -> str:
    cells = [
        fit(title, _TITLE),
        fit(url, _URL),
        fit(articles, _ARTICLES),
        fit(unread, _UNREAD),
        fit(when, _WHEN),
    ]
    return "  ".join(cells) + "  "


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)
