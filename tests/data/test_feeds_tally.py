"""``feeds list`` counts each feed's articles as the index gives them, none of them kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from conftest import write_article

from reader.feeds.listing import _counts_by_feed, _tally
from reader.feeds.status import FeedStatus
from reader.index import Index, index_path_for
from reader.index_reads import Filed


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
