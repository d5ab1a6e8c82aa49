"""Passes over every row read a slice at a time, with a step of Python between slices."""

from __future__ import annotations

import sys
import threading
from array import array
from collections import Counter
from operator import neg

import pytest

import reader.pieces as pieces_module
from reader.pieces import pieces


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(pieces_module, "PIECE", 4)
    return 4


@pytest.mark.parametrize("size", [0, 1, 3, 4, 5, 8, 9, 23])
def test_the_same_values_in_the_same_order(small_pieces: int, size: int) -> None:
    values = list(range(size))
    assert list(pieces(values)) == values
    assert list(map(neg, pieces(values))) == [-v for v in values]
    assert Counter(pieces([v % 3 for v in values])) == Counter(v % 3 for v in values)
    assert list(pieces(array("i", values))) == values
    assert list(pieces(tuple(values))) == values


def test_an_iterable_without_a_length_as_it_comes(small_pieces: int) -> None:
    assert list(pieces(v for v in range(10))) == list(range(10))


def test_two_passes_in_step(small_pieces: int) -> None:
    """``zip`` over two of them (the source counts) pairs the rows as they are."""
    left, right = list(range(11)), [str(v) for v in range(11)]
    assert list(zip(pieces(left), pieces(right))) == list(zip(left, right))


def _resumes_of_a_pass(values: list[int]) -> tuple[int, int]:
    """The sum of ``values`` through :func:`pieces`, on the calling thread, and how many times
    the slices' generator was resumed meanwhile."""
    resumed = 0

    def trace(frame, event, arg):
        nonlocal resumed
        if event == "call" and frame.f_code is pieces_module._slices.__code__:
            resumed += 1
        return None

    sys.settrace(trace)
    try:
        total = sum(pieces(values))  # sum: a loop in C
    finally:
        sys.settrace(None)
    return total, resumed


def test_python_runs_between_slices_on_a_worker(small_pieces: int) -> None:
    """What lets another thread take the interpreter: the slices' generator is resumed (a frame
    of Python) once per slice while a pass in C reads them."""
    answer: list[tuple[int, int]] = []
    worker = threading.Thread(target=lambda: answer.append(_resumes_of_a_pass(list(range(10)))))
    worker.start()
    worker.join()
    assert answer == [(45, 4)]  # three slices (4, 4, 2), then the end


def test_the_main_thread_reads_a_long_list_whole(small_pieces: int) -> None:
    """The screen's thread does not hand the interpreter to workers in the middle of a pass:
    the user waits for it, not for them."""
    assert threading.current_thread() is threading.main_thread()
    assert _resumes_of_a_pass(list(range(10))) == (45, 0)


def test_a_short_list_is_read_whole(small_pieces: int) -> None:
    values = [1, 2, 3]
    assert type(pieces(values)) is type(iter(values))
