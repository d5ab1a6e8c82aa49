"""The quality order of a long list is picked from its date order by positions, and so are its
filter columns and topic numbers: they equal what its own rows would make."""

from __future__ import annotations

import numpy as np
import pytest
from data.test_filtering import _entries

from reader import array_masks
from reader.collection import Collection
from reader.entry import split_topics
from reader.filtering import _EAGER, ROW_ID, Rows
from reader.ordering import SortKey
from reader.qualifiers import KEY, QUALITY


@pytest.fixture
def long_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list here counts as long: the quality order is sorted and picked in arrays."""
    monkeypatch.setattr("reader.collection.ARRAY_SORT_FROM", 1)
    monkeypatch.setattr(array_masks, "ARRAYS_FROM", 1)


def _warmed(seed: int) -> Collection:
    collection = Collection(_entries(seed, 500))
    collection.warm(SortKey.DATE)  # the settle's order: the date order's columns first
    collection.warm(SortKey.QUALITY)
    return collection


@pytest.mark.parametrize("seed", range(4))
def test_the_quality_orders_columns_are_those_of_its_own_rows(long_lists: None, seed: int) -> None:
    collection = _warmed(seed)
    by_date, by_quality = collection._rows(SortKey.DATE), collection._rows(SortKey.QUALITY)
    assert by_quality._source is not None and by_quality._source[0] is by_date
    assert by_quality.entries == Collection(_entries(seed, 500)).sorted(SortKey.QUALITY)
    fresh = Rows(by_quality.entries)
    for column in _EAGER:
        assert list(by_quality.column(column)) == list(fresh.column(column)), column.name
    assert by_quality.column(ROW_ID).typecode == by_date.column(ROW_ID).typecode
    for column in (QUALITY, KEY):
        made = array_masks.quality_array if column is QUALITY else array_masks.key_bits
        assert np.array_equal(
            by_quality.array(column, make=True), made(by_quality.entries), equal_nan=True
        )


@pytest.mark.parametrize("seed", range(4))
def test_topics_in_the_quality_order_need_no_pass_over_its_rows(
    long_lists: None, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The topic numbers are picked from the date order's: numbering the rows again (a pass
    over a million entries, 0.3-0.8 s) is never asked for."""
    collection = Collection(_entries(seed, 500))
    collection.warm_topics(SortKey.DATE)
    collection.sorted(SortKey.QUALITY)

    def no_numbering() -> dict:
        raise AssertionError("the topics were numbered again")

    distinct = collection._distinct()
    monkeypatch.setattr(collection, "_distinct", no_numbering)
    codes = collection._topic_codes(SortKey.QUALITY)
    numbers = [distinct[e.topics] for e in collection.sorted(SortKey.QUALITY)]
    assert codes.tolist() == numbers
    monkeypatch.setattr(collection, "_distinct", lambda: distinct)  # the view's table needs it
    for reverse in (False, True):
        shown = collection.in_topic(SortKey.QUALITY, reverse, "AI")
        expected = [
            e for e in collection.sorted(SortKey.QUALITY, reverse) if "AI" in split_topics(e.topics)
        ]
        assert shown == expected


def test_a_short_list_sorts_its_quality_order_as_before() -> None:
    collection = Collection(_entries(1, 50))
    collection.sorted(SortKey.DATE)
    assert collection._rows(SortKey.QUALITY)._source is None


def test_the_quality_orders_topics_asked_first_are_picked_from_the_date_orders(
    long_lists: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked before the date order's numbers are made, the quality order's are made by
    numbering the date order (which its worker needs next anyway) and picking."""
    collection = Collection(_entries(5, 500))
    collection.sorted(SortKey.DATE)
    collection.sorted(SortKey.QUALITY)
    numbered: list[int] = []
    real = collection._distinct

    def counting() -> dict:
        numbered.append(1)
        return real()

    monkeypatch.setattr(collection, "_distinct", counting)
    codes = collection._topic_codes(SortKey.QUALITY)
    assert SortKey.DATE in collection._codes and len(numbered) == 1
    distinct = real()
    assert codes.tolist() == [distinct[e.topics] for e in collection.sorted(SortKey.QUALITY)]
    assert collection._topic_codes(SortKey.DATE) is collection._codes[SortKey.DATE]
    assert len(numbered) == 1
