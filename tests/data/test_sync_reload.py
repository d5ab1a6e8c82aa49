"""Marks merged by a sync pass are read off the UI thread, and never undo a mark made meanwhile."""

from __future__ import annotations

from sync_machines import make_machines

from reader.state import read_rows


def test_rows_read_after_a_merge_bring_the_other_machines_marks(tmp_path, monkeypatch):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    running = b.state()  # b's reader, open while the pass merges
    a.change("set_read", ["https://x.org/1"])
    a.change("toggle_star", "https://x.org/2")
    a.sync()
    b.sync()
    version = running.version
    rows = read_rows(b.locations.state_path)
    assert rows is not None and running.version == version
    running.reload(rows)
    assert (running.read, running.starred) == ({"https://x.org/1"}, {"https://x.org/2"})
    running.close()


def test_every_change_made_here_moves_the_version_on(tmp_path, monkeypatch):
    _, (a,) = make_machines(tmp_path, monkeypatch, "a")
    store = a.state()
    seen = [store.version]
    for action, args in (
        ("set_read", (["https://x.org/1"],)),
        ("set_starred", (["https://x.org/1"],)),
        ("toggle_star", ("https://x.org/1",)),
        ("save_view", ("Rust", "rust")),
        ("delete_view", ("Rust",)),
    ):
        getattr(store, action)(*args)
        seen.append(store.version)
    assert seen == sorted(set(seen))  # strictly rising: rows read before any of them are stale
    store.close()


def test_a_missing_state_file_reads_as_none(tmp_path):
    assert read_rows(tmp_path / "nothing.sqlite3") is None
