"""The cycle collector held off during loads (reader.gc_pause)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from reader import gc_pause


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    """Each test starts with the collector on and leaves it so, with nothing paused."""
    gc.enable()
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    gc_pause._paused = gc_pause._turn_on = False
    gc_pause._bursts = 0
    gc.unfreeze()
    gc.enable()


def _made(n: int) -> list[list[int]]:
    return [[i] for i in range(n)]  # lists: objects the collector tracks


def test_a_big_burst_is_frozen_and_the_collector_comes_back_on() -> None:
    gc.collect()
    before = gc.get_freeze_count()
    with gc_pause.paused():
        assert not gc.isenabled()
        kept = _made(gc_pause.FREEZE_FROM * 2)
    assert gc.isenabled()
    assert gc.get_freeze_count() - before >= len(kept)
    assert gc.get_threshold()[2] == gc_pause.FULL_EVERY


def test_a_small_burst_is_left_to_the_collector() -> None:
    gc.collect()
    before, threshold = gc.get_freeze_count(), gc.get_threshold()
    with gc_pause.paused():
        kept = _made(100)
    assert gc.isenabled() and kept
    assert gc.get_freeze_count() == before and gc.get_threshold() == threshold


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with gc_pause.paused():
        _made(10)
    assert not gc.isenabled()


def test_resume_during_a_burst_waits_for_its_end() -> None:
    """The start-up's pause ends (a timer) while the whole list still loads in a worker."""
    gc_pause.pause()
    with gc_pause.paused():
        gc_pause.resume()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_the_last_of_two_bursts() -> None:
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with gc_pause.paused():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(5)
    with gc_pause.paused():
        pass
    assert not gc.isenabled()  # the other burst still runs
    leave.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_big_list_settled_is_frozen_and_full_collections_spaced_a_small_one_not() -> None:
    before, threshold = gc.get_freeze_count(), gc.get_threshold()
    gc_pause.settled(100)
    assert gc.get_freeze_count() == before and gc.get_threshold() == threshold
    kept = _made(1000)
    gc_pause.settled(gc_pause.FREEZE_FROM)
    assert gc.get_freeze_count() - before >= len(kept)
    assert gc.get_threshold() == (*threshold[:2], gc_pause.FULL_EVERY)


def test_a_full_collection_put_off_is_made_when_idle_once_due() -> None:
    """With a big list in, full collections come 100 times less often than Python's default;
    the reader makes the one due while the user pauses (the app calls this then)."""
    gc.collect()
    assert not gc_pause.collect_when_idle()  # Python's own cadence: nothing put off
    gc_pause.settled(gc_pause.FREEZE_FROM)
    gc.disable()
    for _ in range(gc_pause.IDLE_FULL_EVERY):
        gc.collect(1)  # middle collections, each counted toward the next full one
    gc.enable()
    assert gc.get_count()[2] >= gc_pause.IDLE_FULL_EVERY
    assert gc_pause.collect_when_idle()
    assert gc.get_count()[2] == 0  # the full collection ran
    assert not gc_pause.collect_when_idle()  # not due again yet
    gc.disable()
    for _ in range(gc_pause.IDLE_FULL_EVERY):
        gc.collect(1)
    assert not gc_pause.collect_when_idle()  # a paused collector stays paused
