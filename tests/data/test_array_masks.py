"""``quality:`` and ``is:`` over a long list are masked in array operations
(:mod:`reader.array_masks`), and keep exactly the rows the per-row checks keep."""

from __future__ import annotations

import operator
import random
from functools import partial

import numpy as np
import pytest
from data.test_filtering import QUERIES, TYPED, _entries, _marks

from reader import array_masks
from reader.collection import Collection
from reader.entry import entry_key
from reader.filtering import ROW_ID, Rows
from reader.ordering import SortKey
from reader.qualifiers import KEY, PUBLISHED, QUALITY, Marks
from reader.query import parse_query, row_check


@pytest.fixture
def long_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list counts as long, and the flags table is small: most keys share their bits
    with a marked one, so the exact check of the flagged rows decides."""
    monkeypatch.setattr(array_masks, "ARRAYS_FROM", 1)
    monkeypatch.setattr(array_masks, "HASH_BITS", 3)


def _prepared(rows: list) -> Rows:
    prepared = Rows(rows)
    prepared.prepare()
    assert prepared.array(QUALITY) is not None and prepared.array(KEY) is not None
    return prepared


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("text", QUERIES + [f"quality:{v}" for v in TYPED["quality"]])
def test_array_masks_keep_what_per_row_checks_keep(long_lists: None, seed: int, text: str) -> None:
    rows = _entries(seed)
    marks = _marks(rows, seed)
    query = parse_query(text)
    check = row_check(query, set(marks.read), set(marks.starred))
    assert list(_prepared(rows).filtered(query, None, marks)) == [e for e in rows if check(e)]


def test_the_arrays_are_used_where_they_are_made(
    long_lists: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the arrays made, no list column of ``quality:`` or ``is:`` is read; without them
    (a list not warmed), the list columns answer as before."""
    rows = _entries(7)
    marks = _marks(rows, 7)
    query = parse_query("is:unread quality:>10 after:1970-01-02 before:1970-01-05")
    expected = list(Rows(rows).filtered(query, None, marks))
    assert expected  # the query keeps some rows, and not all
    assert len(expected) < len(rows)
    prepared = _prepared(rows)
    prepared._made.clear()  # the list columns: made again only if a mask reads them
    assert list(prepared.filtered(query, None, marks)) == expected
    assert not prepared._made
    cold = Rows(rows)
    assert cold.array(QUALITY) is None  # not made on a key's behalf
    assert list(cold.filtered(query, None, marks)) == expected and QUALITY in cold._made


def test_a_column_with_an_array_is_not_also_kept_as_a_list(long_lists: None) -> None:
    """Warming an order makes the packed copies instead of the list columns of ``quality:``
    and ``is:`` (8 bytes a row each, 16 MiB an order at a million); the copies hold the same
    values as the lists would."""
    rows = _entries(3)
    prepared = _prepared(rows)
    assert not {QUALITY, PUBLISHED, KEY} & set(prepared._made)
    assert ROW_ID in prepared._made  # the other eager columns are still made ahead
    listed = Rows(rows)
    assert np.array_equal(
        prepared.array(QUALITY), np.array(listed.column(QUALITY), np.float32), equal_nan=True
    )
    assert np.array_equal(
        prepared.array(PUBLISHED), np.array(listed.column(PUBLISHED), np.float64), equal_nan=True
    )
    low = (1 << array_masks.HASH_BITS) - 1
    assert prepared.array(KEY).tolist() == [hash(key) & low for key in listed.column(KEY)]


def test_qualities_a_float32_cannot_hold_are_compared_as_numbers(long_lists: None) -> None:
    rows = [e._replace(quality=q) for e, q in zip(_entries(1), [2**24 + 1, 2**24, 5] * 100)]
    prepared = Rows(rows)
    prepared.prepare()
    assert prepared.array(QUALITY) is None
    assert QUALITY in prepared._made  # no array: the list is made ahead, as before
    kept = prepared.filtered(parse_query(f"quality:>{2**24}"), None, Marks())
    assert {e.quality for e in kept} == {2**24 + 1}


def test_dates_a_float64_cannot_hold_are_compared_as_numbers(long_lists: None) -> None:
    huge = 2**60
    rows = [e._replace(published=p) for e, p in zip(_entries(1), [huge + 1, huge, 5.0] * 100)]
    prepared = Rows(rows)
    prepared.prepare()
    assert prepared.array(PUBLISHED) is None
    assert PUBLISHED in prepared._made  # no array: the list is made ahead, as before
    kept = prepared.filtered(parse_query("after:1970-01-01"), None, Marks())
    assert {e.published for e in kept} == {huge + 1, huge, 5.0}
    assert array_masks.compared(np.zeros(3), (partial(operator.le, float(huge)),)) is None


def test_marks_of_most_rows_go_through_the_table_too(long_lists: None) -> None:
    rows = _entries(2)
    read = {entry_key(e) for e in rows[: len(rows) * 9 // 10]}
    marks = Marks(frozenset(read), frozenset())
    mask = array_masks.marked(_prepared(rows).array(KEY), rows, marks.read, False)
    assert mask is not None and bin(mask).count("1") == sum(entry_key(e) in read for e in rows)
    query = parse_query("is:read")
    assert list(_prepared(rows).filtered(query, None, marks)) == [
        e for e in rows if entry_key(e) in marks.read
    ]


@pytest.mark.parametrize("key", list(SortKey))
def test_a_reversed_order_flips_the_forward_arrays(long_lists: None, key: SortKey) -> None:
    rows = _entries(4)
    random.Random(4).shuffle(rows)
    collection = Collection(list(rows))
    collection.warm(key)
    backward = collection._rows(key, True)
    assert backward.array(QUALITY) is not None  # flipped from the forward order's, not made
    fresh = _prepared(backward.entries)
    for column in (QUALITY, KEY):
        assert np.array_equal(backward.array(column), fresh.array(column), equal_nan=True)
    read = {entry_key(e) for e in rows[::3]}
    text = "is:unread quality:>=40"
    expected = [e for e in backward.entries if entry_key(e) not in read and (e.quality or -1) >= 40]
    assert collection.view(key, True, None, text, read=read, starred=set()) == expected


@pytest.mark.parametrize("text", ["is:unread quality:>10", "is:read", "quality:<=0 is:starred"])
def test_rows_picked_by_few_words_take_the_arrays_along(
    long_lists: None, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Words that leave few rows pick them first, then the qualifiers mask those: the picked
    rows carry the arrays, so no list column is made for them on the key's behalf."""
    rows = _entries(9)
    marks = _marks(rows, 9)
    matched = np.array([e.id for e in rows[::4]], dtype=np.int64)  # a quarter: picked first
    query = parse_query(text)
    check = row_check(query, set(marks.read), set(marks.starred))
    expected = [e for e in rows[::4] if check(e)]
    prepared = _prepared(rows)
    prepared._made.clear()
    asked: list[str] = []
    real = Rows.column
    monkeypatch.setattr(Rows, "column", lambda self, c: asked.append(c.name) or real(self, c))
    assert list(prepared.filtered(query, matched, marks)) == expected
    assert "key" not in asked and "quality" not in asked


@pytest.mark.parametrize("picked", [False, True], ids=["sorted", "picked"])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("words", [None, {3, 4, 5, 17, 150, 299}, set(range(0, 300, 2))])
def test_an_order_filters_by_the_masks_of_the_rows_it_was_made_from(
    long_lists: None,
    key: SortKey,
    reverse: bool,
    words: set[int] | None,
    picked: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reversed order's masks are its forward order's flipped; with ``picked`` (a long list)
    the date order's are the list's as loaded, and the quality order's the date order's, picked
    by their positions. Each gives what the per-row checks give, and holds no copies."""
    if picked:
        monkeypatch.setattr("reader.collection.ARRAY_SORT_FROM", 1)
    rows = _entries(5)
    marks = _marks(rows, 5)
    collection = Collection(list(rows))
    collection.warm(SortKey.DATE)
    collection.warm(key, reverse)
    shown = collection._rows(key, reverse)
    for text in QUERIES:
        query = parse_query(text)
        check = row_check(query, set(marks.read), set(marks.starred))
        expected = [e for e in shown.entries if check(e) and (words is None or e.id in words)]
        ids = None if words is None else np.array(sorted(words), dtype=np.int64)
        assert list(shown.filtered(query, ids, marks)) == expected, text
    if reverse or picked:  # every mask made over other rows
        assert not shown._arrays and not set(shown._made) - {ROW_ID}
