"""Many rows kept by a filter are held as their positions (:class:`reader.picked.Picked`): a
sequence that answers as the list of those rows would, and the same rows as that list."""

from __future__ import annotations

import random
from bisect import bisect_left

import numpy as np
import pytest
from data.test_filtering import QUERIES, _entries, _marks

from reader import filtering
from reader.entry import Entry
from reader.filtering import Rows
from reader.picked import PICKED_FROM, Picked
from reader.qualifiers import Marks
from reader.query import parse_query, row_check


def picked_and_list(seed: int = 1) -> tuple[Picked, list[Entry]]:
    entries = _entries(seed, 200)
    positions = np.array(sorted(random.Random(seed).sample(range(200), 120)))
    return Picked(entries, positions), [entries[at] for at in positions]


def test_picked_rows_answer_as_their_list_does() -> None:
    picked, rows = picked_and_list()
    assert len(picked) == len(rows) == 120
    assert list(picked) == rows
    for at in (0, 1, 57, 119, -1, -120):
        assert picked[at] is rows[at]
    for part in (slice(3, 9), slice(None, 5), slice(100, None), slice(None, None, -7)):
        assert picked[part] == rows[part] and isinstance(picked[part], list)
    for past in (120, -121):
        with pytest.raises(IndexError):
            picked[past]
    assert picked + rows[:2] == rows + rows[:2]  # as the copies of a story are added
    assert rows[:2] + picked == rows[:2] + rows
    assert rows[40] in picked and rows[40] is next(iter(picked[40:41]))
    assert bool(picked) and not Picked([], np.zeros(0, dtype=np.int64))


def test_halving_finds_a_row_among_picked_rows() -> None:
    """The list finds the row it keeps by halving on the order's rank."""
    picked, rows = picked_and_list(2)
    titles = sorted(rows, key=lambda e: int(e.title[1:]))
    ordered = Picked(titles, np.arange(len(titles)))
    key = lambda e: int(e.title[1:])  # noqa: E731
    for entry in titles[::13]:
        assert ordered[bisect_left(ordered, key(entry), key=key)] is entry


@pytest.fixture
def picked_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filtering, "PICKED_FROM", 1)


@pytest.mark.parametrize("share", [0.3, 0.9, 1.0])
def test_a_filter_keeps_the_same_rows_picked(picked_always: None, share: float) -> None:
    rng = random.Random(int(share * 10))
    rows = _entries(21)
    rng.shuffle(rows)
    matched = np.array([e.id for e in rows if rng.random() < share], dtype=np.int64)
    marks = _marks(rows, 5)
    picked_any = False
    for text in ["", *QUERIES]:
        query = parse_query(text)
        check = row_check(query, set(marks.read), set(marks.starred))
        expected = [e for e in rows if e.id in set(matched.tolist()) and check(e)]
        kept = Rows(rows).filtered(query, matched, marks)
        assert list(kept) == expected, text
        picked_any |= isinstance(kept, Picked)
    assert picked_any


def test_a_long_list_keeps_many_rows_picked_and_few_in_a_list() -> None:
    rows = [
        Entry(f"f{n}.md", f"T{n}", float(n), n % 100, None, "P", "p.test", None, "article", "", n)
        for n in range(1, PICKED_FROM * 2 + 1)
    ]
    most = Rows(rows).filtered(parse_query("quality:>10"), None, Marks())
    expected = [e for e in rows if e.quality > 10]
    assert isinstance(most, Picked) and list(most) == expected
    assert most[0] is expected[0] and most[-1] is expected[-1]
    few = Rows(rows).filtered(parse_query("quality:>95"), None, Marks())
    assert isinstance(few, list) and few == [e for e in rows if e.quality > 95]
