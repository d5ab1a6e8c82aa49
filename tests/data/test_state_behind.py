"""Big changes of marks (``reader.state``): written by a thread of their own, and as JSON arrays.

"Mark all read" on a million articles held the screen for seconds while the
marks and their sync stamps were written. Past ``BEHIND_ABOVE`` waiting
changes a thread writes them; marks made meanwhile follow it, a failed batch
waits again under newer changes, and closing waits for the thread. Past
``JSON_ABOVE`` marks of one kind, SQLite reads the keys from JSON arrays,
which must store what the rows bound one by one store.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import reader.state as state_module
from reader.paths import resolve
from reader.state import StateStore, read_rows

BIG = 30
"""Marks of a big change here (the thresholds are lowered below it)."""
KEYS = [f"https://news.example/{n:03d}" for n in range(BIG)]


@pytest.fixture
def state_path(isolated_dirs: Path) -> Path:
    return resolve().state_path


@pytest.fixture(autouse=True)
def low_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state_module, "BEHIND_ABOVE", 10)
    monkeypatch.setattr(state_module, "JSON_ABOVE", 5)
    monkeypatch.setattr(state_module, "JSON_SLICE", 7)  # several slices per array


class Held:
    """Holds the writer at its sync stamps (inside its transaction) until :meth:`release`;
    with ``fail``, the held write then fails as a full disk does."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail: bool = False) -> None:
        self.reached = threading.Event()
        self._go = threading.Event()
        self.calls = 0
        stamp = state_module.stamp_local

        def held(*args, **kwargs):
            self.calls += 1
            if self.calls == 1:
                self.reached.set()
                assert self._go.wait(10), "the test never released the writer"
                if fail:
                    raise sqlite3.OperationalError("database or disk is full")
            return stamp(*args, **kwargs)

        monkeypatch.setattr(state_module, "stamp_local", held)

    def release(self) -> None:
        self._go.set()


@pytest.fixture
def store(state_path: Path) -> Iterator[StateStore]:
    opened = StateStore(state_path)
    yield opened
    opened.close()


def on_file(path: Path) -> tuple[set[str], set[str], list[str]]:
    """The read keys, starred keys and saved searches' names in the state file."""
    rows = read_rows(path)
    assert rows is not None
    marks, views = rows
    read = {key for key, read_at, _ in marks if read_at is not None}
    starred = {key for key, _, starred_at in marks if starred_at is not None}
    return read, starred, sorted(name for name, _, _ in views)


def stamps(path: Path) -> dict[tuple[str, str], str | None]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT kind, key, value FROM sync_stamps").fetchall()
    return {(kind, key): value for kind, key, value in rows}


def test_a_big_change_returns_before_it_is_written_and_then_reaches_the_file(
    store: StateStore, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held(monkeypatch)
    assert store.set_read(KEYS, True) == BIG
    assert held.reached.wait(5)
    assert store.read == set(KEYS)  # the list shows them read at once
    assert on_file(state_path)[0] == set()  # while the file has none yet
    held.release()
    assert store.wait_written(10)
    assert on_file(state_path)[0] == set(KEYS)
    assert {key for (kind, key), value in stamps(state_path).items() if value == "true"} == set(
        KEYS
    )
    assert not store.pending and not store.problem


def test_marks_made_while_the_thread_writes_follow_it(
    store: StateStore, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held(monkeypatch)
    store.set_read(KEYS, True)
    assert held.reached.wait(5)
    store.set_read(["https://news.example/late"], True)  # a small mark: it must not wait
    store.set_read([KEYS[0]], False)  # newer than the batch being written
    store.toggle_star(KEYS[1])
    store.save_view("Later", "is:unread")
    assert store.pending
    held.release()
    assert store.wait_written(10)
    read, starred, views = on_file(state_path)
    assert read == set(KEYS[1:]) | {"https://news.example/late"}
    assert starred == {KEYS[1]} and views == ["Later"]
    assert not store.pending and not store.problem
    assert stamps(state_path)[("read", KEYS[0])] is None  # the newer change, stamped last


def test_a_failed_batch_waits_again_under_newer_changes(
    store: StateStore, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held(monkeypatch, fail=True)
    store.set_read(KEYS, True)
    assert held.reached.wait(5)
    store.set_read([KEYS[0]], False)  # made while the doomed batch is written
    held.release()
    assert store.wait_written(10)
    assert "full" in store.problem and store.pending
    assert on_file(state_path)[0] == set()
    assert store.read == set(KEYS[1:])  # nothing lost in memory, the newer change kept
    assert store.save() is False  # a big change again: the thread takes it
    assert store.wait_written(10)
    assert on_file(state_path)[0] == set(KEYS[1:])
    assert not store.pending and not store.problem


def test_a_reload_while_the_thread_writes_keeps_its_batch(
    store: StateStore, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held(monkeypatch)
    store.set_read(KEYS, True)
    assert held.reached.wait(5)
    store.reload()  # a sync pass's: the file has none of the batch yet
    assert store.read == set(KEYS)
    store.reload(read_rows(state_path))
    assert store.read == set(KEYS)
    held.release()
    assert store.wait_written(10)


def test_closing_waits_for_the_thread(state_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    held = Held(monkeypatch)
    store = StateStore(state_path)
    store.set_read(KEYS, True)
    assert held.reached.wait(5)
    threading.Timer(0.3, held.release).start()
    assert store.close() == ""
    assert on_file(state_path)[0] == set(KEYS)


ODD_KEYS = [
    'https://a.example/"quoted"',
    "https://a.example/back\\slash",
    "https://a.example/\U0001f600-emoji",
    "https://a.example/ctrl\x01\x1f",
    "https://a.example/line\nbreak\ttab",
    "https://a.example/ünïcode/\u2028",
    "folder/no-url.md",
]


def _written(path: Path, json_above: int, monkeypatch: pytest.MonkeyPatch) -> tuple:
    monkeypatch.setattr(state_module, "JSON_ABOVE", json_above)
    store = StateStore(path)
    keys = ODD_KEYS + KEYS
    store.set_read(keys, True)
    store.set_read(keys[:4], False)  # after a save: these unread
    store.set_starred(keys[2:20], True)
    store.wait_written(10)
    read_early = set(keys[10:15])
    store.set_read(read_early, False)
    store.set_read(read_early, True)  # another time for a few: two times in one batch
    assert store.close() == ""
    with sqlite3.connect(path) as conn:
        marks = conn.execute(
            "SELECT key, read_at IS NOT NULL, starred_at IS NOT NULL FROM marks ORDER BY key"
        ).fetchall()
        stamped = conn.execute(
            "SELECT kind, key, value, machine FROM sync_stamps ORDER BY kind, key"
        ).fetchall()
    return marks, [row[:3] for row in stamped]


def test_the_json_arrays_store_what_rows_one_by_one_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_json = _written(tmp_path / "json.sqlite3", 5, monkeypatch)
    by_rows = _written(tmp_path / "rows.sqlite3", 10**9, monkeypatch)
    assert by_json == by_rows
    marks, stamped = by_json
    assert {key for key, _, _ in marks} == set(ODD_KEYS + KEYS)  # every odd key intact
    assert ("read", ODD_KEYS[0], None) in stamped and ("read", KEYS[-1], "true") in stamped
    assert ("star", ODD_KEYS[2], "true") in stamped


def test_a_small_change_is_written_at_once(store: StateStore, state_path: Path) -> None:
    assert store.set_read(KEYS[:10], True) == 10  # at the threshold, not past it
    assert on_file(state_path)[0] == set(KEYS[:10])
    assert store.wait_written(0)
