"""What sync tools do to the folder: conflict copies, half-written lines, temp files, absence."""

from __future__ import annotations

import json
import shutil

from sync_machines import make_machines

from reader.sync import folder, run
from reader.sync.records import parse_line

URL = "https://x.org/{}"


def _line(kind: str, key: str, value, wall: int, machine: str = "c0ffee00c0ffee00") -> str:
    record = {"k": kind, "i": key, "v": value, "w": wall, "c": 0, "m": machine}
    return json.dumps(record) + "\n"


def test_conflict_copies_from_syncthing_and_dropbox_are_merged_too(tmp_path, monkeypatch):
    shared, (a,) = make_machines(tmp_path, monkeypatch, "a")
    name = "newsreader-c0ffee00c0ffee00.log-2"
    (shared / f"{name}.sync-conflict-20261202-101010-ABCDEFG.jsonl").write_text(
        _line("read", URL.format(1), True, 1_800_000_000_000)
    )
    (shared / f"{name} (conflicted copy 2026-12-02).jsonl").write_text(
        _line("star", URL.format(2), True, 1_800_000_000_000)
    )
    report = a.sync()
    assert (report.marks, report.skipped) == (2, 0)
    assert a.marks()[:2] == ({URL.format(1)}, {URL.format(2)})


def test_sync_tools_temporary_files_are_never_read(tmp_path, monkeypatch):
    shared, (a,) = make_machines(tmp_path, monkeypatch, "a")
    change = _line("read", URL.format(1), True, 1_800_000_000_000)
    for name in (
        ".syncthing.newsreader-c0ffee00c0ffee00.log-1.jsonl.tmp",
        "~syncthing~newsreader-c0ffee00c0ffee00.log-1.jsonl.tmp",
        "newsreader-c0ffee00c0ffee00.log-1.jsonl~",
        ".newsreader-c0ffee00c0ffee00.snapshot.jsonl",
        "newsreader-c0ffee00c0ffee00.log-1.jsonl.part",
    ):
        (shared / name).write_text(change)
    report = a.sync()
    assert report.files_read == 0
    assert a.marks()[0] == set()


def test_unreadable_lines_are_skipped_and_counted_and_a_half_written_line_waits(
    tmp_path, monkeypatch
):
    shared, (a,) = make_machines(tmp_path, monkeypatch, "a")
    log = shared / "newsreader-c0ffee00c0ffee00.log-1.jsonl"
    good = _line("read", URL.format(1), True, 1_800_000_000_000)
    cut = _line("read", URL.format(2), True, 1_800_000_000_001)
    later = _line("star", URL.format(3), True, 1_800_000_000_002)
    bad = [
        '{"k": "read", "i": "https://x.org/4", "v": tr\n',  # truncated mid-line by a crash
        "not json at all\n",
        "[1, 2, 3]\n",
        _line("read", "https://x.org/\x1b[2Jcleared", True, 1_800_000_000_000),
        _line("view", "Evil\x07", {"q": "x", "t": 1.0}, 1_800_000_000_000),
        _line("feed", "javascript:alert(1)", {"n": "x"}, 1_800_000_000_000),
        _line("read", URL.format(5), True, 2**60),
        _line("read", URL.format(6), "yes", 1_800_000_000_000),
    ]
    log.write_text(good + "".join(bad) + cut[:20])
    report = a.sync()
    assert report.marks == 1
    assert report.skipped == len(bad) + 1  # the half line counts until it is whole
    assert a.marks()[0] == {URL.format(1)}
    with log.open("a") as handle:  # the sync tool delivers the rest of the file
        handle.write(cut[20:] + later)
    report = a.sync()
    assert (report.marks, report.skipped) == (2, len(bad))
    assert a.marks()[:2] == ({URL.format(1), URL.format(2)}, {URL.format(3)})


def test_a_missing_folder_keeps_the_changes_until_it_is_back(tmp_path, monkeypatch):
    shared, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.sync()
    away = tmp_path / "unmounted"
    shared.rename(away)
    a.change("set_read", [URL.format(1)])
    report = a.sync()
    assert report.missing and "is not there" in report.line()
    assert not shared.exists()  # never made by a pass: an unmounted drive's mount point
    away.rename(shared)
    assert a.sync().sent == 1
    b.sync()
    assert b.marks()[0] == {URL.format(1)}


def test_the_own_log_is_folded_into_a_snapshot_and_only_own_files_are_removed(
    tmp_path, monkeypatch
):
    shared, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    monkeypatch.setattr(run, "COMPACT_LINES", 5)
    other = shared / "newsreader-c0ffee00c0ffee00.log-1.jsonl"
    other.write_text(_line("star", URL.format(99), True, 1_000))
    for n in range(12):
        a.change("set_read", [URL.format(n)])
        a.sync()
    names = sorted(p.name for p in shared.iterdir())
    own_logs = [n for n in names if ".log-" in n and "c0ffee00" not in n]
    assert len(own_logs) <= 1  # older generations went into the snapshot
    assert other.exists()
    b.sync()
    assert b.marks()[0] == {URL.format(n) for n in range(12)}
    assert b.marks()[1] == {URL.format(99)}


def test_every_file_can_be_read_twice_without_changing_anything(tmp_path, monkeypatch):
    shared, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.change("set_read", [URL.format(n) for n in range(20)])
    a.change("toggle_star", URL.format(3))
    a.sync()
    first = b.sync()
    assert first.marks == 21
    conn = run.open_state(b.locations.state_path)
    conn.execute("DELETE FROM sync_files")  # forget what was read: everything is read again
    conn.close()
    again = b.sync()
    assert again.files_read >= 1 and again.merged == 0


def test_own_lines_parse_back_to_the_same_change(tmp_path, monkeypatch):
    shared, (a,) = make_machines(tmp_path, monkeypatch, "a")
    a.change("save_view", "Über", 'title:"é" topic:ai')
    a.sync()
    (snapshot,) = [p for p in shared.iterdir() if p.name.endswith(".snapshot.jsonl")]
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    change = parse_line(lines[1])
    assert (
        change.kind == "view" and change.key == "Über" and change.value["q"] == 'title:"é" topic:ai'
    )
    assert change.line().strip() == lines[1]
    assert folder.is_readable_name(snapshot.name)


def test_a_deleted_folder_content_is_written_again_whole(tmp_path, monkeypatch):
    shared, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.change("set_read", [URL.format(1), URL.format(2)])
    a.sync()
    shutil.rmtree(shared)
    shared.mkdir()  # a new, empty sync folder (or one a person emptied)
    a.sync()
    b.sync()
    assert b.marks()[0] == {URL.format(1), URL.format(2)}


def test_an_idle_pass_merges_nothing_and_takes_no_write_lock(tmp_path, monkeypatch):
    shared, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.change("set_read", [URL.format(1)])
    a.sync()
    b.sync()

    def no_write(*args, **kwargs):
        raise AssertionError("an idle pass wrote to the state file")

    monkeypatch.setattr(run.ledger, "merge", no_write)
    monkeypatch.setattr(run.ledger, "stamp_local", no_write)
    report = b.sync()
    assert (report.sent, report.merged, report.files_read) == (0, 0, 0)


def test_a_state_file_copied_to_another_host_gets_its_own_id_there(tmp_path, monkeypatch):
    shared, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    a.change("set_read", [URL.format(1)])
    a.sync()
    shutil.copytree(a.locations.data, b.locations.data)  # a new laptop set up from a backup
    monkeypatch.setattr("socket.gethostname", lambda: "new-laptop")
    b.change("set_read", [URL.format(2)])
    b.sync()
    ids = {p.name.split(".")[0] for p in shared.iterdir()}
    assert len(ids) == 2  # two machines' files, none written by both
    monkeypatch.undo()
    a.sync()
    assert a.marks()[0] == {URL.format(1), URL.format(2)}
