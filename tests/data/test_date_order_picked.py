"""The date order of a long list is found in an array of the dates, and its filter columns and
topic numbers are made over the entries as they were loaded, then picked: never by a pass over
the date order's own rows, which lie scattered in memory."""

from __future__ import annotations

import numpy as np
import pytest
from data.test_filtering import _entries

from reader import array_masks, filtering
from reader.collection import Collection
from reader.entry import split_topics
from reader.filtering import _EAGER, ROW_ID, Rows
from reader.ordering import SortKey, sort_entries
from reader.qualifiers import KEY, PUBLISHED, QUALITY


@pytest.fixture
def long_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list here counts as long: its orders are found and picked in arrays."""
    monkeypatch.setattr("reader.collection.ARRAY_SORT_FROM", 1)
    monkeypatch.setattr(array_masks, "ARRAYS_FROM", 1)


def _same_objects(left: list, right: list) -> bool:
    return len(left) == len(right) and all(a is b for a, b in zip(left, right))


@pytest.mark.parametrize("seed", range(6))
def test_the_date_order_is_the_sorts_own(long_lists: None, seed: int) -> None:
    """Ties (equal dates) keep the order given, entries without a date come last, both ways."""
    entries = _entries(seed, 400)
    collection = Collection(entries)
    source = collection._rows(SortKey.DATE)._source
    assert source is not None and source[0].entries is entries
    # the positions its columns are picked by give the order it shows
    picked = [entries[at] for at in source[1].tolist()]
    assert _same_objects(picked, collection.sorted(SortKey.DATE))
    for reverse in (False, True):
        expected = sort_entries(entries, SortKey.DATE, reverse)
        assert _same_objects(collection.sorted(SortKey.DATE, reverse), expected)
        expected = sort_entries(entries, SortKey.QUALITY, reverse)
        assert _same_objects(collection.sorted(SortKey.QUALITY, reverse), expected)


@pytest.mark.parametrize("seed", range(4))
def test_the_date_orders_columns_are_made_over_the_entries_as_loaded(
    long_lists: None, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every column, packed copy and topic number of the date order (and of the quality order
    picked from it) comes from a pass over the loaded list, and equals what its own rows
    make."""
    entries = _entries(seed, 400)
    collection = Collection(entries)
    passed_over: list[int] = []
    for name in ("quality_array", "published_array", "key_bits"):
        made = getattr(array_masks, name)

        def spy(rows, made=made):
            passed_over.append(id(rows))
            return made(rows)

        monkeypatch.setattr(array_masks, name, spy)
    real_of_rows = {column: column.of_rows for column in _EAGER}
    for column in _EAGER:  # a frozen dataclass: set around it, put back below

        def of_rows(rows, real=real_of_rows[column]):
            passed_over.append(id(rows))
            return real(rows)

        object.__setattr__(column, "of_rows", of_rows)
    distinct = collection._distinct()
    numbered: list[int] = []
    real_numbered = collection._numbered
    monkeypatch.setattr(
        collection, "_numbered", lambda rows: numbered.append(id(rows)) or real_numbered(rows)
    )
    try:
        collection.warm(SortKey.DATE)
        collection.warm(SortKey.QUALITY)
        collection.warm_ids(SortKey.QUALITY)
    finally:
        for column, real in real_of_rows.items():
            object.__setattr__(column, "of_rows", real)
    by_date = collection._rows(SortKey.DATE)
    assert passed_over and set(passed_over) == {id(entries)}
    # The orders' masks are made over the list as loaded: no order holds arrays of its own.
    assert by_date._source is not None and by_date._source[0].entries is entries
    assert set(by_date._source[0]._arrays) == set(filtering._ARRAYS)
    assert not by_date._arrays and not collection._rows(SortKey.QUALITY)._arrays
    assert numbered == [id(entries)]
    monkeypatch.undo()
    monkeypatch.setattr(array_masks, "ARRAYS_FROM", 1)  # undone with the spies

    for rows in (by_date, collection._rows(SortKey.QUALITY)):
        fresh = Rows(rows.entries)
        for column in _EAGER:
            if column in filtering._ARRAYS:
                continue
            assert list(rows.column(column)) == list(fresh.column(column)), column.name
        assert rows.column(ROW_ID).typecode == fresh.column(ROW_ID).typecode
        for column, made in (
            (QUALITY, array_masks.quality_array),
            (PUBLISHED, array_masks.published_array),
            (KEY, array_masks.key_bits),
        ):
            assert np.array_equal(rows.array(column, make=True), made(rows.entries), equal_nan=True)
    for key in SortKey:
        codes = collection._topic_codes(key)
        assert codes.tolist() == [distinct[e.topics] for e in collection.sorted(key)]
        for reverse in (False, True):
            shown = collection.in_topic(key, reverse, "AI")
            expected = [
                e for e in collection.sorted(key, reverse) if "AI" in split_topics(e.topics)
            ]
            assert shown == expected


def test_dates_too_big_for_the_array_sort_as_lists(long_lists: None) -> None:
    """A date a float64 cannot hold exactly (an odd file) leaves the date order to the sort."""
    entries = _entries(2, 200)
    entries[7] = entries[7]._replace(published=float(2**60))
    entries[9] = entries[9]._replace(published=float(2**60) + 2**8)
    collection = Collection(entries)
    assert collection._rows(SortKey.DATE)._source is None
    assert _same_objects(collection.sorted(SortKey.DATE), sort_entries(entries, SortKey.DATE))
    assert collection.sorted(SortKey.DATE)[:2] == [entries[9], entries[7]]


def test_a_short_list_sorts_its_date_order_as_before() -> None:
    collection = Collection(_entries(1, 50))
    assert collection._rows(SortKey.DATE)._source is None
    assert _same_objects(
        collection.sorted(SortKey.DATE), sort_entries(collection.entries, SortKey.DATE)
    )
