"""A long order reversed is a view over it (:class:`reader.picked.Flipped`): it reads as the
list it stands for would, whatever is asked of it."""

from __future__ import annotations

import numpy as np
import pytest
from data.test_filtering import _entries

from reader import filtering
from reader.collection import Collection
from reader.filtering import flip_known
from reader.ordering import SortKey
from reader.picked import Flipped, Picked


@pytest.mark.parametrize("known", [0, 1, 7, 30])
def test_a_flipped_view_reads_as_the_flipped_list(known: int) -> None:
    rows = _entries(2, 30)
    view, expected = Flipped(rows, known), flip_known(rows, known)
    assert len(view) == len(expected) and list(view) == expected and view == expected
    assert [view[i] for i in range(-30, 30)] == expected + expected
    for part in (slice(None), slice(3, 9), slice(None, None, -1), slice(-5, None), slice(2, 28, 3)):
        assert view[part] == expected[part]
    with pytest.raises(IndexError):
        view[30]
    with pytest.raises(IndexError):
        view[-31]
    assert view + rows[:2] == expected + rows[:2] and rows[:2] + view == rows[:2] + expected
    assert view.index(expected[5]) == 5 and expected[3] in view
    picked = Picked(view, np.array([0, 4, 29]))
    assert list(picked) == [expected[i] for i in (0, 4, 29)]
    assert view != expected[:-1] and view != "not rows"


def test_a_long_reversed_order_is_a_view_and_filters_as_the_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = _entries(4, 300)
    short = Collection(list(rows))
    monkeypatch.setattr(filtering, "FLIPPED_FROM", 1)
    long = Collection(list(rows))
    for key in SortKey:
        shown = long.sorted(key, True)
        assert isinstance(shown, Flipped) and shown == short.sorted(key, True)
        for text in ("", "is:unread", "quality:>40", "T1", "topic:AI"):
            assert list(long.view(key, True, text=text, read=set())) == list(
                short.view(key, True, text=text, read=set())
            ), text
        assert long.in_topic(key, True, "AI") == short.in_topic(key, True, "AI")
