"""The background refresh's schedule: due feeds, back-off, Retry-After and max-age, with a clock.

Pure functions of a feed's settings and recorded status (no server, no
terminal): :mod:`reader.feeds.schedule`, and the status fields the fetcher
records for it (:mod:`reader.feeds.status`).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import pytest

from reader.feeds.config import Feed, save_feeds
from reader.feeds.policy import Policy
from reader.feeds.refresh import due_now, refresh_words
from reader.feeds.schedule import (
    BACKOFF,
    BACKOFF_CAP,
    DUE,
    MAX_AGE,
    MAX_WAIT,
    OFF,
    RETRY_AFTER,
    backoff_interval,
    due_feeds,
    held_until,
    max_age_seconds,
    next_cell,
    next_refresh,
    refresh_summary,
    retry_after_seconds,
)
from reader.feeds.status import STATUS_FILE, FeedStatus, StatusStore
from reader.paths import Locations

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
FEED = Feed("https://example.org/feed.xml")
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def utc_local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Clock times are shown in local time: make it UTC, so 12:00 reads 12:00."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def fetched(minutes_ago: float, **fields) -> FeedStatus:
    return FeedStatus(fetched_at=NOW - minutes_ago * MINUTE, ok=True, result="ok: 1 new", **fields)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("Thu, 26 Nov 2026 12:30:00 GMT", 1800.0),  # an HTTP-date
        ("Thu, 26 Nov 2026 11:00:00 GMT", 0.0),  # in the past: ask again now
        ("999999999", MAX_WAIT.total_seconds()),  # capped
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_WAIT.total_seconds()),
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date_capped(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("max-age=600", 600.0),
        ("public, max-age=3600, must-revalidate", 3600.0),
        ('max-age="60"', 60.0),
        ("MAX-AGE=60", 60.0),
        ("max-age=9999999", MAX_WAIT.total_seconds()),
        ("no-cache, max-age=600", None),
        ("max-age=600, no-store", None),
        ("max-age=ten", None),
        ("public", None),
        ("", None),
        (None, None),
    ],
)
def test_max_age_is_read_from_cache_control_and_capped(value, seconds):
    assert max_age_seconds(value) == seconds


def test_a_feed_never_fetched_is_due_and_refresh_0_is_off():
    assert next_refresh(FEED, Policy(), FeedStatus(), NOW).kind == DUE
    assert next_refresh(FEED, Policy(), FeedStatus(), NOW).is_due(NOW)
    off = next_refresh(FEED, Policy(refresh_minutes=0), FeedStatus(), NOW)
    assert (off.when, off.kind, off.is_due(NOW)) == (None, OFF, False)
    own = Feed(FEED.url, overrides=(("refresh_minutes", 0),))
    assert next_refresh(own, Policy(refresh_minutes=5), FeedStatus(), NOW).kind == OFF
    assert next_cell(off, NOW) == "off"


def test_a_feed_is_due_its_refresh_minutes_after_its_last_fetch():
    status = fetched(29)
    refresh = next_refresh(FEED, Policy(), status, NOW)
    assert refresh.when == NOW + MINUTE and refresh.kind == "" and refresh.note == ""
    assert not refresh.is_due(NOW) and refresh.is_due(NOW + MINUTE)
    # A feed's own setting wins over the top-level one.
    hourly = Feed(FEED.url, overrides=(("refresh_minutes", 60),))
    assert next_refresh(hourly, Policy(refresh_minutes=5), status, NOW).when == NOW + 31 * MINUTE


def test_a_failing_feed_backs_off_doubling_capped_and_a_success_resets_it():
    assert [backoff_interval(30, n) / MINUTE for n in range(7)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        BACKOFF_CAP / MINUTE,
    ]
    assert backoff_interval(30, 500) == BACKOFF_CAP
    assert backoff_interval(3000, 5) == dt.timedelta(minutes=3000)  # never below its own interval
    failing = FeedStatus(fetched_at=NOW, ok=False, result="HTTP 500 Internal Server Error")
    failing = FeedStatus(**{**failing.__dict__, "failures": 3})
    refresh = next_refresh(FEED, Policy(), failing, NOW)
    assert refresh.when == NOW + 240 * MINUTE and refresh.kind == BACKOFF
    assert refresh.note == "backing off after 3 failures: HTTP 500 Internal Server Error"
    assert next_cell(refresh, NOW) == "16:00 backoff"


def test_the_status_store_counts_failures_in_a_row_and_remembers_what_servers_asked(tmp_path):
    store = StatusStore(tmp_path / STATUS_FILE, tmp_path / "cache")
    url = FEED.url
    store.record(url, ok=False, result="HTTP 503", when=NOW, retry_after=600)
    store.record(url, ok=False, result="HTTP 503", when=NOW, retry_after=600)
    assert store.get(url).failures == 2
    assert store.get(url).not_before == NOW + 10 * MINUTE
    store.save()
    again = StatusStore(tmp_path / STATUS_FILE, tmp_path / "cache").get(url)
    assert (again.failures, again.not_before, again.ok) == (2, NOW + 10 * MINUTE, False)
    store.record(url, ok=True, result="ok: 2 new", when=NOW, max_age=3600)
    assert store.get(url).failures == 0 and store.get(url).not_before is None
    assert store.get(url).fresh_until == NOW + 60 * MINUTE
    store.record(url, ok=True, result="not modified", when=NOW)
    assert store.get(url).fresh_until is None
    # Hand-edited or older files read: odd values are left out.
    odd = {"caches": {str((tmp_path / "cache").absolute()): {url: {"failures": "many"}}}}
    (tmp_path / STATUS_FILE).write_text(json.dumps(odd), encoding="utf-8")
    assert StatusStore(tmp_path / STATUS_FILE, tmp_path / "cache").get(url).failures == 0


def test_retry_after_holds_a_feed_until_then_even_past_its_interval():
    asked = fetched(5, failures=1, not_before=NOW + 3 * dt.timedelta(hours=1))
    refresh = next_refresh(FEED, Policy(refresh_minutes=1), asked, NOW)
    assert refresh.when == NOW + dt.timedelta(hours=3) and refresh.kind == RETRY_AFTER
    assert refresh.note.startswith("the server asked to wait (Retry-After)")
    assert held_until(asked, NOW) == NOW + dt.timedelta(hours=3)
    assert held_until(asked, NOW + dt.timedelta(hours=4)) is None
    assert held_until(fetched(5), NOW) is None


def test_max_age_keeps_a_feed_fresh_past_its_interval_but_not_shorter():
    fresh = fetched(30, fresh_until=NOW + 90 * MINUTE)
    refresh = next_refresh(FEED, Policy(), fresh, NOW)
    assert (refresh.when, refresh.kind) == (NOW + 90 * MINUTE, MAX_AGE)
    short = fetched(10, fresh_until=NOW - 5 * MINUTE)
    assert next_refresh(FEED, Policy(), short, NOW).when == NOW + 20 * MINUTE


def test_due_feeds_keeps_config_order_and_leaves_out_the_rest():
    a, b, c, d = (Feed(f"https://{name}.example/feed") for name in "abcd")
    statuses = {
        a.url: fetched(31),  # past its 30 minutes
        b.url: fetched(10),  # not yet
        # c: never fetched
        d.url: fetched(300, failures=4),  # 30 × 16 = 480 minutes: backing off
    }
    assert due_feeds([a, b, c, d], Policy(), statuses, NOW) == [a, c]
    assert due_feeds([a, b, c, d], Policy(refresh_minutes=0), statuses, NOW) == []
    later = NOW + dt.timedelta(hours=4)
    assert due_feeds([a, b, c, d], Policy(), statuses, later) == [a, b, c, d]


def test_refresh_summary_says_what_arrived_and_which_feed_fails_and_when_it_is_tried_again():
    new = {"u1": 2, "u2": 1, "u3": 0}
    assert refresh_summary(new, [], {}, {}, NOW) == "Refreshed 12:00: 3 new articles from 2 feeds"
    assert refresh_summary({"u1": 0}, [], {}, {}, NOW) == "Refreshed 12:00: nothing new"
    failing = [("u4", "HTTP 503 Service Unavailable"), ("u5", "timed out after 20 s")]
    text = refresh_summary({"u1": 1}, failing, {"u4": "Harbour"}, {"u4": NOW + 20 * MINUTE}, NOW)
    assert text == (
        "Refreshed 12:00: 1 new article from 1 feed · Harbour failing: "
        "HTTP 503 Service Unavailable (retrying in 20 min) · 1 more failing "
        "(newsreader feeds list says why)"
    )


def test_due_now_and_refresh_words_read_the_config_and_status(tmp_path):
    locations = Locations(cache=tmp_path / "cache", config=tmp_path / "c", data=tmp_path / "d")
    assert due_now(locations, NOW) == []  # no config, no feeds: nothing to do
    one, two = Feed("https://one.example/f", name="One"), Feed("https://two.example/f")
    save_feeds(locations.feeds_config_path, [one, two])
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    store.record(one.url, ok=True, result="ok: 1 new", when=NOW - 5 * MINUTE)
    store.record(two.url, ok=False, result="HTTP 500", when=NOW - 5 * MINUTE)
    store.save()
    assert due_now(locations, NOW) == []
    assert due_now(locations, NOW + 26 * MINUTE) == [one]  # two backs off to 60 minutes
    assert due_now(locations, NOW + 56 * MINUTE) == [one, two]
    words = refresh_words(locations, {one.url: 0}, [(two.url, "HTTP 500")], [one, two], NOW)
    assert (
        words == "Refreshed 12:00: nothing new · two.example failing: HTTP 500 (retrying in 55 min)"
    )
