"""Topic hygiene: feeds' machine categories stay in the file but are not offered as topics."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import write_article

from reader.article_text import article_text, as_json, as_text
from reader.articles import load_article
from reader.entry import is_machine_tag, offered_topics, topics_of
from reader.feeds.parse import FeedEntry
from reader.feeds.store import ArticleWriter
from reader.index import Index, index_path_for
from reader.query import parse_query, row_check
from reader.scopes import Counts

KEPT = [
    "AI",
    "Machine Learning",
    "COVID-19",
    "Covid-19: the response",  # a person puts a space after the colon
    "AI: ethics",
    "AI | ethics",
    "Star Trek:Discovery",  # the key has a space: not a machine key
    "C++",
    "Web 3.0",
    "2024 elections",
    "iOS 10",
    "html5",
    "en-US",  # a bare locale has the shape of G-20 or X-Men: kept
    "G-20",
    ":colon first",
    "ends with:",
]

DROPPED = [
    "storytype:standard",
    "structure:eg-general",
    "language|en-US",
    "provider_name|Engadget",
    "site|engadget",
    "5.9",
    "123",
    "2024",
    "-3",
    "1,000",
    " 2024 ",  # judged on the stripped name
    "tag:Machine Learning",  # a machine key, whatever the value
    "https://example.org/a",
]


@pytest.mark.parametrize("name", KEPT)
def test_real_topics_are_kept(name: str) -> None:
    assert not is_machine_tag(name)


@pytest.mark.parametrize("name", DROPPED)
def test_machine_tags_are_dropped(name: str) -> None:
    assert is_machine_tag(name)


def test_offered_topics_keeps_order() -> None:
    assert offered_topics(["Science", "5.9", "AI", "site|x", "Web 3.0"]) == [
        "Science",
        "AI",
        "Web 3.0",
    ]


MACHINE = ["storytype:standard", "language|en-US", "5.9", "site|engadget"]


def test_index_offers_only_real_topics(tmp_path: Path) -> None:
    """The index row, the sidebar counts and ``topic:`` leave machine tags out; the file keeps
    them."""
    cache = tmp_path / "cache"
    path = write_article(
        cache, "tagged.md", "Body", title="Tagged", topics=["Gadgets", *MACHINE, "AI"]
    )
    write_article(cache, "plain.md", "Body", title="Plain", topics=["AI"])
    before = path.read_bytes()
    index = Index(cache, index_path_for(cache))
    try:
        index.scan()
        entries = index.entries()
    finally:
        index.close()
    tagged = next(e for e in entries if e.path == "tagged.md")
    assert topics_of(tagged) == ["Gadgets", "AI"]
    counts = Counts(entries, set(), set()).topics()
    assert [(name, total) for name, total, _ in counts] == [("AI", 2), ("Gadgets", 1)]
    for name in MACHINE:
        check = row_check(parse_query(f'topic:"{name}"'))
        assert not [e for e in entries if check(e)]
    assert path.read_bytes() == before
    assert load_article(path).topics == ("Gadgets", *MACHINE, "AI")


def test_feed_topic_from_config_comes_first(tmp_path: Path) -> None:
    """A feed's configured topic leads its articles' topics, even when the feed spells it too."""
    entry = FeedEntry(
        key="k1",
        title="Gadget news",
        url="https://example.org/1",
        summary="",
        published=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        categories=("site|engadget", "gadgets", "Phones"),
    )
    path = ArticleWriter(tmp_path).write(
        entry, feed_title="Example", domain="example.org", topics=["Gadgets"]
    )
    assert path is not None
    topics = load_article(path).topics
    assert topics == ("Gadgets", "site|engadget", "Phones")
    assert offered_topics(topics) == ["Gadgets", "Phones"]


def test_the_printed_article_lists_only_offered_topics_and_json_keeps_the_file(
    tmp_path: Path,
) -> None:
    path = write_article(
        tmp_path, "a.md", "Body.", title="T", topics=["AI", "storytype:standard", "5.9"]
    )
    article = load_article(path)
    text = article_text(article, None)
    assert "Topics: AI\n" in as_text(article, text) + "\n"
    assert json.loads(as_json(article, text))["topics"] == ["AI", "storytype:standard", "5.9"]
