"""``newsreader config``: --default, --path, --check, --edit, and the warning before a command."""

from __future__ import annotations

import stat
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import write_article

from reader.config.report import default_text


def _config_path(run_cli) -> Path:
    result = run_cli("config", "--path")
    assert result.returncode == 0 and result.stderr == ""
    path = Path(result.stdout.strip())
    assert path.name == "config.toml"
    return path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_default_is_valid_toml_that_check_accepts(run_cli):
    result = run_cli("config", "--default")
    assert result.returncode == 0 and result.stdout == default_text()
    document = tomllib.loads(result.stdout)
    assert document["theme"] == "textual-dark" and document["list"]["date"] == "relative"
    assert "[[openers]]" in result.stdout and "[[feeds]]" in result.stdout  # as examples
    path = _write(_config_path(run_cli), result.stdout)
    checked = run_cli("config", "--check")
    assert checked.returncode == 0 and checked.stdout.strip() == f"{path}: ok"


def test_check_without_a_file_is_ok(run_cli):
    result = run_cli("config", "--check")
    assert result.returncode == 0 and "ok (absent: every default)" in result.stdout


def test_check_prints_file_line_message_for_every_problem(run_cli):
    path = _write(
        _config_path(run_cli),
        '# mine\ntheme = "textual-dark"\ncolour = 1\n\n[[feeds]]\nurl = "https://a.example/"\n'
        'full_text = "yes"\n',
    )
    result = run_cli("config", "--check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:3: unknown key 'colour' (left out)",
        f"{path}:7: feed #1: full_text must be true or false",
    ]
    assert result.stderr.strip() == "2 problems; the defaults stand in for them"
    run_cli("config")  # no option: the check
    _write(path, "list = [\n")
    bad = run_cli("config")
    assert bad.returncode == 1 and bad.stdout.startswith(f"{path}:1: not valid TOML: ")


def test_one_option_at_a_time(run_cli):
    result = run_cli("config", "--path", "--check")
    assert result.returncode == 2 and "one of" in result.stderr


def _editor(tmp_path: Path, text: str) -> str:
    """A script standing in for the editor: it writes ``text`` into the file it is given."""
    source = tmp_path / "text.toml"
    source.write_text(text, encoding="utf-8")
    script = tmp_path / "editor.py"
    script.write_text(
        "import shutil, sys\n"
        f"shutil.copyfile({str(source)!r}, sys.argv[-1])\n"
        "open(sys.argv[-1] + '.log', 'a').write(' '.join(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    wrapper = tmp_path / "editor"
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} {script} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return str(wrapper)


def test_edit_runs_visual_then_checks(run_cli, tmp_path):
    path = _config_path(run_cli)
    good = _editor(tmp_path, 'theme = "textual-light"\n')
    result = run_cli("config", "--edit", env={"VISUAL": good, "EDITOR": "false"})
    assert result.returncode == 0, result.stderr
    assert path.read_text() == 'theme = "textual-light"\n'
    assert result.stdout.strip() == f"{path}: ok"
    assert Path(f"{path}.log").read_text() == f"{path}\n"


def test_edit_with_problems_reports_them_without_asking_when_not_interactive(run_cli, tmp_path):
    path = _config_path(run_cli)
    bad = _editor(tmp_path, "colour = 1\n")
    result = run_cli("config", "--edit", env={"VISUAL": "", "EDITOR": f"{bad} --wait"})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{path}:1: unknown key 'colour' (left out)"]
    assert "Edit it again" not in result.stdout + result.stderr
    assert Path(f"{path}.log").read_text() == f"--wait {path}\n"  # $EDITOR's own arguments kept


def test_edit_says_so_when_there_is_no_editor(run_cli, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = run_cli("config", "--edit", env={"VISUAL": "", "EDITOR": "", "PATH": str(empty)})
    assert result.returncode == 1
    assert "no editor found: set $VISUAL or $EDITOR" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_list_warns_in_one_line_and_runs_on_the_defaults(run_cli, cache):
    write_article(cache, "one.md", "Body", title="One", publishedDateTime="2021-03-14T09:30:00Z")
    _write(_config_path(run_cli), "colour = 1\nkeep_days = -3\n")
    result = run_cli("list", "--cache-dir", cache)
    assert result.returncode == 0 and result.stdout.rstrip().endswith("One")
    assert result.stderr.splitlines() == [
        "warning: config.toml: 2 problems, the defaults stand in (newsreader config --check)"
    ]


def test_edit_asks_again_until_the_file_is_good(tmp_path, monkeypatch):
    """Like visudo: problems are shown and the editor opens again when the person says so."""
    from click.testing import CliRunner

    from reader import config_command
    from reader.cli import main

    texts = iter(["colour = 1\n", 'theme = "textual-dark"\n'])
    runs: list[list[str]] = []

    def editor(argv, check):
        runs.append(argv)
        Path(argv[-1]).write_text(next(texts), encoding="utf-8")
        return subprocess.CompletedProcess(argv, 0)

    monkeypatch.setenv("VISUAL", "myeditor -f")
    monkeypatch.setattr(config_command, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(config_command.subprocess, "run", editor)
    result = CliRunner().invoke(main, ["config", "--edit"], input="y\n")
    assert result.exit_code == 0, result.output
    assert len(runs) == 2 and runs[0][:2] == ["myeditor", "-f"]
    assert "unknown key 'colour'" in result.output and "Edit it again? [Y/n]" in result.output
    assert result.output.rstrip().endswith(": ok")

    texts = iter(["colour = 1\n"])
    runs.clear()
    result = CliRunner().invoke(main, ["config", "--edit"], input="n\n")
    assert result.exit_code == 1 and len(runs) == 1
    assert "The defaults stand in for these keys" in result.output


def test_check_reports_key_problems_that_need_the_real_bindings(run_cli):
    """[keys] entries are checked against the screens' bindings, each on its own line."""
    path = _write(
        _config_path(run_cli),
        '# remaps\n[keys]\ntoggle_star = "s"\nopen = "o"\nno_such_action = "z"\n',
    )
    result = run_cli("config", "--check")
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}:3: keys.toggle_star: ") and "toggle_sort" in lines[0]
    assert lines[1].startswith(f"{path}:5: ") and "no_such_action" in lines[1]


def test_check_reports_a_theme_textual_does_not_know(run_cli):
    path = _write(_config_path(run_cli), '# look\ntheme = "no-such-theme"\n')
    result = run_cli("config", "--check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:2: unknown theme 'no-such-theme', using textual-dark"
        " (ctrl+p, Change theme lists them)"
    ]
    _write(path, 'theme = "solarized-light"\n')
    assert run_cli("config", "--check").returncode == 0
