"""Unit tests of the feed data layer: text cleaning, parsing, paths, TOML, error wording."""

from __future__ import annotations

import datetime as dt
import json
import socket

import httpx
import pytest
import yaml

from reader.feeds.http import Limits, describe_error
from reader.feeds.parse import FeedEntry, FeedParseError, parse_document, parse_json_feed
from reader.feeds.store import article_data, render, site_domain, stable_id
from reader.feeds.text import absolute_web_url, excerpt, html_to_text, shorten


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


def test_html_to_text_keeps_visible_text_only():
    html = (
        "<p>One&nbsp;&amp; <b>two</b></p><script>var x = '<p>';</script>"
        "<style>p{}</style>\n<li>three</li>"
    )
    assert html_to_text(html) == "One & two three"
    assert html_to_text("plain   text\twith\nspaces") == "plain text with spaces"
    assert html_to_text("a<br>b<br/>c") == "a b c"
    assert html_to_text(None) == "" and html_to_text(42) == ""


def test_shorten_cuts_on_a_word_boundary():
    text = " ".join(f"word{i}" for i in range(200))
    short = shorten(text, 100)
    assert short.endswith("…") and len(short) <= 101
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "
    assert shorten("short enough", 100) == "short enough"
    assert shorten("x" * 500, 100) == "x" * 100 + "…"  # no space to cut at
    assert excerpt("<p>" + "abc " * 200 + "</p>").endswith("…")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("/relative/path", "https://base.example/relative/path"),
        ("javascript:alert(1)", None),
        ("  JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("file:///etc/passwd", None),
        ("https://exa mple.org/", None),
        ("", None),
        (None, None),
    ],
)
def test_only_web_links_survive(value, expected):
    assert absolute_web_url(value, "https://base.example/feed.xml") == expected


@pytest.mark.parametrize(
    ("urls", "domain"),
    [
        (("https://www.Example.org/x",), "example.org"),
        (("http://127.0.0.1:8080/feed",), "127.0.0.1"),
        ((None, "not a url", "https://news.example.com/"), "news.example.com"),
        (("http://../",), "unknown"),
        (("http://..%2f..%2fetc/",), "_2f.._2fetc"),
        ((), "unknown"),
    ],
)
def test_site_domain_is_a_safe_folder_name(urls, domain):
    result = site_domain(*urls)
    assert result == domain
    assert "/" not in result and result not in (".", "..")


def test_stable_id_is_short_and_stable():
    assert stable_id("guid-1") == stable_id("guid-1") != stable_id("guid-2")
    assert len(stable_id("x")) == 16 and int(stable_id("x"), 16) >= 0


def test_rendered_article_is_valid_yaml_whatever_the_title():
    entry = FeedEntry(
        key="k",
        title='"quoted": [not, a, list] # and --- more',
        summary="s" * 50,
        url="https://example.org/a",
        published=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        categories=("Extra", "topic"),
    )
    data = article_data(entry, feed_title="Feed: name", domain="example.org", topics=["Topic"])
    text = render(data)
    assert text.startswith("---\n") and text.endswith("\n---\n")
    loaded = yaml.safe_load(text.split("---\n")[1])
    assert loaded == data
    assert loaded["publishedDateTime"] == "2024-01-02T03:04:05Z"
    assert loaded["topics"] == ["Topic", "Extra"]
    assert list(loaded) == [
        "category",
        "title",
        "excerpt",
        "publishedDateTime",
        "webUrl",
        "type",
        "provider",
        "topics",
    ]


def test_escaped_markup_in_a_summary_is_text_not_html():
    parsed = parse_document(
        b'<rss version="2.0"><channel><title>T</title><link>https://t.example/</link><item>'
        b"<title>Use &amp;lt;b&amp;gt; tags</title><link>https://t.example/1</link>"
        b"<description>Write &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp;amp;amp; more"
        b"</description>"
        b"</item></channel></rss>",
        "https://t.example/feed",
        "application/rss+xml",
    )
    data = article_data(parsed.entries[0], feed_title="T", domain="t.example", topics=[])
    assert data["title"] == "Use <b> tags"
    assert data["excerpt"] == "Write <b>bold</b> &amp; more"


def test_long_urls_stay_on_one_line_so_the_url_index_finds_them():
    url = "https://example.org/" + "a" * 300
    entry = FeedEntry(key="k", title="t", summary="", url=url, published=None)
    text = render(article_data(entry, feed_title="", domain="example.org", topics=[]))
    assert f"webUrl: {url}\n" in text


def test_json_feed_rejections():
    with pytest.raises(FeedParseError, match="not valid JSON"):
        parse_json_feed(b"{nope", "https://x.example/")
    with pytest.raises(FeedParseError, match="without a JSON Feed version"):
        parse_json_feed(json.dumps({"items": []}).encode(), "https://x.example/")
    with pytest.raises(FeedParseError, match="without an items list"):
        parse_json_feed(
            json.dumps({"version": "https://jsonfeed.org/version/1.1"}).encode(),
            "https://x.example/",
        )


def test_json_feed_1_0_and_odd_items():
    body = json.dumps(
        {
            "version": "http://jsonfeed.org/version/1",  # as many 1.0 feeds say
            "title": "Old",
            "items": [
                {
                    "id": "a",
                    "url": "https://x.example/a",
                    "title": "A",
                    "date_published": "2020-01-01T00:00:00",
                },
                "not an item",
                {
                    "id": None,
                    "url": "https://x.example/b",
                    "content_html": "<p>B</p>",
                    "date_published": "yesterday",
                    "tags": "not-a-list",
                },
            ],
        }
    ).encode()
    parsed = parse_document(b"\xef\xbb\xbf" + body, "https://x.example/feed.json", "text/plain")
    assert [e.url for e in parsed.entries] == ["https://x.example/a", "https://x.example/b"]
    assert parsed.entries[0].published == dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    assert parsed.entries[1].published is None and parsed.entries[1].categories == ()
    assert parsed.entries[1].key == "https://x.example/b" and parsed.entries[1].summary == "B"


def test_xml_that_is_not_a_feed():
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_document(b'<?xml version="1.0"?><note><to>x</to></note>', "https://x.example/")
    with pytest.raises(FeedParseError, match="HTML page"):
        parse_document(b"  <!DOCTYPE html><html></html>", "https://x.example/")


def test_a_valid_feed_with_no_entries_is_not_an_error():
    parsed = parse_document(
        b'<rss version="2.0"><channel><title>Empty</title></channel></rss>', "https://x.example/"
    )
    assert parsed.title == "Empty" and parsed.entries == []


def test_bytes_that_look_like_a_path_are_parsed_not_opened(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text(
        '<rss version="2.0"><channel><item><title>leak</title></item></channel></rss>'
    )
    with pytest.raises(FeedParseError):
        parse_document(str(secret).encode(), "https://x.example/")


def _connect_error(cause: BaseException) -> httpx.ConnectError:
    try:
        try:
            raise cause
        except OSError as exc:
            raise httpx.ConnectError("All connection attempts failed") from exc
    except httpx.ConnectError as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (httpx.ReadTimeout("x"), "timed out after 7 s"),
        (httpx.TooManyRedirects("x"), "too many redirects (more than 5)"),
        (httpx.UnsupportedProtocol("x"), "not an http(s) URL"),
        (
            _connect_error(socket.gaierror(-2, "Name or service not known")),
            "cannot resolve the host name (DNS)",
        ),
        (_connect_error(ConnectionRefusedError(111, "refused")), "connection refused"),
        (
            httpx.RemoteProtocolError("peer closed\nconnection"),
            "the server broke the HTTP protocol: peer closed connection",
        ),
    ],
)
def test_error_reasons_are_one_readable_line(exc, reason):
    text = describe_error(exc, Limits(timeout=7))
    assert text.startswith(reason) and "\n" not in text
