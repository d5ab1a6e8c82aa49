"""``newsreader sync`` and ``sync status`` through the real entry point, on two simulated machines.

Each machine has its own config, data and cache folders; they share only the sync folder.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from cli_machines import Machine, both_syncing, one_error_line, two_machines
from conftest import RunCli

HOST_LINE = '{"machine":"abcdef123456","host":"desk","app":"newsreader","format":1}\n'


@pytest.fixture
def machines(run_cli: RunCli, tmp_path: Path) -> tuple[Machine, Machine]:
    return two_machines(run_cli, tmp_path)


def test_marks_made_on_each_machine_converge_through_the_folder(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, b = machines
    shared = both_syncing(machines, tmp_path)
    marked = a.ok("mark", "read", "topic:AI")
    assert marked.stderr == ""
    # The mark went out with the command itself: A's files in the folder hold it already.
    assert "https://lab.example/speech" in "".join(
        p.read_text("utf-8") for p in shared.glob("newsreader-*.jsonl")
    )
    pulled = b.ok("sync")
    assert "merged from other machines: 2 marks" in pulled.stdout, pulled.stdout
    assert b.listed("is:unread") == ["Autonomous ferries"]
    b.ok("mark", "star", "topic:Transport")
    b.ok("mark", "unread", "ethics")
    pushed = a.ok("sync")
    assert "merged from other machines: 2 marks" in pushed.stdout, pushed.stdout
    assert a.listed("is:starred") == ["Autonomous ferries"]
    assert a.listed("is:unread") == ["Autonomous ferries", "Machine ethics panel"]
    again = a.ok("sync")
    assert "nothing new from other machines" in again.stdout


def test_a_feed_added_on_one_machine_is_subscribed_on_the_other(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, b = machines
    both_syncing(machines, tmp_path)
    a.ok("feeds", "add", "https://news.example/feed.xml", "--no-check", "--name", "News")
    pulled = b.ok("sync")
    assert "subscribed to https://news.example/feed.xml" in pulled.stdout
    assert "https://news.example/feed.xml" in b.ok("feeds", "export").stdout
    a.ok("feeds", "remove", "https://news.example/feed.xml")
    assert "unsubscribed from https://news.example/feed.xml" in b.ok("sync").stdout


def test_sync_without_a_folder_says_how_to_set_one(machines: tuple[Machine, Machine]) -> None:
    a, _ = machines
    line = one_error_line(a.run("sync"))
    assert "no sync folder" in line and "newsreader sync --dir DIR" in line
    a.config_path.parent.mkdir(parents=True)
    a.config_path.write_text('sync_dir = "relative/path"\n', encoding="utf-8")
    line = one_error_line(a.run("sync"))
    assert "not an absolute path" in line and "newsreader sync --dir DIR" in line


def test_sync_dir_keeps_the_comments_expands_home_and_creates_the_folder(
    machines: tuple[Machine, Machine],
) -> None:
    a, _ = machines
    a.config_path.parent.mkdir(parents=True)
    a.config_path.write_text(
        '# my reader\ntheme = "nord"\n\n# what I follow\n[[feeds]]\nurl = "https://x.example/f"\n',
        encoding="utf-8",
    )
    done = a.ok("sync", "--dir", "~/Sync/news")
    folder = a.home / "Sync" / "news"
    assert folder.is_dir() and "created the sync folder" in done.stderr
    text = a.config_path.read_text("utf-8")
    assert text.startswith(f'# my reader\ntheme = "nord"\nsync_dir = {json.dumps(str(folder))}\n')
    assert "# what I follow\n[[feeds]]" in text
    assert "sent 1 change" in done.stdout  # the feed list, for the other machines
    assert [p.name for p in folder.iterdir()][0].startswith("newsreader-")
    # A relative folder is taken from the working directory, and stored whole.
    (a.home / "work").mkdir()
    a.run("sync", "--dir", "here", cwd=a.home / "work")
    assert f"sync_dir = {json.dumps(str(a.home / 'work' / 'here'))}" in a.config_path.read_text(
        "utf-8"
    )
    off = a.ok("sync", "--off")
    assert "sync is off" in off.stderr
    assert 'sync_dir = ""' in a.config_path.read_text("utf-8")
    assert "# what I follow" in a.config_path.read_text("utf-8")


def test_sync_dir_on_a_file_is_one_line(machines: tuple[Machine, Machine], tmp_path: Path) -> None:
    a, _ = machines
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert "not a directory" in one_error_line(a.run("sync", "--dir", tmp_path / "afile"))
    assert not a.config_path.exists()


def test_a_missing_folder_exits_1_and_marks_still_work(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, _ = machines
    shared = tmp_path / "usb"
    a.ok("sync", "--dir", shared)
    for entry in shared.iterdir():
        entry.unlink()
    shared.rmdir()  # the drive is unplugged
    line = one_error_line(a.run("sync"))
    assert f"{shared} is not there: changes wait until it is" in line
    marked = a.run("mark", "read", "topic:Transport")
    assert marked.returncode == 0 and marked.stdout == "marked 1 article read\n"
    assert len(marked.stderr.strip().splitlines()) == 1 and "is not there" in marked.stderr
    assert a.listed("is:read") == ["Autonomous ferries"]
    status = a.ok("sync", "status")
    assert "(not there: changes wait until it is)" in status.stdout
    assert "not yet sent: 1 change" in status.stdout
    shared.mkdir()  # plugged back in: the waiting change goes out
    assert "sent 1 change" in a.ok("sync").stdout


def test_status_lists_the_other_machines_their_hosts_and_skipped_lines(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, b = machines
    shared = tmp_path / "shared"
    a.ok("mark", "read", "topic:AI")  # before any folder: waits in the state file
    a.config_path.parent.mkdir(parents=True)
    a.config_path.write_text(f"sync_dir = {json.dumps(str(shared))}\n", encoding="utf-8")
    shared.mkdir()
    b.ok("sync", "--dir", shared)
    b.ok("mark", "star", "topic:Transport")
    wall = int(time.time() * 1000) - 3 * 3600 * 1000
    change = {"k": "read", "i": "https://x.example/1", "v": True, "w": wall, "c": 0}
    change["m"] = "abcdef123456"
    (shared / "newsreader-abcdef123456.log-1.jsonl").write_text(
        HOST_LINE + json.dumps(change) + '\nnot json\n{"k": "read"}\n', encoding="utf-8"
    )
    (shared / "newsreader-garbled.snapshot.jsonl").write_text("\x00\x01junk\n", encoding="utf-8")
    (shared / ".syncthing.newsreader-x.jsonl.tmp").write_text("junk\n", encoding="utf-8")
    done = a.ok("sync", "status")
    out = done.stdout
    me = re.search(r"^this machine: ([0-9a-f]+) \(", out, re.M)
    assert me is not None
    assert f"sync folder: {shared}\n" in out
    assert "not yet sent: 2 changes" in out  # the two marks made before the folder was set
    assert "other machines in the folder: 2" in out
    desk = re.search(
        r"^  abcdef123456 \(desk\): last change (.*), 1 change made there, 1 file$", out, re.M
    )
    assert desk is not None, out
    assert "(3h ago)" in desk.group(1)
    assert re.search(r"^    skipped 2 unreadable lines$", out, re.M), out
    b_line = [line for line in out.splitlines() if line.startswith("  ") and "desk" not in line]
    assert any("1 change made there" in line for line in b_line), out
    assert "files that name no machine: 1 file" in out
    as_json = json.loads(a.ok("sync", "status", "--json").stdout)
    assert as_json["folder"] == str(shared) and as_json["present"] and as_json["unsent"] == 2
    desk_json = next(m for m in as_json["machines"] if m["id"] == "abcdef123456")
    assert desk_json == {
        "id": "abcdef123456",
        "host": "desk",
        "files": 1,
        "last_wall": wall,
        "changes": 1,
        "skipped": 2,
        "partial": 0,
    }
    # Nothing was merged: the status reads, it does not sync.
    assert a.listed("is:starred") == []
    assert "merged from other machines: 2 marks" in a.ok("sync").stdout


def test_sync_and_status_help(run_cli: RunCli) -> None:
    for args in (("sync", "--help"), ("sync", "status", "--help"), ("state", "import", "--help")):
        done = run_cli(*args)
        assert done.returncode == 0 and done.stdout.startswith(
            f"Usage: newsreader {' '.join(args[:-1])}"
        )
    assert "status" in run_cli("sync", "--help").stdout
