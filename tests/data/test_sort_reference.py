"""The list's orders, made with the sorts' keys fetched in C, equal the plain definition."""

from __future__ import annotations

import math
import random

import pytest

from reader.collection import Collection
from reader.entry import Entry
from reader.ordering import SortKey, sort_entries


def _reference(entries: list[Entry], key: SortKey, reverse: bool) -> list[Entry]:
    """The definition: newest (or best, ties newest) first; unknowns last, newest first."""

    def date(e: Entry) -> float:
        return e.published if e.published is not None else -math.inf

    by_date = sorted(entries, key=date, reverse=True)
    value = (lambda e: e.published) if key is SortKey.DATE else (lambda e: e.quality)
    known = [e for e in by_date if value(e) is not None]
    unknown = [e for e in by_date if value(e) is None]
    if key is SortKey.QUALITY:
        known.sort(key=lambda e: e.quality, reverse=True)
    if reverse:
        known.reverse()
    return known + unknown


def _entries(n: int, seed: int) -> list[Entry]:
    rng = random.Random(seed)
    return [
        Entry(
            f"a{i}.md",
            f"T{i}",
            rng.choice([None, 1.0, 2.0, 2.5, 3.0]) if rng.random() < 0.5 else rng.random(),
            rng.choice([None, 10, 20, 30]),
            None,
            "P",
            "p.com",
            None,
            "article",
            "",
            i,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("reverse", [False, True])
def test_sort_entries_matches_the_definition(seed: int, key: SortKey, reverse: bool) -> None:
    entries = _entries(300, seed)
    assert sort_entries(entries, key, reverse) == _reference(entries, key, reverse)


@pytest.mark.parametrize("seed", range(3))
def test_quality_order_made_from_the_date_order_is_the_same(seed: int) -> None:
    entries = _entries(300, seed)
    collection = Collection(entries)
    collection.sorted(SortKey.DATE)  # the quality order is then sorted from this one
    for reverse in (False, True):
        assert collection.sorted(SortKey.QUALITY, reverse) == _reference(
            entries, SortKey.QUALITY, reverse
        )


def test_entries_without_unknowns_are_copied_not_shared() -> None:
    entries = [e._replace(published=1.0, quality=1) for e in _entries(5, 0)]
    ordered = sort_entries(entries, SortKey.DATE)
    assert ordered == entries and ordered is not entries


QUALITIES = {
    "small": [None, 10, 20, 30],
    "wide": [None, -70_000, 0, 5, 70_000],  # more values than 16 bits hold
    "huge": [None, 2**62, 2**62 + 1, -(2**62), 3],  # beyond what a float tells apart
    "all known": [0, 1, 2],
    "none known": [None],
}


@pytest.mark.parametrize("qualities", list(QUALITIES.values()), ids=list(QUALITIES))
@pytest.mark.parametrize("reverse", [False, True])
def test_the_quality_order_sorted_in_an_array_is_the_definition(
    qualities: list[int | None], reverse: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big lists sort their qualities in an array (here every list does); a date order handed
    over as such is not sorted by date again."""
    monkeypatch.setattr("reader.ordering.ARRAY_SORT_FROM", 0)
    monkeypatch.setattr("reader.ordering.PIECE", 64)  # read into the array in several pieces
    rng = random.Random(len(qualities))
    entries = [e._replace(quality=rng.choice(qualities)) for e in _entries(400, 7)]
    expected = _reference(entries, SortKey.QUALITY, reverse)
    assert sort_entries(entries, SortKey.QUALITY, reverse) == expected
    by_date = sort_entries(entries, SortKey.DATE)
    assert sort_entries(by_date, SortKey.QUALITY, reverse, date_ordered=True) == expected


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("big", [False, True])
def test_locate_finds_a_row_where_a_look_through_every_row_does(
    seed: int, key: SortKey, reverse: bool, big: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In an order (the collection's own, its reverse a flip of it, the quality order sorted
    in an array when ``big``) and in some of its rows (as a search leaves them), every entry is
    found where it is, or not at all, among ties and unknown dates and qualities."""
    import reader.ordering as ordering

    if big:
        monkeypatch.setattr(ordering, "ARRAY_SORT_FROM", 1)
    rng = random.Random(seed)
    entries = _entries(400, seed)
    order = Collection(entries).sorted(key, reverse)
    some = [e for e in order if rng.random() < 0.3]
    for rows in (order, some, []):
        for entry in entries:
            expected = next((i for i, row in enumerate(rows) if row is entry), None)
            assert ordering.locate(rows, entry, key, reverse) == expected


def test_locate_tells_apart_equal_rows_by_identity() -> None:
    from reader.ordering import locate

    entries = _entries(50, 1)
    twins = [entries[3]._replace(), entries[3]._replace()]  # equal, not the same object
    rows = sort_entries([*entries, *twins], SortKey.DATE)
    for twin in twins:
        assert rows[locate(rows, twin, SortKey.DATE, False)] is twin
    assert locate(rows, entries[3]._replace(), SortKey.DATE, False) is None


def test_numpy_is_imported_ahead_only_for_a_list_that_sorts_in_arrays() -> None:
    """The thread loading the whole list imports it (reader.ordering.arrays_ahead), so that the
    first keys after the load do not share the interpreter with the import."""
    import subprocess
    import sys

    code = (
        "import sys; from reader.ordering import ARRAY_SORT_FROM, arrays_ahead; "
        "arrays_ahead(ARRAY_SORT_FROM - 1); print('numpy' in sys.modules); "
        "arrays_ahead(ARRAY_SORT_FROM); print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
