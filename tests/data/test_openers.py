"""``[[openers]]``: which URL runs which command, bad tables, and starting the command."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.config.model import Problem
from reader.openers import (
    OpenerError,
    OpenerTable,
    exit_problem,
    find,
    launch,
    missing_program,
    openers_from_document,
    parse_openers,
    run_in_terminal,
)

CONFIG = """
[[feeds]]
url = "https://example.com/feed.xml"

[[openers]]
match = '\\.(mp3|ogg)$'
command = ["mpv", "--no-video", "{url}"]

[[openers]]
match = "youtube\\\\.com/watch"
command = ["yt-player"]
terminal = true  # run in the foreground, the app suspended

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
    assert youtube.terminal and not opener.terminal
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
        ({"match": "x", "command": ["w3m"], "terminal": "yes"}, "'terminal' must be true or"),
        ({"match": "x", "command": ["w3m"], "terminal": 1}, "'terminal' must be true or false"),
        ("mpv", "not a table"),
    ],
)
def test_a_bad_table_is_one_line_and_the_others_still_work(table, reason):
    good = {"match": "mp3", "command": ["mpv"]}
    document = {"openers": [good, table, good]}
    openers, problems = openers_from_document(document, Path("config.toml"))
    assert len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith("config.toml: openers #2 left out: ") and reason in problems[0]
    assert [opener.command for opener in openers] == [("mpv",), ("mpv",)]
    assert find(openers, "https://a.test/x.mp3") is openers[0]


@pytest.mark.parametrize(
    ("table", "path"),
    [
        ({"match": "(", "command": ["mpv"]}, ("openers", 1, "match")),
        ({"match": "x", "command": "mpv"}, ("openers", 1, "command")),
        ({"match": "x", "command": ["w3m"], "terminal": "true"}, ("openers", 1, "terminal")),
        ("mpv", ("openers", 1)),
    ],
)
def test_each_problem_names_its_table_and_key_for_the_line_lookup(table, path):
    problems: list[Problem] = []
    openers = parse_openers({"openers": [{"match": "a", "command": ["a"]}, table]}, problems)
    assert len(openers) == 1
    assert [problem.path for problem in problems] == [path]
    assert problems[0].message.startswith("openers #2 left out: ")


def test_terminal_is_a_bool_and_false_by_default():
    tables = [
        {"match": "a", "command": ["w3m"], "terminal": True},
        {"match": "b", "command": ["mpv"], "terminal": False},
        {"match": "c", "command": ["mpv"]},
    ]
    openers, problems = openers_from_document({"openers": tables}, Path("c.toml"))
    assert problems == []
    assert [opener.terminal for opener in openers] == [True, False, False]


def test_an_unknown_key_is_reported_and_its_table_kept():
    tables = [{"match": "a", "command": ["w3m"], "termnal": True}]
    problems: list[Problem] = []
    openers = parse_openers({"openers": tables}, problems)
    assert [opener.command for opener in openers] == [("w3m",)] and not openers[0].terminal
    assert problems == [
        Problem(
            ("openers", 0, "termnal"),
            "openers #1: unknown key 'termnal' ignored (known: match, command, terminal)",
        )
    ]


def test_openers_not_an_array_of_tables():
    openers, problems = openers_from_document({"openers": {"match": "x"}}, Path("c.toml"))
    assert openers == []
    assert problems == ["c.toml: 'openers' must be an array of tables ([[openers]])"]
    found: list[Problem] = []
    assert parse_openers({"openers": "w3m"}, found) == []
    assert [problem.path for problem in found] == [("openers",)]


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


def _script(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "program.py"
    script.write_text(f"#!{sys.executable}\nimport os, signal, sys\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_run_in_terminal_waits_for_the_program_and_says_how_it_ended(tmp_path):
    marker = tmp_path / "ran"
    ok = _script(tmp_path, f"open({str(marker)!r}, 'a').write(repr(sys.argv[1:]))")
    assert run_in_terminal([str(ok), "https://a.test/?q=$(x);y"]) is None
    assert marker.read_text() == repr(["https://a.test/?q=$(x);y"])  # waited for, no shell
    failing = _script(tmp_path, "sys.exit(3)")
    assert run_in_terminal([str(failing)]) == "program.py exited with status 3"
    killed = _script(tmp_path, "os.kill(os.getpid(), signal.SIGTERM)")
    assert run_in_terminal([str(killed)]) == "program.py was ended by SIGTERM"


def test_a_ctrl_c_for_the_program_does_not_interrupt_the_app(tmp_path):
    """The terminal sends SIGINT to the whole foreground group: the app must live on.

    Run in a process group of its own, so the SIGINT reaches no test runner.
    """
    interrupts_group = _script(
        tmp_path, "signal.signal(signal.SIGINT, signal.SIG_DFL)\nos.killpg(0, signal.SIGINT)"
    )
    check = (
        "import signal, sys\n"
        # As in a terminal, whoever started the suite: run in the background, a shell ignores
        # SIGINT for its children, and Python then leaves it ignored.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from reader.openers import run_in_terminal\n"
        "print(run_in_terminal(sys.argv[1:]))\n"
        "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check, str(interrupts_group)],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == ["program.py was ended by SIGINT", "True"]


def test_a_program_that_cannot_start_is_one_line_before_and_at_the_start(tmp_path):
    assert missing_program([sys.executable]) is None
    assert missing_program(["no-such-pager-here"]) == (
        "cannot start no-such-pager-here: not found, or not executable"
    )
    plain = _write(tmp_path / "plain.txt", "hello")
    assert missing_program([str(plain)]) == "cannot start plain.txt: not found, or not executable"
    assert run_in_terminal([str(plain)]) == "cannot start plain.txt: Permission denied"
    assert run_in_terminal([sys.executable, "a\0b"]).startswith("cannot start the opener: ")
    assert exit_problem("w3m", 0) is None and exit_problem("w3m", -999) == (
        "w3m was ended by signal 999"
    )
