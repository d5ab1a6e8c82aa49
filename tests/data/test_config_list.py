"""``[list]`` in config.toml: columns, date style and pane widths, and every way to get them wrong.

Each wrong value is one problem at its key and keeps that key's default only;
the date styles are checked on fixed instants.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from reader.config import load_config
from reader.config.list_settings import COLUMNS, ListSettings, parse_list
from reader.config.model import Problem
from reader.formatting import DATE_WIDTHS, LIST_DATES, absolute_date, iso_date

DEFAULT = ListSettings()


def parse(text: str) -> tuple[ListSettings, list[Problem]]:
    problems: list[Problem] = []
    return parse_list(tomllib.loads(text), problems), problems


def test_defaults_without_a_list_table():
    settings, problems = parse("")
    assert settings == DEFAULT and problems == []
    assert settings.columns == ("mark", "date", "quality", "provider", "title") == COLUMNS
    assert (settings.date, settings.sidebar_width, settings.detail_width) == ("relative", 22, "17%")


def test_every_key_set():
    settings, problems = parse(
        '[list]\ncolumns = ["title", "date"]\ndate = "iso"\n'
        'sidebar_width = "25%"\ndetail_width = 40\n'
    )
    assert problems == []
    assert settings == ListSettings(("title", "date"), "iso", "25%", 40)


def test_title_alone_is_enough_and_spaces_around_a_percentage_are_forgiven():
    settings, problems = parse('[list]\ncolumns = ["title"]\ndetail_width = " 30% "\n')
    assert problems == [] and settings.columns == ("title",) and settings.detail_width == "30%"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('["mark", "date", "author", "title"]', "unknown column 'author'"),
        ('["title", "date", "date"]', "'date' is listed twice"),
        ('["mark", "date"]', 'must include "title"'),
        ("[]", 'must include "title"'),
        ('"title"', "must be a list of column names"),
        ('["title", 3]', "must be a list of column names"),
    ],
)
def test_wrong_columns_keep_the_default_columns_only(value, words):
    settings, problems = parse(f'[list]\ncolumns = {value}\ndate = "absolute"\n')
    assert [p.path for p in problems] == [("list", "columns")]
    assert words in problems[0].message
    assert settings == ListSettings(date="absolute")  # the other key still applies


@pytest.mark.parametrize("value", ['"Relative"', '"long"', "1", "true", '["iso"]'])
def test_wrong_date_style(value):
    settings, problems = parse(f"[list]\ndate = {value}\nsidebar_width = 30\n")
    assert problems == [
        Problem(("list", "date"), 'must be "relative", "absolute" or "iso"'),
    ]
    assert settings == ListSettings(sidebar_width=30)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("sidebar_width", "11"),  # fewer columns than a topic name needs
        ("sidebar_width", "81"),
        ("sidebar_width", '"4%"'),
        ("sidebar_width", '"51%"'),
        ("sidebar_width", "-5"),
        ("sidebar_width", "24.5"),
        ("sidebar_width", "true"),  # a bool is an int to Python, not to a person
        ("sidebar_width", '"wide"'),
        ("sidebar_width", '"25"'),  # a number in a string: columns or a slip? said, not guessed
        ("sidebar_width", '"25 %"'),
        ("sidebar_width", '"%"'),
        ("detail_width", "19"),
        ("detail_width", "161"),
        ("detail_width", '"9%"'),
        ("detail_width", '"71%"'),
        ("detail_width", '"1000%"'),
        ("detail_width", "[30]"),
    ],
)
def test_widths_out_of_bounds_or_malformed(key, value):
    settings, problems = parse(f"[list]\n{key} = {value}\n")
    assert [p.path for p in problems] == [("list", key)]
    assert "columns or" in problems[0].message and "of the terminal" in problems[0].message
    assert settings == DEFAULT


def test_widths_at_their_bounds_are_taken():
    settings, problems = parse('[list]\nsidebar_width = 12\ndetail_width = "70%"\n')
    assert problems == [] and (settings.sidebar_width, settings.detail_width) == (12, "70%")
    settings, problems = parse('[list]\nsidebar_width = "50%"\ndetail_width = 160\n')
    assert problems == [] and (settings.sidebar_width, settings.detail_width) == ("50%", 160)


def test_unknown_keys_are_problems_and_the_known_ones_still_apply():
    settings, problems = parse('[list]\ncolumn = ["title"]\ndate = "iso"\ntheme = "x"\n')
    assert [p.path for p in problems] == [("list", "column"), ("list", "theme")]
    assert "unknown key in [list]" in problems[0].message
    assert settings == ListSettings(date="iso")


def test_list_that_is_not_a_table():
    settings, problems = parse('list = "compact"\n')
    assert problems == [Problem(("list",), "must be a table ([list])")]
    assert settings == DEFAULT


def test_every_wrong_key_at_once_gives_one_problem_each(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[list]\ncolumns = ["date"]\ndate = "x"\nsidebar_width = 0\ndetail_width = "x"\n',
        encoding="utf-8",
    )
    loaded = load_config(path)
    assert [p.path for p in loaded.problems] == [
        ("list", "columns"),
        ("list", "date"),
        ("list", "sidebar_width"),
        ("list", "detail_width"),
    ]
    assert loaded.config.list == DEFAULT


# --- the date column's styles -------------------------------------------------------------

NOW = dt.datetime(2025, 12, 2, 15, 0, tzinfo=dt.UTC)


def stamp(*args: int) -> float:
    return dt.datetime(*args, tzinfo=dt.UTC).timestamp()


def test_absolute_dates_give_the_time_this_year_and_the_year_before():
    assert absolute_date(stamp(2025, 12, 2, 14, 5), NOW) == "2 Dec 14:05"
    assert absolute_date(stamp(2025, 1, 12, 9, 0), NOW) == "12 Jan 09:00"
    assert absolute_date(stamp(2024, 12, 2, 14, 5), NOW) == "2 Dec 2024"
    assert absolute_date(None, NOW) == "—"


def test_iso_dates_are_the_local_day():
    assert iso_date(stamp(2025, 12, 2, 14, 5), NOW) == "2025-12-02"
    zone = dt.timezone(dt.timedelta(hours=-5))  # 02:00 UTC is the evening before, 5 hours west
    assert iso_date(stamp(2025, 12, 2, 2, 0), NOW.astimezone(zone)) == "2025-12-01"
    assert iso_date(None, NOW) == "—"


@pytest.mark.parametrize("style", ["relative", "absolute", "iso"])
def test_each_style_fits_its_column(style):
    widest = [stamp(2025, 12, 12, 23, 59), stamp(2024, 12, 12, 0, 0), stamp(2025, 12, 2, 14, 0)]
    assert max(len(LIST_DATES[style](when, NOW)) for when in widest) == DATE_WIDTHS[style]
