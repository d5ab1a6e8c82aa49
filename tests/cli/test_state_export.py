"""``newsreader state export`` / ``state import`` through the real entry point.

An export moved into a fresh data folder must give the same marks and saved
searches; an import merges (a mark set later here is never undone by an
older file); a file that is not one gives one line and exit 1.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_machines import Machine, both_syncing, one_error_line, two_machines
from conftest import RunCli

from reader.state import StateStore


@pytest.fixture
def machines(run_cli: RunCli, tmp_path: Path) -> tuple[Machine, Machine]:
    return two_machines(run_cli, tmp_path)


def state_path(machine: Machine) -> Path:
    return machine.home / "data" / "newsreader" / "state.sqlite3"


def test_export_then_import_into_a_fresh_data_folder_keeps_marks_and_searches(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, b = machines
    a.ok("mark", "read", "topic:AI")
    a.ok("mark", "star", "ferries")
    a.ok("mark", "unread", "ethics")
    store = StateStore(state_path(a))
    store.save_view("Boats", "topic:Transport")
    store.close()
    target = tmp_path / "out" / "marks.jsonl"
    done = a.ok("state", "export", target)
    assert done.stdout == (
        f"exported 1 read mark, 1 star, 1 saved search (1 undone mark) to {target}\n"
    )
    assert not [p for p in target.parent.iterdir() if p != target]  # no temporary file left
    lines = target.read_text("utf-8").splitlines()
    assert json.loads(lines[0])["app"] == "newsreader"
    assert a.ok("state", "export").stdout == target.read_text("utf-8")
    assert a.ok("state", "export", "-").stdout == target.read_text("utf-8")

    imported = b.ok("state", "import", target)
    assert imported.stdout.startswith(f"read 4 changes from {target}: 3 applied, 1 left")
    assert b.listed("is:read") == ["Speech benchmark"]
    assert b.listed("is:starred") == ["Autonomous ferries"]
    searches = StateStore(state_path(b))
    assert [(v.name, v.query) for v in searches.views()] == [("Boats", "topic:Transport")]
    searches.close()
    again = b.ok("state", "import", target)
    assert "0 applied, 4 left" in again.stdout


def test_marks_made_before_stamping_are_exported(machines: tuple[Machine, Machine]) -> None:
    a, _ = machines
    a.ok("mark", "read", "topic:AI")
    with sqlite3.connect(state_path(a)) as conn:  # a state file from before sync existed
        conn.execute("DELETE FROM sync_stamps")
        conn.execute("DELETE FROM sync_meta")
    conn.close()
    exported = a.ok("state", "export").stdout
    assert "https://lab.example/speech" in exported and "https://ethics.example/panel" in exported


def test_import_never_overwrites_a_newer_mark(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, b = machines
    a.ok("mark", "read", "topic:AI")
    a.ok("state", "export", tmp_path / "old.jsonl")
    b.ok("mark", "read", "ethics")
    b.ok("mark", "unread", "ethics")  # later than A's read: stays unread
    done = b.ok("state", "import", tmp_path / "old.jsonl")
    assert "1 applied, 1 left (the same or newer here)" in done.stdout
    assert b.listed("is:read") == ["Speech benchmark"]
    # And the other way: B's newer unread undoes A's older read.
    b.ok("state", "export", tmp_path / "new.jsonl")
    assert "1 applied" in a.ok("state", "import", tmp_path / "new.jsonl").stdout
    assert a.listed("is:read") == ["Speech benchmark"]


def test_unreadable_lines_are_counted_and_feed_lines_left_out(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, _ = machines
    mark = {"k": "star", "i": "https://lab.example/speech", "v": True, "w": 1, "c": 0}
    feed = {"k": "feed", "i": "https://evil.example/f", "v": {"n": "x"}, "w": 1, "c": 0}
    mark["m"] = feed["m"] = "abcdef123456"
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join([json.dumps(mark), "{broken", json.dumps(feed), '{"k":"star"}', "[1]"]),
        encoding="utf-8",
    )
    done = a.ok("state", "import", path)
    assert done.stdout == (
        f"read 2 changes from {path}: 1 applied, 0 left (the same or newer here), "
        "3 unreadable lines skipped, 1 feed line left out\n"
    )
    assert a.listed("is:starred") == ["Speech benchmark"]
    assert not a.config_path.exists()  # no feed was subscribed


@pytest.mark.parametrize(
    "content",
    [b"hello\nworld\n", b"\x89PNG\r\n\x1a\n\x00\x00", b'{"k": "read"}\n', b"[]\n"],
)
def test_a_file_that_is_not_an_export_is_one_line(
    machines: tuple[Machine, Machine], tmp_path: Path, content: bytes
) -> None:
    a, _ = machines
    path = tmp_path / "not-marks.txt"
    path.write_bytes(content)
    line = one_error_line(a.run("state", "import", path))
    assert "not JSON Lines from newsreader state export" in line


def test_a_missing_file_or_folder_is_one_line(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, _ = machines
    assert "No such file" in one_error_line(a.run("state", "import", tmp_path / "nope.jsonl"))
    assert "cannot read" in one_error_line(a.run("state", "import", tmp_path))
    assert "cannot write" in one_error_line(a.run("state", "export", tmp_path))


def test_imported_marks_go_out_through_the_sync_folder(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, b = machines
    both_syncing(machines, tmp_path)
    mark = {"k": "star", "i": "https://example.com/ferries", "v": True, "w": 5, "c": 0}
    mark["m"] = "abcdef123456"
    path = tmp_path / "handed-over.jsonl"
    path.write_text(json.dumps(mark) + "\n", encoding="utf-8")
    a.ok("state", "import", path)
    assert "merged from other machines: 1 mark" in b.ok("sync").stdout
    assert b.listed("is:starred") == ["Autonomous ferries"]
