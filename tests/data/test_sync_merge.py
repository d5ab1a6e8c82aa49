"""Marks, stars and saved searches made on several machines converge through one folder."""

from __future__ import annotations

import itertools

import pytest
from sync_machines import make_machines

from reader.state import SavedView
from reader.sync import clock, ledger
from reader.sync.clock import Stamp
from reader.sync.records import Change
from reader.sync.run import open_state

HOUR = 3600 * 1000


def _everyone_syncs(machines, rounds: int = 2) -> None:
    for _ in range(rounds):
        for machine in machines:
            machine.sync()


def test_marks_stars_and_searches_made_on_each_machine_reach_every_other(tmp_path, monkeypatch):
    _, (a, b, c) = make_machines(tmp_path, monkeypatch, "a", "b", "c")
    a.change("set_read", ["https://x.org/1", "https://x.org/2"])
    b.change("toggle_star", "https://x.org/3")
    c.change("save_view", "Climate", "topic:climate")
    c.change("set_read", ["https://x.org/4"])
    _everyone_syncs([a, b, c])
    expected = (
        {"https://x.org/1", "https://x.org/2", "https://x.org/4"},
        {"https://x.org/3"},
        [SavedView("Climate", "topic:climate")],
    )
    assert a.marks() == b.marks() == c.marks() == expected


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_opposite_changes_resolve_the_same_way_in_any_order(tmp_path, monkeypatch, order):
    _, machines = make_machines(tmp_path, monkeypatch, "a", "b", "c")
    a, b, c = machines
    a.change("set_read", ["https://x.org/1"])
    _everyone_syncs(machines)
    # Now, unaware of each other, b marks it unread and c marks it read again (later).
    b.change("set_read", ["https://x.org/1"], False)
    c.change("toggle_star", "https://x.org/1")
    b.change("toggle_star", "https://x.org/1")  # b's star comes last: it wins
    for index in order:
        machines[index].sync()
    _everyone_syncs(machines)
    states = [m.marks() for m in machines]
    assert states[0] == states[1] == states[2]
    assert states[0][0] == set()  # b's unread is the latest read/unread change
    assert states[0][1] == {"https://x.org/1"}


def test_a_tie_in_time_goes_to_the_same_machine_everywhere(tmp_path, monkeypatch):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.at_ms = b.at_ms = 1_800_000_000_000
    a.change("set_read", ["https://x.org/0"])  # (T, 0)
    a.change("set_read", ["https://x.org/1"])  # (T, 1): read on a
    b.change("set_read", ["https://x.org/1"])  # (T, 0)
    b.change("set_read", ["https://x.org/1"], False)  # (T, 1): unread on b, the same instant
    stamps = []
    for machine in (a, b):
        conn = open_state(machine.locations.state_path)
        stamps.append(
            conn.execute(
                "SELECT wall, counter FROM sync_stamps WHERE key = 'https://x.org/1'"
            ).fetchone()
        )
        conn.close()
    assert stamps[0] == stamps[1]
    for machine in (a, b, a, b):
        machine.sync()
    assert a.marks() == b.marks()
    ids = {}
    for machine in (a, b):
        conn = open_state(machine.locations.state_path)
        ids[machine.name] = ledger.machine_id(conn)
        conn.close()
    winner = max(ids, key=ids.get)
    assert ("https://x.org/1" in a.marks()[0]) == (winner == "a")


def test_a_clock_running_an_hour_ahead_does_not_beat_a_later_real_change(tmp_path, monkeypatch):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    b.offset_ms = HOUR
    b.change("toggle_star", "https://x.org/1")  # stamped an hour in the future
    b.sync()
    a.sync()  # a sees the star ...
    assert a.marks()[1] == {"https://x.org/1"}
    a.change("toggle_star", "https://x.org/1")  # ... and then unstars it, a minute later for real
    a.sync()
    b.sync()
    assert a.marks()[1] == b.marks()[1] == set()
    conn = open_state(a.locations.state_path)
    (wall,) = conn.execute(
        "SELECT wall FROM sync_stamps WHERE kind = 'star' AND key = 'https://x.org/1'"
    ).fetchone()
    conn.close()
    assert wall >= clock.now_ms() + HOUR - 60_000  # a's clock moved past b's stamp


def test_changes_made_while_another_machine_is_away_are_merged_when_it_comes_back(
    tmp_path, monkeypatch
):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.change("set_read", [f"https://x.org/{n}" for n in range(50)])
    a.sync()
    b.sync()
    a.change("set_read", [f"https://x.org/{n}" for n in range(10)], False)
    b.change("toggle_star", "https://x.org/49")
    a.sync()
    b.sync()
    a.sync()
    expected_read = {f"https://x.org/{n}" for n in range(10, 50)}
    assert a.marks()[0] == b.marks()[0] == expected_read
    assert a.marks()[1] == b.marks()[1] == {"https://x.org/49"}


def test_a_search_deleted_on_one_machine_goes_everywhere_and_a_renamed_query_follows(
    tmp_path, monkeypatch
):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.change("save_view", "Climate", "topic:climate")
    a.change("save_view", "Rust", "rust")
    _everyone_syncs([a, b])
    b.change("delete_view", "Rust")
    b.change("save_view", "Climate", "topic:climate quality:>=4")
    _everyone_syncs([a, b])
    assert a.marks()[2] == b.marks()[2] == [SavedView("Climate", "topic:climate quality:>=4")]


def test_marks_made_before_stamping_existed_are_sent_with_their_own_time(tmp_path, monkeypatch):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.change("set_read", ["https://x.org/old"])
    conn = open_state(a.locations.state_path)
    conn.execute("DELETE FROM sync_stamps")  # as a state file from before sync was written
    conn.execute("UPDATE marks SET read_at = 1700000000")
    conn.close()
    a.sync()
    b.sync()
    assert b.marks()[0] == {"https://x.org/old"}
    conn = open_state(b.locations.state_path)
    assert conn.execute("SELECT wall FROM sync_stamps").fetchone() == (1_700_000_000_000,)
    conn.close()


def test_merging_never_takes_an_older_change_and_a_second_merge_changes_nothing(tmp_path):
    conn = open_state(tmp_path / "state.sqlite3")
    newer = Change("read", "https://x.org/1", True, Stamp(2_000, 0, "bbbbbbbb"))
    older = Change("read", "https://x.org/1", None, Stamp(1_000, 5, "ffffffff"))
    first = ledger.merge(conn, [newer])
    assert first.marks == 1
    assert ledger.merge(conn, [older]).marks == 0
    assert ledger.merge(conn, [newer, older]).changed == 0
    assert conn.execute("SELECT read_at FROM marks").fetchone() == (2.0,)
    conn.close()
