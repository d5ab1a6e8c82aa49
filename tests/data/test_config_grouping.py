"""``[list] group_duplicates``: on by default, a boolean or a problem at its key."""

from __future__ import annotations

import tomllib

import pytest

from reader.config import load_config
from reader.config.list_settings import ListSettings, parse_list
from reader.config.model import Problem


def parse(text: str) -> tuple[ListSettings, list[Problem]]:
    problems: list[Problem] = []
    return parse_list(tomllib.loads(text), problems), problems


def test_copies_are_grouped_by_default():
    settings, problems = parse("")
    assert settings.group_duplicates is True and problems == []


def test_false_lists_every_copy():
    settings, problems = parse("[list]\ngroup_duplicates = false\n")
    assert settings.group_duplicates is False and problems == []


@pytest.mark.parametrize("value", ['"no"', "0", "1", "[]", '"false"'])
def test_a_value_that_is_not_a_boolean_keeps_grouping_and_says_so(value):
    settings, problems = parse(f'[list]\ngroup_duplicates = {value}\ndate = "iso"\n')
    assert problems == [Problem(("list", "group_duplicates"), "must be true or false")]
    assert settings == ListSettings(date="iso")


def test_the_problem_names_its_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[list]\ndate = "iso"\ngroup_duplicates = "yes"\n', encoding="utf-8")
    loaded = load_config(path)
    assert [(p.path, p.line) for p in loaded.problems] == [(("list", "group_duplicates"), 3)]
    assert loaded.config.list.group_duplicates is True
