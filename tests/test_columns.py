"""Filtering by columns (``reader.columns``) must keep exactly what per-row checks keep."""

from __future__ import annotations

import random

import pytest

from reader.columns import Columns
from reader.entry import TOPIC_SEP, Entry, entry_key
from reader.library import Collection, SortKey
from reader.query import entry_filter, parse_query

DAY = 86400.0
QUERIES = [
    "is:unread", "is:read", "is:starred", "is:unread is:starred",
    "quality:>40", "quality:>=50", "quality:<10", "quality:<=0", "quality:=50", "quality:>10 quality:<60",
    "after:1970-01-03", "before:1970-01-05", "after:1970-01-02 before:1970-01-04 is:unread quality:>20",
    "provider:outlet is:read", "topic:ai is:unread", "topic:Space quality:>0",
]


def _entries(seed: int) -> list[Entry]:
    rng = random.Random(seed)
    rows = []
    for n in range(300):
        rows.append(Entry(
            path=f"f{n}.md", title=f"T{n}", published=rng.choice([None, 1 * DAY, 2.5 * DAY, 3 * DAY, 4 * DAY, 6 * DAY]),
            quality=rng.choice([None, 0, 10, 40, 50, 60, 100]), heat=None,
            provider=rng.choice(["Outlet A", "Other"]), domain="x.test",
            url=None if n % 5 == 0 else f"https://x.test/{n}", type="article",
            topics=TOPIC_SEP.join(rng.sample(["AI", "ai", "Space"], rng.randint(0, 2))), id=n + 1,
        ))
    return rows


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("text", QUERIES)
def test_view_keeps_what_per_row_checks_keep(seed: int, text: str) -> None:
    rows = _entries(seed)
    rng = random.Random(seed)
    read = {entry_key(e) for e in rng.sample(rows, 120)}
    starred = {entry_key(e) for e in rng.sample(rows, 40)}
    query = parse_query(text)
    assert not query.errors
    check = entry_filter(query, read, starred)
    assert check is not None
    for key in SortKey:
        for reverse in (False, True):
            collection = Collection(list(rows))
            expected = [e for e in collection.sorted(key, reverse) if check(e)]
            assert collection.view(key, reverse, None, text, read=read, starred=starred) == expected
            # Asking again uses the columns made the first time and gives the same answer.
            assert collection.view(key, reverse, None, text, read=read, starred=starred) == expected


@pytest.mark.parametrize("matches", [lambda n: n % 3 == 0, lambda n: n % 10 != 0], ids=["few", "most"])
def test_word_matches_combine_with_qualifiers(matches) -> None:
    """Few matches narrow the rows first; most are applied as one more mask: the same rows either way."""
    rows = _entries(7)
    ids = {e.id for e in rows if matches(e.id)}
    kept, rest = Columns(rows).narrowed(parse_query("quality:>40 is:unread"), ids, set(), None)
    assert kept == [e for e in rows if e.id in ids and e.quality is not None and e.quality > 40]
    assert not rest.unread and not rest.quality  # handled: nothing left for per-row checks
    everything, _ = Columns(rows).narrowed(parse_query(""), None, None, None)
    assert everything is rows


def test_warmed_columns_are_the_ones_a_search_uses() -> None:
    rows = _entries(3)
    collection = Collection(list(rows))
    collection.warm(SortKey.QUALITY, True)
    ordered = collection.sorted(SortKey.QUALITY, True)
    columns = collection._columns(ordered)
    assert set(columns._made) == {"id", "key", "quality", "published"}
    made = dict(columns._made)
    collection.view(SortKey.QUALITY, True, None, "is:unread quality:>10", read=set(), starred=set())
    assert all(columns._made[name] is made[name] for name in made)  # used, not made again


@pytest.mark.parametrize("key", list(SortKey))
def test_a_reversed_order_takes_flipped_columns_that_match_fresh_ones(key: SortKey) -> None:
    rows = _entries(5)
    collection = Collection(list(rows))
    collection.warm(key)
    backward = collection.sorted(key, True)
    flipped = collection._columns(backward)
    assert set(flipped._made) == {"id", "key", "quality", "published"}  # derived, not made on use
    fresh = Columns(backward)
    fresh.prepare()
    for name, column in fresh._made.items():
        assert [str(v) for v in flipped._made[name]] == [str(v) for v in column], name  # str: NaN == NaN
    read = {e.url or e.path for e in rows[::2]}
    expected = [e for e in backward if (e.url or e.path) not in read and e.quality is not None and e.quality > 10]
    assert collection.view(key, True, None, "is:unread quality:>10", read=read, starred=set()) == expected
