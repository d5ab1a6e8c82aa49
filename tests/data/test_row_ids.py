"""The row id column a search is checked against is packed at 4 bytes an id while they fit."""

from __future__ import annotations

import pytest

from reader import filtering
from reader.entry import Entry
from reader.filtering import ROW_ID, Rows, flip_known


@pytest.fixture(autouse=True, params=["list first", "numpy"])
def read_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Short lists read the ids into a list first; long ones straight into numpy."""
    if request.param == "numpy":
        monkeypatch.setattr(filtering, "IDS_IN_NUMPY_FROM", 0)
    return request.param


def _entry(i: int | None) -> Entry:
    return Entry(f"a{i}.md", "T", None, None, None, "P", "p", None, "article", "", i)


def test_ids_are_packed_in_four_bytes() -> None:
    column = Rows([_entry(i) for i in (3, 1, 2)]).column(ROW_ID)
    assert list(column) == [3, 1, 2] and column.itemsize == 4
    assert list(flip_known(column, 2)) == [1, 3, 2]


def test_ids_too_big_for_four_bytes_take_eight() -> None:
    column = Rows([_entry(1), _entry(2**40)]).column(ROW_ID)
    assert list(column) == [1, 2**40] and column.itemsize == 8


def test_rows_without_ids_keep_a_list() -> None:
    assert Rows([_entry(1), _entry(None)]).column(ROW_ID) == [1, None]
    assert Rows([_entry(None), _entry(1)]).column(ROW_ID) == [None, 1]


def test_a_negative_id_and_the_largest_that_fit() -> None:
    column = Rows([_entry(i) for i in (-5, 2**31 - 1, 0)]).column(ROW_ID)
    assert list(column) == [-5, 2**31 - 1, 0] and column.itemsize == 4
    assert list(Rows([_entry(2**31)]).column(ROW_ID)) == [2**31]
