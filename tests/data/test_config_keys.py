"""Unit tests for ``[keys]``'s shape (reader/config/keys.py): what plain data can check."""

from __future__ import annotations

import tomllib

import pytest

from reader.config.keys import MAX_KEYS_PER_ACTION, KeySettings, parse_keys
from reader.config.model import Problem


def parse(text: str) -> tuple[KeySettings, list[Problem]]:
    problems: list[Problem] = []
    return parse_keys(tomllib.loads(text), problems), problems


def test_no_keys_table_gives_no_remaps_and_no_problem():
    settings, problems = parse('theme = "nord"\n')
    assert settings.remaps == {} and problems == []


def test_one_key_or_a_list_of_keys():
    settings, problems = parse('[keys]\ntoggle_star = "s"\nopen = ["o", "enter"]\n')
    assert problems == []
    assert settings.remaps == {"toggle_star": ("s",), "open": ("o", "enter")}


def test_keys_are_stripped_and_repeats_dropped_in_order():
    settings, problems = parse('[keys]\nopen = [" o ", "enter", "o"]\n')
    assert problems == [] and settings.remaps == {"open": ("o", "enter")}


def test_keys_not_a_table_is_one_problem_and_no_remaps():
    settings, problems = parse('keys = "s"\n')
    assert settings.remaps == {}
    assert [problem.path for problem in problems] == [("keys",)]
    assert "table" in problems[0].message


@pytest.mark.parametrize(
    "value",
    ["3", "true", "1.5", '{ key = "s" }', '["o", 3]', '[["o"]]', "2026-01-01"],
)
def test_a_value_that_is_not_a_string_or_a_list_of_strings(value):
    settings, problems = parse(f'[keys]\nopen = {value}\ntoggle_star = "s"\n')
    assert settings.remaps == {"toggle_star": ("s",)}  # the good entry stands
    assert [problem.path for problem in problems] == [("keys", "open")]
    assert "key name or a list of key names" in problems[0].message


def test_an_empty_list_is_a_problem():
    settings, problems = parse("[keys]\nopen = []\n")
    assert settings.remaps == {}
    assert problems == [Problem(("keys", "open"), problems[0].message)]
    assert "no key" in problems[0].message


@pytest.mark.parametrize("value", ['""', '"  "', '["o", ""]'])
def test_an_empty_key_name_is_a_problem(value):
    settings, problems = parse(f"[keys]\nopen = {value}\n")
    assert settings.remaps == {}
    assert [problem.path for problem in problems] == [("keys", "open")]
    assert "empty key name" in problems[0].message


def test_too_many_keys_is_a_problem():
    keys = ", ".join(f'"f{number}"' for number in range(1, MAX_KEYS_PER_ACTION + 2))
    settings, problems = parse(f"[keys]\nopen = [{keys}]\n")
    assert settings.remaps == {}
    assert [problem.path for problem in problems] == [("keys", "open")]


def test_every_wrong_entry_has_its_own_problem():
    _, problems = parse('[keys]\na = 1\nb = []\nc = ""\nd = "s"\n')
    assert [problem.path for problem in problems] == [("keys", "a"), ("keys", "b"), ("keys", "c")]
