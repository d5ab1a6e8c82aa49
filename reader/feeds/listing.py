"""The rows of ``newsreader feeds list``: each feed with its articles and last fetch.

A feed's articles are found in the index (updated first, as ``newsreader
list`` does): the files under ``<cache>/feeds/<domain>/``, the folder its
last successful fetch wrote to (:mod:`reader.feeds.status`). When two feeds
write to the same folder, the provider name each wrote with tells them apart.
Unread counts come from the read marks, read and never changed. The next
refresh is :func:`reader.feeds.schedule.next_refresh` of the feed's settings
and status: when the open reader fetches it by itself, and why later than
usual when it backs off or its server asked to wait.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.entry import Entry, entry_key, paths_of, urls_of
from reader.feeds.config import Feed, FeedConfigError, load_policy
from reader.feeds.policy import Policy
from reader.feeds.schedule import next_cell, next_refresh
from reader.feeds.status import STATUS_FILE, FeedStatus, StatusStore, iso
from reader.feeds.store import FEEDS_DIR, site_domain
from reader.formatting import fit
from reader.paths import Locations

if TYPE_CHECKING:  # the index's module (numpy) loads only when the articles are counted
    from reader.index_reads import Filed

STATE_WAIT = 2.0
"""Seconds to wait for the read marks while another instance writes them."""
NEVER = "never"

# Column widths; with two spaces between columns a row is at most 100 cells.
_TITLE, _URL, _ARTICLES, _UNREAD, _WHEN, _NEXT, _RESULT = 14, 21, 8, 6, 11, 13, 15


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
    refresh_minutes: int = 30
    """Its interval between background fetches (0: never by itself)."""
    next_refresh: dt.datetime | None = None
    """When the open reader fetches it next by itself; None when ``refresh_minutes`` is 0."""
    next_cell: str = ""
    """That time as the table shows it: ``off``, ``due``, ``14:05``, ``14:05 backoff``."""
    next_note: str = ""
    """Why it is later than usual (backing off and why, a server's Retry-After); "" if not."""
    failures: int = 0
    """Its fetches that failed in a row, up to the last one."""

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
            "refresh_minutes": self.refresh_minutes,
            "next_refresh": iso(self.next_refresh),
            "next_note": self.next_note,
            "failures": self.failures,
        }


def feed_rows(
    locations: Locations,
    feeds: list[Feed],
    policy: Policy | None = None,
    now: dt.datetime | None = None,
    known: tuple[list[Entry], set[str]] | None = None,
) -> tuple[list[FeedRow], list[str]]:
    """The listing's rows, in config order, and warnings (one line each) about what is missing.

    ``policy`` is the config's top-level settings (read from the config file
    when not given); ``now`` the clock the next refreshes are worked out with;
    ``known`` the articles and read keys the open reader holds: counted
    instead of updating the index and reading the marks (seconds at 100,000).
    """
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    statuses = {feed.url: store.get(feed.url) for feed in feeds}
    warnings: list[str] = []
    now = now or dt.datetime.now(dt.UTC)
    if policy is None:
        try:
            policy = load_policy(locations.feeds_config_path)
        except FeedConfigError as exc:
            warnings.append(f"refresh settings left at their defaults: {exc}")
            policy = Policy()
    tally: Tally | None = {}
    read: set[str] | None = set()
    if any(status.domain for status in statuses.values()):  # else no article can be a feed's
        if known is None:
            tally, read, warned = _counted(locations)
            warnings += warned
        else:
            read = known[1]
            tally = _tally(_filed_rows(known[0]), read)
    found = _counts_by_feed(tally or {}, statuses)
    rows = []
    for feed in feeds:
        status = statuses[feed.url]
        articles, unread = found.get(feed.url, (0, 0))
        refresh = next_refresh(feed, policy, status, now)
        rows.append(
            FeedRow(
                title=feed.name or status.title or site_domain(feed.url),
                url=feed.url,
                topics=feed.topics,
                articles=None if tally is None else articles,
                unread=None if tally is None or read is None else unread,
                last_fetch=status.fetched_at,
                last_result=_result(status),
                ok=status.ok and status.fetched_at is not None,
                refresh_minutes=feed.policy(policy).refresh_minutes,
                next_refresh=refresh.when,
                next_cell=next_cell(refresh, now),
                next_note=refresh.note,
                failures=status.failures,
            )
        )
    return rows, warnings


def _result(status: FeedStatus) -> str:
    """The last fetch's result in words (an older record without one says ok or failed)."""
    if status.fetched_at is None:
        return NEVER
    return status.result or ("ok" if status.ok else "failed")


def _counted(locations: Locations) -> tuple[Tally | None, set[str] | None, list[str]]:
    """The indexed articles under ``<cache>/feeds`` counted (None: unknown), the read marks (None:
    unreadable) and warnings about either."""
    if not (locations.cache / FEEDS_DIR).is_dir():
        return {}, set(), []
    from reader.index_db import describe
    from reader.library import Source

    read, problem = _read_marks(locations)
    warnings = [f"unread counts left out: cannot read the marks: {problem}"] if problem else []
    source = Source(locations)
    try:
        source.scan_first_look()
        return _tally(source.index.filed_under(FEEDS_DIR), read), read, warnings
    except sqlite3.Error as exc:
        problem = f"cannot index {locations.cache}: {describe(exc, locations.index_path)}"
    except OSError as exc:
        problem = f"cannot index {locations.cache}: {exc.strerror or exc}"
    finally:
        source.index.close()
    return None, read, [f"article counts left out: {problem}", *warnings]


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


Tally = dict[str, dict[str, list[int]]]
"""Per folder under ``feeds/`` (a feed's domain), per provider name: [articles, unread]."""


FILED_PIECE = 50_000
"""The open reader's rows whose paths are asked for at a time (see :func:`_filed_rows`)."""


def _filed_rows(entries: list[Entry]) -> Iterator[Filed]:
    """Those of the open reader's ``entries`` filed under ``feeds/``, with their paths and URLs:
    asked for a piece at a time (:func:`reader.entry.paths_of`), as the rows may leave them in
    the index, where one at a time a million took minutes."""
    from reader.index_reads import Filed  # loaded where the open reader has it already

    for at in range(0, len(entries), FILED_PIECE):
        piece = entries[at : at + FILED_PIECE]
        for path, url, entry in zip(paths_of(piece), urls_of(piece), piece):
            if path.startswith(f"{FEEDS_DIR}/"):
                yield Filed(path, entry.provider, url)


def _tally(entries: Iterable[Entry | Filed], read: set[str] | None) -> Tally:
    """``entries`` counted by folder and provider as they come, none of them kept: a million
    held at once cost the listing 390 MiB. Unread: not in ``read`` (all of them without it)."""
    tally: Tally = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    marks = read or frozenset()
    for entry in entries:
        counts = tally[entry.path.split("/", 2)[1]][entry.provider]
        counts[0] += 1
        counts[1] += entry_key(entry) not in marks
    return tally


def _counts_by_feed(tally: Tally, statuses: dict[str, FeedStatus]) -> dict[str, tuple[int, int]]:
    """Each feed's (articles, unread): those in its folder, and with its provider name if it
    shares the folder with another feed."""
    sharing: dict[str, int] = defaultdict(int)
    for status in statuses.values():
        if status.domain:
            sharing[status.domain] += 1
    found: dict[str, tuple[int, int]] = {}
    for url, status in statuses.items():
        if not status.domain:
            continue
        providers = tally.get(status.domain, {})
        if sharing[status.domain] > 1:
            providers = {status.provider: providers.get(status.provider, [0, 0])}
        counted = list(providers.values())
        found[url] = (sum(c[0] for c in counted), sum(c[1] for c in counted))
    return found


def table_lines(rows: list[FeedRow]) -> list[str]:
    """The listing as a header and one line per feed, each at most 100 cells wide."""
    lines = [
        _line(
            "TITLE",
            "URL",
            "ARTICLES".rjust(_ARTICLES),
            "UNREAD".rjust(_UNREAD),
            "LAST FETCH",
            "NEXT",
        )
        + "RESULT"
    ]
    for row in rows:
        when = NEVER
        if row.last_fetch is not None:
            when = row.last_fetch.astimezone().strftime("%m-%d %H:%M")
        result = "" if row.last_fetch is None else fit(row.last_result, _RESULT).rstrip()
        lines.append(
            _line(
                row.title,
                row.url,
                _count(row.articles).rjust(_ARTICLES),
                _count(row.unread).rjust(_UNREAD),
                when,
                row.next_cell,
            )
            + result
        )
    return [text.rstrip() for text in lines]


def _line(title: str, url: str, articles: str, unread: str, when: str, after: str) -> str:
    cells = [
        fit(title, _TITLE),
        fit(url, _URL),
        fit(articles, _ARTICLES),
        fit(unread, _UNREAD),
        fit(when, _WHEN),
        fit(after, _NEXT),
    ]
    return "  ".join(cells) + "  "


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)
