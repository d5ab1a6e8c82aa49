"""config.toml's ``hide`` rules through the real entry point: ``list`` leaves their matches out,
``list --all`` shows them, and ``mark`` (which selects as ``list`` does) never touches them."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli, write_article

from reader.paths import resolve
from reader.state import StateStore


@pytest.fixture
def news(cache: Path) -> Path:
    """Four articles: one from an advertiser, one sponsored, two plain."""
    for name, title, provider, day in [
        ("rates.md", "Rates rise again", "wire.test", 10),
        ("mattress.md", "Best mattress of the year", "ads.example.com", 11),
        ("promo.md", "Sponsored: a week in the sun", "wire.test", 12),
        ("ferries.md", "Autonomous ferries", "wire.test", 13),
    ]:
        write_article(
            cache,
            name,
            f"{title}, the body.",
            title=title,
            publishedDateTime=f"2024-01-{day}T12:00:00Z",
            originalUrl=f"https://{provider}/{name}",
            provider={"name": provider, "domain": provider},
            topics=["News"],
        )
    return cache


def configure(text: str) -> None:
    path = resolve().feeds_config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def titles(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [re.split(r"\s{2,}", line.strip())[-1] for line in result.stdout.splitlines()]


RULES = 'hide = ["provider:ads.example.com", \'title:"sponsored"\']\n'


def test_list_leaves_out_what_the_rules_match(run_cli: RunCli, news: Path) -> None:
    configure(RULES)
    shown = ["Autonomous ferries", "Rates rise again"]
    assert titles(run_cli("--cache-dir", news, "list")) == shown
    assert titles(run_cli("list", "sun", "--cache-dir", news)) == []  # nor does a search find them
    assert titles(run_cli("--cache-dir", news, "list", "topic:News")) == [
        "Autonomous ferries",
        "Rates rise again",
    ]


def test_list_all_shows_them(run_cli: RunCli, news: Path) -> None:
    configure(RULES)
    assert len(titles(run_cli("--cache-dir", news, "list", "--all"))) == 4
    assert titles(run_cli("--cache-dir", news, "list", "--all", "sun")) == [
        "Sponsored: a week in the sun"
    ]


def test_list_json_leaves_them_out_too(run_cli: RunCli, news: Path) -> None:
    configure(RULES)
    result = run_cli("--cache-dir", news, "list", "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in records] == ["Autonomous ferries", "Rates rise again"]
    every = run_cli("--cache-dir", news, "list", "--json", "--all").stdout.splitlines()
    assert len(every) == 4


def test_without_rules_everything_is_listed(run_cli: RunCli, news: Path) -> None:
    assert len(titles(run_cli("--cache-dir", news, "list"))) == 4
    configure("hide = []\n")
    assert len(titles(run_cli("--cache-dir", news, "list"))) == 4


def test_a_bad_rule_is_said_in_one_line_and_the_others_apply(run_cli: RunCli, news: Path) -> None:
    configure('hide = ["after:someday", "provider:ads.example.com", 5]\n')
    result = run_cli("--cache-dir", news, "list")
    assert len(titles(result)) == 3
    assert result.stderr.splitlines() == [
        "warning: config.toml: 2 problems, the defaults stand in (newsreader config --check)"
    ]
    checked = run_cli("config", "--check").stdout.splitlines()
    assert len(checked) == 2, checked
    assert ":1: hide[0]: " in checked[0] and "date" in checked[0]
    assert ":1: hide[2]: " in checked[1]


def test_a_hide_that_is_not_a_list_is_said_and_hides_nothing(run_cli: RunCli, news: Path) -> None:
    configure('hide = "provider:ads.example.com"\n')
    result = run_cli("--cache-dir", news, "list")
    assert len(titles(result)) == 4
    assert result.stderr.startswith("warning: config.toml:1: hide: wants a list")


def test_mark_counts_and_marks_only_what_list_shows(run_cli: RunCli, news: Path) -> None:
    configure(RULES)
    result = run_cli("--cache-dir", news, "mark", "read", "--all")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "marked 2 articles read"
    store = StateStore(resolve().state_path)
    try:
        assert store.read == {"https://wire.test/rates.md", "https://wire.test/ferries.md"}
    finally:
        store.close()
    unread = titles(run_cli("--cache-dir", news, "list", "--all", "is:unread"))
    assert sorted(unread) == ["Best mattress of the year", "Sponsored: a week in the sun"]
