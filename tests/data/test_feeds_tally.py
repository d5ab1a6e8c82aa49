"""``feeds list`` counts each feed's articles as the index gives them, none of them kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article

from reader import library
from reader.feeds.listing import _counts_by_feed, _tally
from reader.feeds.status import FeedStatus
from reader.index import Index, index_path_for
from reader.index_reads import Filed
from reader.library import Source
from reader.paths import Locations


def _filed(path: str, provider: str, url: str | None) -> Filed:
    return Filed(path, provider, url)


ROWS = [
    _filed("feeds/science.example/a.md", "Science Desk", "https://science.example/a"),
    _filed("feeds/science.example/b.md", "Science Desk", "https://science.example/b"),
    _filed("feeds/science.example/c.md", "Second Desk", "https://science.example/c"),
    _filed("feeds/science.example/d.md", "Second Desk", None),  # keyed by its path
    _filed("feeds/solo.example/e.md", "Solo", "https://solo.example/e"),
    _filed("feeds/loose.md", "Loose", "https://loose.example/"),  # in no site's folder
]


def test_counts_are_made_as_the_rows_come_and_none_is_kept() -> None:
    seen: list[int] = []

    def one_at_a_time() -> Iterator[Filed]:
        for at, row in enumerate(ROWS):
            seen.append(at)
            yield row

    read = {"https://science.example/b", "feeds/science.example/d.md", "https://solo.example/e"}
    tally = _tally(one_at_a_time(), read)
    assert seen == list(range(len(ROWS)))
    assert tally["science.example"] == {"Science Desk": [2, 1], "Second Desk": [2, 1]}
    assert tally["solo.example"] == {"Solo": [1, 0]}
    assert _tally(ROWS, None)["science.example"]["Second Desk"] == [2, 2]


def test_each_feed_counts_its_folder_and_its_provider_where_it_shares_one() -> None:
    statuses = {
        "https://science.example/one.xml": FeedStatus(
            domain="science.example", provider="Science Desk"
        ),
        "https://science.example/two.xml": FeedStatus(
            domain="science.example", provider="Second Desk"
        ),
        "https://solo.example/feed.xml": FeedStatus(domain="solo.example", provider="Other name"),
        "https://empty.example/feed.xml": FeedStatus(domain="empty.example"),
        "https://never.example/feed.xml": FeedStatus(),
    }
    found = _counts_by_feed(_tally(ROWS, {"https://science.example/a"}), statuses)
    assert found == {
        "https://science.example/one.xml": (2, 1),
        "https://science.example/two.xml": (2, 2),
        "https://solo.example/feed.xml": (1, 1),  # alone in its folder: the provider is not asked
        "https://empty.example/feed.xml": (0, 0),
    }


def test_the_index_gives_the_filed_rows_one_at_a_time(cache: Path) -> None:
    for name in ("a.md", "b.md"):
        write_article(cache / "feeds" / "site.example", name, "Body.", title=name)
    write_article(cache, "elsewhere.md", "Body.", title="Not a feed's")
    index = Index(cache, index_path_for(cache))
    try:
        index.scan(workers=1)
        rows = index.filed_under("feeds")
        first = next(rows)  # an iterator: nothing read ahead of the caller
        assert first.path == "feeds/site.example/a.md"
        assert [row.path for row in rows] == ["feeds/site.example/b.md"]
    finally:
        index.close()


def test_a_fetch_beside_the_reader_takes_the_feed_urls_from_a_big_index(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        write_article(
            cache / "feeds" / "site.example",
            f"{n}.md",
            title=f"T{n}",
            webUrl=f"https://site.example/{n}",
        )
    write_article(cache, "mine.md", title="Mine", webUrl="https://elsewhere.example/")
    source = Source(Locations(cache=cache, config=tmp_path / "config", data=tmp_path / "data"))
    try:
        source.scan()
        assert source.feed_urls() is None  # a small folder: its files are read, as exact
        monkeypatch.setattr(library, "FEED_URLS_FROM", 3)
        known = source.feed_urls()
        assert known is not None and len(known) == 3
        assert all(f"https://site.example/{n}" in known for n in range(3))
        assert "https://elsewhere.example/" not in known  # not a feed's
        assert "https://site.example/9" not in known and None not in known
        known.add("https://site.example/9")  # written by this fetch
        assert "https://site.example/9" in known
        source.index.bulk_indexing = True  # an index being built has only some of them
        assert source.feed_urls() is None
        source.index.bulk_indexing = False
        source.index.close()
        assert source.feed_urls() is not None  # read on a connection of its own
        db = source.index.db_path
        for leftover in db.parent.glob(db.name + "-*"):
            leftover.unlink()
        db.write_bytes(b"not a database" * 512)
        assert source.feed_urls() is None  # unreadable: the files are read instead
    finally:
        source.index.close()
