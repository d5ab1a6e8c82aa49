"""Filtering in bulk (``reader.filtering``) must keep exactly what the per-row checks keep.

Both come from one table (``reader.qualifiers.QUALIFIERS``): these tests hold
every qualifier in it to that, on entries with missing and odd values.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from reader import qualifiers
from reader.entry import TOPIC_SEP, Entry, entry_key
from reader.filtering import Rows
from reader.library import Collection, SortKey
from reader.qualifiers import QUALIFIERS, Marks
from reader.query import parse_query, quote_value, row_check

DAY = 86400.0
QUERIES = [
    "is:unread",
    "is:read",
    "is:starred",
    "is:unread is:starred",
    "quality:>40",
    "quality:>=50",
    "quality:<10",
    "quality:<=0",
    "quality:=50",
    "quality:>10 quality:<60",
    "after:1970-01-03",
    "before:1970-01-05",
    "after:1970-01-02 before:1970-01-04 is:unread quality:>20",
    "provider:outlet is:read",
    "topic:ai is:unread",
    "topic:Space quality:>0",
    "type:video",
    "type:ARTICLE is:unread",
    "type:video quality:>10 provider:other",
]
TYPED = {
    "topic": ["ai", "AI", "Space", "space", "Machine Learning", "é", "nope"],
    "provider": ["outlet", "OTHER", "x.test", "t", "é", "zzz"],
    "source": ["outlet a", "OUTLET A", "Outlet", "x.test", "été", "zzz"],
    "is": ["unread", "read", "starred", "Unread"],
    "after": ["1970-01-01", "1970-01-03", "1970-01-07"],
    "before": ["1970-01-02", "1970-01-04", "1970-01-07"],
    "quality": [">40", ">=50", "<10", "<=0", "=50", "50", "<-3", ">-1"],
    "type": ["video", "VIDEO", "article", "Vidéo", "podcast"],
    "title": ["t1", "T12", "t", "T1 x", "t2 ", "zzz"],
}
"""Values to try for each qualifier: a qualifier added to the table needs some here."""
BUILTIN_STEPS = {"is", "after", "before", "quality", "type", "title"}
"""Qualifiers typed with every keystroke of big lists: their masks must run in C."""


def _entries(seed: int, n: int = 300) -> list[Entry]:
    rng = random.Random(seed)
    topics = ["AI", "ai", "Space", "Machine Learning", "é", "Ai Ethics"]
    rows = []
    for i in range(n):
        rows.append(
            Entry(
                path=f"f{i}.md",
                title=f"T{i}",
                published=rng.choice([None, 1 * DAY, 2.5 * DAY, 3 * DAY, 4 * DAY, 6 * DAY, -DAY]),
                quality=rng.choice([None, -5, 0, 10, 40, 50, 60, 100]),
                heat=None,
                provider=rng.choice(["Outlet A", "Other", "", "ÉTÉ"]),
                domain=rng.choice(["x.test", ""]),
                url=None if i % 5 == 0 else f"https://x.test/{i}",
                type=rng.choice(["article", "video", "Video", "VIDEO", "podcast", ""]),
                topics=TOPIC_SEP.join(rng.sample(topics, rng.randint(0, 3))),
                id=i + 1,
            )
        )
    return rows


def _marks(rows: list[Entry], seed: int) -> Marks:
    rng = random.Random(seed)
    return Marks(
        {entry_key(e) for e in rng.sample(rows, len(rows) // 3)},
        {entry_key(e) for e in rng.sample(rows, len(rows) // 8)},
    )


def test_every_qualifier_has_values_to_test() -> None:
    assert set(TYPED) == set(QUALIFIERS)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", sorted(QUALIFIERS))
def test_per_row_check_and_bulk_mask_agree(name: str, seed: int) -> None:
    qualifier = QUALIFIERS[name]
    rows = _entries(seed)
    marks = _marks(rows, seed)
    column = qualifier.column.of_rows(rows)
    # str() so that NaN equals NaN
    assert [str(v) for v in column] == [str(qualifier.column.of(e)) for e in rows]
    for typed in TYPED[name]:
        value = qualifier.parse(typed)
        by_row = [qualifier.check(value, marks)(e) for e in rows]
        assert [bool(kept) for kept in qualifier.mask(value, column, marks)] == by_row, typed
        query = parse_query(f"{name}:{quote_value(typed)}")
        assert query.values(name) == (value,)
        expected = [e for e, kept in zip(rows, by_row) if kept]
        assert Rows(rows).filtered(query, None, marks) == expected
        if name in BUILTIN_STEPS:
            assert all(map(qualifiers._in_c, qualifier.steps(value, marks))), typed


def test_missing_values_never_match_a_comparison() -> None:
    rows = [e._replace(published=None, quality=None) for e in _entries(1, 50)]
    for text in (
        "quality:>-100",
        "quality:<100",
        "quality:0",
        "after:1900-01-01",
        "before:2999-01-01",
    ):
        assert Rows(rows).filtered(parse_query(text), None, Marks()) == [], text
        assert not any(map(row_check(parse_query(text)), rows)), text


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("text", QUERIES)
def test_view_keeps_what_per_row_checks_keep(seed: int, text: str) -> None:
    rows = _entries(seed)
    marks = _marks(rows, seed)
    read, starred = marks.read, marks.starred
    query = parse_query(text)
    assert not query.errors and query.terms
    check = row_check(query, read, starred)
    for key in SortKey:
        for reverse in (False, True):
            collection = Collection(list(rows))
            expected = [e for e in collection.sorted(key, reverse) if check(e)]
            assert collection.view(key, reverse, None, text, read=read, starred=starred) == expected
            # Asking again uses the columns made the first time and gives the same answer.
            assert collection.view(key, reverse, None, text, read=read, starred=starred) == expected


@pytest.mark.parametrize(
    "matches", [lambda n: n % 3 == 0, lambda n: n % 10 != 0], ids=["few", "most"]
)
def test_word_matches_combine_with_qualifiers(matches) -> None:
    """Few matches narrow the rows first; most are one more mask: the same rows either way."""
    rows = _entries(7)
    ids = {e.id for e in rows if matches(e.id)}
    kept = Rows(rows).filtered(parse_query("quality:>40 is:unread"), ids, Marks())
    assert kept == [e for e in rows if e.id in ids and e.quality is not None and e.quality > 40]
    assert Rows(rows).filtered(parse_query(""), None, Marks()) is rows


@pytest.mark.parametrize("share", [0.0, 0.05, 0.3, 0.6, 1.0])
def test_word_matches_as_an_array_keep_what_a_set_keeps(share: float) -> None:
    """A search's matches come from the index as an array (ids of rows not in the list among
    them, and beyond its largest id); the rows kept are the per-row check's, in the list's order."""
    rng = random.Random(int(share * 100))
    rows = _entries(11)
    rng.shuffle(rows)  # an order other than the ids'
    matched = [e.id for e in rows if rng.random() < share] + [0, 5_000, 10**12]
    marks = _marks(rows, 3)
    for text in ["", *QUERIES]:
        query = parse_query(text)
        check = row_check(query, set(marks.read), set(marks.starred))
        expected = [e for e in rows if e.id in set(matched) and check(e)]
        as_set = Rows(rows).filtered(query, set(matched), marks)
        as_array = Rows(rows).filtered(query, np.array(matched, dtype=np.int64), marks)
        assert as_array == as_set == expected, text


def test_rows_without_ids_are_matched_by_look_ups() -> None:
    """Entries outside an index have no id: the matches are then looked up row by row."""
    rows = [e._replace(id=None) if e.id % 7 == 0 else e for e in _entries(12)]
    matched = {e.id for e in rows[::2] if e.id is not None}
    kept = Rows(rows).filtered(parse_query("quality:>0"), np.array(sorted(matched)), Marks())
    assert kept == [e for e in rows if e.id in matched and (e.quality or 0) > 0]


def test_kept_masks_answer_like_fresh_ones_and_marks_are_read_at_every_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long list keeps the masks of qualifiers that ignore marks; ``is:`` reads the marks
    as they are now, so marking an article changes the next key's rows."""
    monkeypatch.setattr("reader.filtering.KEEP_MASKS_FROM", 0)
    rows = _entries(8)
    ordered = Rows(rows)
    text = "quality:>40 is:unread"
    unread = ordered.filtered(parse_query(text), None, Marks())
    assert ("quality", (">", 40), None) in ordered._masks and not any(
        name == "is" for name, _, _ in ordered._masks
    )
    read = {entry_key(e) for e in unread[:5]}
    assert unread[:5] and ordered.filtered(parse_query(text), None, Marks(read)) == unread[5:]
    for typed in QUERIES + [f"quality:>{n}" for n in range(10)]:  # more than are kept
        query = parse_query(typed)
        expected = Rows(rows).filtered(query, None, Marks(read))
        assert ordered.filtered(query, None, Marks(read)) == expected, typed
    assert len(ordered._masks) <= 4


def test_marks_with_a_version_keep_their_masks_until_it_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a version on the marks, ``is:`` is kept between keys like the other qualifiers; a
    new version (a mark was made) reads the marks again, and the kept masks then combine with
    a search's few rows over the whole list instead of over the rows picked out first."""
    monkeypatch.setattr("reader.filtering.KEEP_MASKS_FROM", 0)
    rows = _entries(9)
    ordered = Rows(rows)
    read = {entry_key(e) for e in rows[::3]}
    text = "quality:>40 is:unread"
    first = ordered.filtered(parse_query(text), None, Marks(read, version=1))
    assert ("is", "unread", 1) in ordered._masks
    ids = {e.id for e in rows[::7]}  # few: picked out first unless every mask is kept
    calls = []
    monkeypatch.setattr(Rows, "_picked", lambda self, *a: calls.append(a) or Rows([]))
    kept = ordered.filtered(parse_query(text), ids, Marks(read, version=1))
    assert not calls and kept == [e for e in first if e.id in ids]
    read.update(entry_key(e) for e in first[:4])  # the same set, marked on: a new version
    after = ordered.filtered(parse_query(text), None, Marks(read, version=2))
    assert first[:4] and after == first[4:]
    assert ordered.filtered(parse_query(text), None, Marks(read)) == after  # None: not kept
    assert [key for key in ordered._masks if key[0] == "is"] == [
        ("is", "unread", 1),
        ("is", "unread", 2),
    ]


EAGER = {"id", "key", "quality", "published"}


def test_warmed_columns_are_the_ones_a_search_uses() -> None:
    rows = _entries(3)
    collection = Collection(list(rows))
    collection.warm(SortKey.QUALITY, True)
    shown = collection._rows(SortKey.QUALITY, True)
    ordered = collection._rows(SortKey.QUALITY)  # a reversed order's masks are its forward's
    assert {column.name for column in ordered._made} == EAGER and not shown._made
    made = dict(ordered._made)
    collection.view(SortKey.QUALITY, True, None, "is:unread quality:>10", read=set(), starred=set())
    assert all(ordered._made[column] is made[column] for column in made)  # used, not made again
    collection.view(SortKey.QUALITY, True, None, "type:video", read=set(), starred=set())
    assert {column.name for column in ordered._made} == EAGER | {"type"}  # made on first use, kept
    assert not shown._made and not shown._arrays  # no flipped copies


@pytest.mark.parametrize("key", list(SortKey))
def test_a_reversed_order_takes_flipped_columns_that_match_fresh_ones(key: SortKey) -> None:
    rows = _entries(5)
    collection = Collection(list(rows))
    collection.warm(key)
    backward = collection._rows(key, True)
    assert not backward._made  # nothing flipped before a search asks for it
    forward = collection._rows(key)
    made = dict(forward._made)
    fresh = Rows(backward.entries)
    fresh.prepare()
    for column, values in fresh._made.items():
        assert [str(v) for v in backward.column(column)] == [str(v) for v in values], column.name
    assert all(forward._made[column] is made[column] for column in made)  # flipped, not made
    read = {e.url or e.path for e in rows[::2]}
    expected = [
        e
        for e in backward.entries
        if (e.url or e.path) not in read and e.quality is not None and e.quality > 10
    ]
    text = "is:unread quality:>10"
    assert collection.view(key, True, None, text, read=read, starred=set()) == expected


def test_topic_views_are_kept_least_recently_used_first_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("reader.collection.TOPIC_VIEWS_KEPT", 2)
    collection = Collection(_entries(2))
    first = collection.in_topic(SortKey.DATE, False, "AI")
    collection.in_topic(SortKey.DATE, False, "Space")
    assert collection.in_topic(SortKey.DATE, False, "AI") is first  # kept, and now the latest used
    collection.in_topic(SortKey.DATE, False, "é")  # drops Space, the least recently used
    assert collection.in_topic(SortKey.DATE, False, "AI") is first
    assert [k[2] for k in collection._topic_views] == ["é", "AI"]
