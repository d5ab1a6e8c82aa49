"""config.toml's problems: each one found, with its line, and the default kept for that key only."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from reader.config import Config, load_config
from reader.config.lines import key_lines, line_of
from reader.config.report import default_text, problem_line, summary
from reader.feeds.policy import Policy


def _load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "config.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return load_config(path)


def _lines(loaded) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.message) for problem in loaded.problems]


def test_an_absent_file_is_every_default(tmp_path):
    loaded = load_config(tmp_path / "config.toml")
    assert loaded.config == Config() and not loaded.problems


def test_unknown_top_level_keys_are_reported_with_their_line(tmp_path):
    loaded = _load(tmp_path, '# mine\ntheme = "textual-dark"\n\ncolour = "red"\n[display]\nx = 1\n')
    assert _lines(loaded) == [
        (4, "unknown key 'colour' (left out)"),
        (5, "unknown key 'display' (left out)"),
    ]
    assert loaded.config == Config()


def test_wrong_types_in_the_older_sections_each_with_their_line(tmp_path):
    text = "\n".join(
        [
            "keep_days = -1",  # 1
            'max_items = "ten"',  # 2
            "[[feeds]]",  # 3
            'url = "ftp://x.example/"',  # 4
            "[[feeds]]",  # 5
            'url = "https://ok.example/feed"',  # 6
            'full_text = "yes"',  # 7
            "refresh_minutes = true",  # 8
            "tittle = 1",  # 9
            "[[feeds]]",  # 10
            'name = "no url"',  # 11
            "[[openers]]",  # 12
            'match = "("',  # 13
            'command = ["mpv"]',  # 14
            "[topics]",  # 15
            "rename = 3",  # 16
            "",
        ]
    )
    problems = _lines(_load(tmp_path, text))
    assert [line for line, _ in problems] == [1, 2, 4, 7, 8, 9, 10, 13, 16]
    messages = " | ".join(message for _, message in problems)
    for words in (
        "keep_days must be between 0",
        "max_items must be a whole number",
        "feed #1: not an http:// or https:// URL",
        "feed #2: full_text must be true or false",
        "feed #2: refresh_minutes must be a whole number",
        "feed #2: unknown key 'tittle'",
        "feed #3 has no url",
        "openers #1 left out: 'match' is not a valid regular expression",
        "rename must be a table",
    ):
        assert words in messages


def test_bad_toml_carries_the_line_tomllib_names(tmp_path):
    loaded = _load(tmp_path, 'theme = "nord"\n\nlist = [\n')
    ((line, message),) = _lines(loaded)
    assert line == 3 and message.startswith("not valid TOML: ") and "line" not in message
    assert loaded.config == Config()
    ((line, _),) = _lines(_load(tmp_path, 'a = 1\nb = "unterminated'))
    assert line == 2  # "at end of document": the last line


def test_not_utf8_too_big_and_unreadable(tmp_path):
    ((line, message),) = _lines(_load(tmp_path, b'theme = "nord"\n# caf\xe9\n'))
    assert (line, message) == (2, "not UTF-8 text")
    ((line, message),) = _lines(_load(tmp_path, b"# x\n" * 300_000))
    assert line is None and "larger than 1 MiB" in message
    folder = tmp_path / "folder"
    (folder / "config.toml").mkdir(parents=True)
    ((line, message),) = _lines(load_config(folder / "config.toml"))
    assert line is None and message.startswith("cannot read it: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n')
    path.chmod(0)
    try:
        ((_, message),) = _lines(load_config(path))
    finally:
        path.chmod(0o600)
    assert "Permission denied" in message


def test_key_lines_cover_tables_arrays_dotted_keys_and_long_values():
    text = (
        '# top\ntheme = "x"\nhide = [\n  "a", # ]\n  """\n[fake]\n""",\n]\n'
        "list.columns = ['title']\n"
        "[[openers]]\nmatch = 'a'\n[[openers]]\n\"match\" = 'b'\ncommand = { x = 1 }\n"
        "[keys]\ntoggle_star = 'f'\n"
    )
    lines = key_lines(text)
    assert lines[("theme",)] == 2 and lines[("hide",)] == 3
    assert ("fake",) not in lines  # inside a multi-line string
    assert lines[("list", "columns")] == 9
    assert lines[("openers", 0, "match")] == 11 and lines[("openers", 1, "match")] == 13
    assert line_of(lines, ("openers", 1, "command", "x")) == 14  # inline: the holding key
    assert line_of(lines, ("keys", "toggle_star")) == 16
    assert line_of(lines, ("keys", "absent")) == 15  # not written: the table's header
    assert line_of(lines, ("nowhere",)) is None


def test_problem_lines_and_the_one_line_summary(tmp_path):
    path = tmp_path / "config.toml"
    loaded = _load(tmp_path, "colour = 1\nsize = 2\n")
    assert [problem_line(path, p) for p in loaded.problems] == [
        f"{path}:1: unknown key 'colour' (left out)",
        f"{path}:2: unknown key 'size' (left out)",
    ]
    assert summary(path, loaded) == (
        "config.toml: 2 problems, the defaults stand in (newsreader config --check)"
    )
    one = _load(tmp_path, "colour = 1\n")
    assert summary(path, one).startswith("config.toml:1: unknown key 'colour'")
    assert summary(path, _load(tmp_path, "")) == ""


# --- the documented defaults --------------------------------------------------------------

PENDING: set[tuple] = set()
"""Documented keys whose field is not in the model yet (none: every one is compared)."""


def _flatten(table: dict, prefix: tuple = ()) -> dict[tuple, object]:
    values = {}
    for key, value in table.items():
        if isinstance(value, dict):
            values.update(_flatten(value, (*prefix, key)))
        else:
            values[(*prefix, key)] = value
    return values


def _default_of(path: tuple) -> object:
    """The code's default for a documented key (Config, else Policy)."""
    if path[0] in Policy.__dataclass_fields__:
        return getattr(Policy(), path[0])
    value: object = Config()
    for key in path:
        value = getattr(value, key)
    return value


def test_every_documented_default_is_the_code_default():
    values = _flatten(tomllib.loads(default_text()))
    assert values, "the documented defaults are empty"
    for path, documented in values.items():
        if path in PENDING:
            try:
                _default_of(path)
            except AttributeError:
                continue
            pytest.fail(f"{path} is in the model now: take it out of PENDING")
        actual = _default_of(path)
        if isinstance(actual, tuple):
            actual = list(actual)
        assert documented == actual, f"{'.'.join(path)}: documented {documented!r}, code {actual!r}"


def test_the_documented_defaults_have_no_problem(tmp_path):
    loaded = _load(tmp_path, default_text())
    assert not loaded.problems and loaded.config == Config()
    assert all(len(line) <= 100 for line in default_text().splitlines())


def test_a_typo_is_told_the_key_it_looks_like(tmp_path):
    loaded = _load(tmp_path, "them = 'nord'\nrefresh_minute = 5\n[topics]\nrenames = {a = 'b'}\n")
    assert _lines(loaded) == [
        (1, "unknown key 'them' (did you mean 'theme'?)"),
        (2, "unknown key 'refresh_minute' (did you mean 'refresh_minutes'?)"),
        (4, "unknown key 'renames' (did you mean 'rename'?)"),
    ]
