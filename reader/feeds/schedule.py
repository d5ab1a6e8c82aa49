"""When the open reader fetches each feed next, and what the servers asked for.

Pure functions of a feed's ``refresh_minutes``, its recorded
:class:`~reader.feeds.status.FeedStatus` and a clock, so they are tested
without a server or a terminal. A feed is due ``refresh_minutes`` after its
last fetch, later when it keeps failing (the interval doubles with each
consecutive failure, up to :data:`BACKOFF_CAP`; a success resets it), when
its server answered 429 or 503 with ``Retry-After`` (not asked again before
that time, even by an explicit fetch), or when its last answer said
``Cache-Control: max-age`` (its copy stays fresh until then). What a server
asks for is capped at :data:`MAX_WAIT`: a typo or a hostile header must not
silence a feed for a year.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reader.feeds.config import Feed
from reader.feeds.policy import Policy
from reader.feeds.status import FeedStatus

MAX_WAIT = dt.timedelta(hours=24)
"""The longest a ``Retry-After`` or ``max-age`` is honoured for."""
BACKOFF_CAP = dt.timedelta(hours=24)
"""The longest interval a failing feed backs off to (unless its own interval is longer)."""
_MAX_DOUBLINGS = 16

OFF, DUE, BACKOFF, RETRY_AFTER, MAX_AGE = "off", "due", "backoff", "retry-after", "max-age"


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """A ``Retry-After`` header in seconds from ``now`` (delta-seconds or HTTP-date), capped.

    None when there is no usable value; a date in the past is 0.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - now).total_seconds()
    return min(max(seconds, 0.0), MAX_WAIT.total_seconds())


def max_age_seconds(cache_control: str | None) -> float | None:
    """``max-age`` of a ``Cache-Control`` header in seconds, capped; None when absent or void.

    ``no-cache`` and ``no-store`` void it: the server wants to be asked every time.
    """
    if not cache_control:
        return None
    age: float | None = None
    for directive in cache_control.lower().split(","):
        name, _, value = directive.strip().partition("=")
        name = name.strip()
        if name in ("no-cache", "no-store"):
            return None
        if name == "max-age":
            value = value.strip().strip('"')
            if not value.isdigit():
                return None
            age = float(value)
    if age is None:
        return None
    return min(age, MAX_WAIT.total_seconds())


@dataclass(frozen=True)
class NextRefresh:
    """When a feed is fetched next by itself, and why not at the usual time."""

    when: dt.datetime | None
    """None when its ``refresh_minutes`` is 0 (never by itself)."""
    kind: str
    """``off``, ``due`` (never fetched), ``""`` (the usual interval), ``backoff``,
    ``retry-after`` or ``max-age``: what decided the time."""
    note: str = ""
    """Why it is later than usual, in words ("" when it is not)."""

    def is_due(self, now: dt.datetime) -> bool:
        return self.when is not None and self.when <= now


def held_until(status: FeedStatus, now: dt.datetime) -> dt.datetime | None:
    """The time the feed's server asked not to be asked before, if it is still ahead."""
    if status.not_before is not None and status.not_before > now:
        return status.not_before
    return None


def backoff_interval(minutes: int, failures: int) -> dt.timedelta:
    """The interval after ``failures`` consecutive failures: doubled each time, capped."""
    usual = dt.timedelta(minutes=minutes)
    if failures <= 0:
        return usual
    longer = usual * (2 ** min(failures, _MAX_DOUBLINGS))
    return min(longer, max(usual, BACKOFF_CAP))


def next_refresh(feed: Feed, policy: Policy, status: FeedStatus, now: dt.datetime) -> NextRefresh:
    """When ``feed`` (with the config's default ``policy``) is fetched next by itself."""
    minutes = feed.policy(policy).refresh_minutes
    if minutes <= 0:
        return NextRefresh(None, OFF)
    if status.fetched_at is None:
        return NextRefresh(now, DUE)
    when, kind, note = status.fetched_at + backoff_interval(minutes, status.failures), "", ""
    if status.failures:
        kind = BACKOFF
        note = f"backing off after {_failures(status.failures)}: {status.result or 'failed'}"
    if status.not_before is not None and status.not_before >= when:
        when, kind = status.not_before, RETRY_AFTER
        note = f"the server asked to wait (Retry-After): {status.result or 'failed'}"
    if status.fresh_until is not None and status.fresh_until > when:
        when, kind, note = status.fresh_until, MAX_AGE, "the server keeps it fresh (max-age)"
    return NextRefresh(when, kind, note)


def due_feeds(
    feeds: Iterable[Feed],
    policy: Policy,
    statuses: Mapping[str, FeedStatus],
    now: dt.datetime,
) -> list[Feed]:
    """The feeds to fetch now, in config order (a feed without a status was never fetched)."""
    return [
        feed
        for feed in feeds
        if next_refresh(feed, policy, statuses.get(feed.url, FeedStatus()), now).is_due(now)
    ]


def _failures(count: int) -> str:
    return "1 failure" if count == 1 else f"{count} failures"


def clock_time(when: dt.datetime, now: dt.datetime) -> str:
    """``HH:MM`` in local time when within the next 20 hours, else ``MM-DD HH:MM``."""
    local = when.astimezone()
    if dt.timedelta(0) <= when - now < dt.timedelta(hours=20):
        return local.strftime("%H:%M")
    return local.strftime("%m-%d %H:%M")


def next_cell(refresh: NextRefresh, now: dt.datetime) -> str:
    """The ``NEXT`` cell of ``feeds list``: ``off``, ``due``, ``14:05``, ``14:05 backoff``."""
    if refresh.when is None:
        return OFF
    if refresh.when <= now:
        return DUE
    text = clock_time(refresh.when, now)
    if refresh.kind in (BACKOFF, RETRY_AFTER):
        text += " backoff"
    return text


def held_line(held: Sequence[tuple[str, dt.datetime]], now: dt.datetime) -> str:
    """One line about the feeds a fetch left alone because their server asked to wait."""
    count = len(held)
    waits = ", ".join(f"{url} (until {clock_time(until, now)})" for url, until in held)
    feeds, its = (f"{count} feed", "its") if count == 1 else (f"{count} feeds", "their")
    return f"{feeds} not asked, as {its} server asked to wait (Retry-After): {waits}"


def wait_words(when: dt.datetime, now: dt.datetime) -> str:
    """``in 20 min``, ``in 3 h``: how long until ``when``, roughly."""
    minutes = max(1, round((when - now).total_seconds() / 60))
    if minutes < 120:
        return f"in {minutes} min"
    return f"in {round(minutes / 60)} h"


def refresh_summary(
    new_by_feed: Mapping[str, int],
    failures: Iterable[tuple[str, str]],
    names: Mapping[str, str],
    retries: Mapping[str, dt.datetime | None],
    now: dt.datetime,
) -> str:
    """What a background refresh brought, for the status line.

    ``3 new articles from 2 feeds`` or ``nothing new``, then the first
    failing feed by name with its reason and when it is tried again.
    """
    new = sum(new_by_feed.values())
    sources = sum(1 for count in new_by_feed.values() if count)
    if new:
        text = f"{new:,} new article{'s' * (new != 1)} from {sources:,} feed{'s' * (sources != 1)}"
    else:
        text = "nothing new"
    text = f"Refreshed {clock_time(now, now)}: {text}"
    failed = list(failures)
    if failed:
        url, reason = failed[0]
        retry = retries.get(url)
        again = f" (retrying {wait_words(retry, now)})" if retry is not None else ""
        text += f" · {names.get(url, url)} failing: {reason[:80]}{again}"
        if len(failed) > 1:
            text += f" · {len(failed) - 1} more failing (newsreader feeds list says why)"
    return text
