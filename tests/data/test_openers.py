"""``[[openers]]``: which URL runs which command, bad tables, and starting the command."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from reader.openers import OpenerError, OpenerTable, find, launch, openers_from_document

CONFIG = """
[[feeds]]
url = "https://example.com/feed.xml"

[[openers]]
match = '\\.(mp3|ogg)$'
command = ["mpv", "--no-video", "{url}"]

[[openers]]
match = "youtube\\\\.com/watch"
command = ["yt-player"]
terminal = true  # a later version's key: ignored

[[openers]]
match = "example"
command = ["catch-all", "--url={url}"]
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_first_match_wins_and_url_is_put_in_place(tmp_path):
    table = OpenerTable(_write(tmp_path / "config.toml", CONFIG))
    opener, problems = table.lookup("https://cdn.example.com/ep1.mp3")
    assert problems == []
    assert opener is not None and opener.name == "mpv"
    assert opener.argv("https://cdn.example.com/ep1.mp3") == [
        "mpv",
        "--no-video",
        "https://cdn.example.com/ep1.mp3",
    ]
    youtube, _ = table.lookup("https://www.youtube.com/watch?v=abc")
    # No {url} in the command: the URL is appended.
    assert youtube.argv("https://www.youtube.com/watch?v=abc") == [
        "yt-player",
        "https://www.youtube.com/watch?v=abc",
    ]
    other, _ = table.lookup("https://example.org/page")
    assert other.argv("https://example.org/page") == ["catch-all", "--url=https://example.org/page"]


def test_no_match_and_no_file_mean_the_browser(tmp_path):
    table = OpenerTable(_write(tmp_path / "config.toml", CONFIG))
    assert table.lookup("https://news.test/story") == (None, [])
    assert OpenerTable(tmp_path / "absent.toml").lookup("https://a.test/x.mp3") == (None, [])


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ({"match": "(unclosed", "command": ["mpv"]}, "not a valid regular expression"),
        ({"match": "x", "command": []}, "'command' must be a non-empty list"),
        ({"match": "x", "command": "mpv {url}"}, "'command' must be a non-empty list"),
        ({"match": "x", "command": ["mpv", 3]}, "'command' must be a non-empty list"),
        ({"match": "x", "command": [" "]}, "'command' must be a non-empty list"),
        ({"match": 5, "command": ["mpv"]}, "'match' must be a non-empty string"),
        ({"command": ["mpv"]}, "'match' must be a non-empty string"),
        ("mpv", "not a table"),
    ],
)
def test_a_bad_table_is_one_line_and_the_others_still_work(table, reason):
    good = {"match": "mp3", "command": ["mpv"]}
    openers, problems = openers_from_document({"openers": [table, good]}, Path("config.toml"))
    assert len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith("config.toml: opener #1 left out: ") and reason in problems[0]
    assert [opener.command for opener in openers] == [("mpv",)]
    assert find(openers, "https://a.test/x.mp3") is openers[0]


def test_openers_not_an_array_of_tables():
    openers, problems = openers_from_document({"openers": {"match": "x"}}, Path("c.toml"))
    assert openers == []
    assert problems == ["c.toml: 'openers' must be an array of tables ([[openers]])"]


def test_problems_are_reported_once_per_version_of_the_file(tmp_path):
    path = _write(tmp_path / "config.toml", '[[openers]]\nmatch = "("\ncommand = ["mpv"]\n')
    table = OpenerTable(path)
    opener, problems = table.lookup("https://a.test/x")
    assert opener is None and len(problems) == 1 and "regular expression" in problems[0]
    assert table.lookup("https://a.test/x") == (None, [])  # said once, not at every key press
    _write(path, "not toml at all = = =\n")
    opener, problems = table.lookup("https://a.test/x")
    assert opener is None and len(problems) == 1
    assert problems[0].startswith("openers not read: ") and "not valid TOML" in problems[0]
    _write(path, '[[openers]]\nmatch = "a\\\\.test"\ncommand = ["viewer"]\n# fixed now\n')
    opener, problems = table.lookup("https://a.test/x")
    assert problems == [] and opener.command == ("viewer",)


def _logging_script(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "opened.log"
    script = tmp_path / "logger.py"
    script.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"with open({str(log)!r}, 'a') as f:\n    f.write(repr(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def _wait_for(path: Path, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.02)
    raise AssertionError(f"{path} was not written in {timeout} s")


def test_launch_runs_the_argument_list_without_a_shell(tmp_path):
    script, log = _logging_script(tmp_path)
    url = "https://a.test/x.mp3?a=1&b=$(touch pwned);rm -rf /"
    launch([str(script), "--flag", url])
    assert _wait_for(log) == repr(["--flag", url]) + "\n"
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_a_finished_opener_leaves_no_zombie(tmp_path):
    script, log = _logging_script(tmp_path)
    before = _children()
    launch([str(script), "x"])
    _wait_for(log)
    deadline = time.monotonic() + 10
    while _children() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (_children() - before), "the finished opener is still a child (a zombie)"


def _children() -> set[int]:
    """Child processes of this one, zombies included (from /proc)."""
    me, found = os.getpid(), set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                found.add(int(entry.name))
    return found


def test_a_command_that_cannot_start_is_one_line(tmp_path):
    with pytest.raises(OpenerError) as missing:
        launch([str(tmp_path / "no-such-player"), "https://a.test/x"])
    assert str(missing.value) == "cannot start no-such-player: No such file or directory"
    not_executable = _write(tmp_path / "plain.txt", "hello")
    with pytest.raises(OpenerError) as refused:
        launch([str(not_executable)])
    assert str(refused.value) == "cannot start plain.txt: Permission denied"
