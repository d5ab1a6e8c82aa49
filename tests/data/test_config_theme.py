"""``theme`` in config.toml: its type checked here, its name against the names the app knows."""

from __future__ import annotations

from reader.config import load_config
from reader.config.model import Problem
from reader.config.theme import DEFAULT_THEME, parse_theme, theme_problem
from reader.theme_styles import ALERT, KEY, NOTE, rich_theme


def test_absent_theme_is_the_default():
    problems: list[Problem] = []
    assert parse_theme({}, problems) == DEFAULT_THEME
    assert problems == []


def test_a_name_is_taken_as_written():
    problems: list[Problem] = []
    assert parse_theme({"theme": "catppuccin-latte"}, problems) == "catppuccin-latte"
    assert problems == []


def test_not_a_string_keeps_the_default_with_a_problem_at_its_key():
    for value in (3, ["nord"], {"name": "nord"}, "", "  "):
        problems: list[Problem] = []
        assert parse_theme({"theme": value}, problems) == DEFAULT_THEME
        assert [p.path for p in problems] == [("theme",)]
        assert "\n" not in problems[0].message


def test_wrong_theme_leaves_other_keys_alone(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("theme = 1\n", encoding="utf-8")
    loaded = load_config(path)
    assert loaded.config.theme == DEFAULT_THEME
    assert [p.path for p in loaded.problems] == [("theme",)]


def test_theme_problem_names_the_value_and_where_the_names_are():
    assert theme_problem("nord", ["nord", "textual-light"]) is None
    message = theme_problem("nrod", ["nord", "textual-light"])
    assert message is not None and "'nrod'" in message and "Change theme" in message
    assert "\n" not in message


def test_reader_styles_take_the_theme_colours():
    theme = rich_theme({"text-error": "#AA0000", "text-warning": "#BB8800"})
    assert str(theme.styles[ALERT]) == "bold #aa0000"
    assert str(theme.styles[NOTE]) == "italic #bb8800"
    assert str(theme.styles[KEY]) == "bold"  # a colour the theme lacks: none, never a fixed one
