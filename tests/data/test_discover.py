"""Autodiscovery: what a pasted address is, against a site served on 127.0.0.1.

The site (``tests/discover_server.py``) has pages naming feeds by relative,
absolute, protocol-relative and ``<base>``-resolved links, links that must be
ignored (``javascript:``, a stylesheet, an HTML alternate, one in the body),
a page naming none, a feed, a feed mislabelled as HTML, a text file, a 404
and a slow page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from discover_server import DiscoverServer, serving

from reader.feeds.discover import (
    Candidate,
    DiscoverError,
    DiscoverStopped,
    feed_links,
    is_page,
    names_a_feed,
    probe,
)
from reader.feeds.limits import Limits


@pytest.fixture(scope="module")
def site() -> Iterator[DiscoverServer]:
    with serving() as server:
        yield server


def test_a_page_lists_its_feeds_in_order_resolving_relative_links(site):
    found = probe(site.url("/"))
    assert found.page and not found.warning
    assert found.feeds == (
        Candidate(site.url("/feed.xml"), "Example posts", "Atom"),
        Candidate(site.url("/comments.rss"), "Comments", "RSS"),
        Candidate(site.url("/feed.json"), "JSON & more", "JSON Feed"),
    )  # javascript:, the stylesheet, the HTML alternate, the repeat and the body's link left out


def test_base_href_resolves_the_links():
    html = '<html><head><base href="/blog/"><link rel=alternate type=application/rss+xml href=rss>'
    assert feed_links(html, "https://example.org/x/y") == [
        Candidate("https://example.org/blog/rss", "", "RSS")
    ]


def test_only_http_links_are_kept():
    html = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{href}">'
        for href in (
            "javascript:alert(1)",
            "data:text/xml,<rss/>",
            "file:///etc/passwd",
            "ftp://x/",
        )
    )
    assert feed_links(html, "https://example.org/") == []


def test_a_page_with_one_feed(site):
    found = probe(site.url("/one/"))
    assert found.page and found.feeds == (Candidate(site.url("/blog/rss.xml"), "Blog", "RSS"),)


def test_a_page_without_feeds_is_a_clear_error(site):
    with pytest.raises(DiscoverError, match=r"is a web page that names no feed") as caught:
        probe(site.url("/plain/"))
    assert "\n" not in str(caught.value)


def test_a_feed_is_checked_by_parsing_it_and_gives_its_title(site):
    found = probe(site.url("/feed.xml"))
    assert not found.page and found.feeds == (Candidate(site.url("/feed.xml"), "Atom Chronicle"),)


def test_a_feed_sent_as_html_is_still_a_feed(site):
    found = probe(site.url("/mislabeled"))
    assert not found.page and found.feeds[0].url == site.url("/mislabeled")


def test_something_else_is_not_a_feed(site):
    with pytest.raises(DiscoverError, match=r"notes\.txt is not a feed: "):
        probe(site.url("/notes.txt"))


def test_a_failed_download_is_a_warning_not_a_verdict(site):
    found = probe(site.url("/gone"))
    assert found.warning == "HTTP 404 Not Found"
    assert found.feeds == (Candidate(site.url("/gone")),)


def test_the_timeout_holds(site):
    started = time.monotonic()
    found = probe(site.url("/slow"), Limits(timeout=0.5))
    assert found.warning == "timed out after 0.5 s"
    assert time.monotonic() - started < 2.5  # the page takes 3 s


def test_a_stop_ends_the_download_at_once(site):
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(DiscoverStopped):
        probe(site.url("/slow"), stop=stop)
    assert time.monotonic() - started < 2.0  # the page takes 3 s


def test_pages_and_feeds_are_told_apart():
    assert is_page(b"\xef\xbb\xbf  <!DOCTYPE html><html>", "")
    assert is_page(b"<head><title>x</title>", "text/html")
    assert not is_page(b'<?xml version="1.0"?><rss>', "text/html")
    assert not is_page(b"<feed xmlns=...>", "text/html; charset=utf-8")
    assert not is_page(b"<rss>", "application/rss+xml")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/feed.xml", True),
        ("https://example.org/blog/feed/", True),
        ("https://example.org/rss", True),
        ("https://example.org/?feed=rss2", True),
        ("https://example.org/feeds/posts/default", True),
        ("https://example.org/", False),
        ("https://example.org/blog/", False),
        ("https://hnrss.org/frontpage", False),
    ],
)
def test_addresses_that_name_a_feed_are_added_without_asking(url, expected):
    assert names_a_feed(url) is expected
