"""``newsreader list``: copies of one story fold into one row, and JSON rows name the others.

On the ``story_cache`` cache: ``reef.md`` has a copy at the same address with
tracking parameters over http, and one with the same wire text from another
provider; ``survey.md`` shares their topic and words but is another story.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli
from story_cache import FEED_URL, REEF_URL, STORIES, TITLES, WIRE_URL, write_stories

from reader.paths import resolve

COPIES = {REEF_URL, FEED_URL, WIRE_URL}


@pytest.fixture
def stories(cache: Path) -> Path:
    return write_stories(cache)


def records(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def by_name(found: list[dict], cache: Path) -> dict[str, dict]:
    return {Path(r["path"]).relative_to(cache).as_posix(): r for r in found}


def configure(text: str) -> None:
    path = resolve().feeds_config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_json_rows_fold_copies_and_name_them(run_cli: RunCli, stories: Path) -> None:
    found = by_name(records(run_cli("--cache-dir", stories, "list", "--json")), stories)
    # One row per story: the newest copy (the first in the list's order) stands for reef's.
    assert set(found) == set(STORIES) - {"feeds/reef-feed.md", "reef-wire.md"}
    assert set(found["reef.md"]["duplicates"]) == {FEED_URL, WIRE_URL}
    # Sharing a topic and many words does not make a copy.
    for name in ("survey.md", "pacific.md", "ferries.md", "chess.md", "bread.md"):
        assert found[name]["duplicates"] == []


def test_no_group_prints_every_copy_with_its_duplicates(run_cli: RunCli, stories: Path) -> None:
    every = records(run_cli("--cache-dir", stories, "list", "--json", "--no-group"))
    found = by_name(every, stories)
    assert set(found) == set(STORIES) and len(every) == len(STORIES)
    for name in ("reef.md", "feeds/reef-feed.md", "reef-wire.md"):
        row = found[name]
        # Same address after normalisation (reef-feed), near-identical text (reef-wire).
        assert set(row["duplicates"]) == COPIES - {row["url"]}, name
    assert found["survey.md"]["duplicates"] == []


def plain_titles(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return [
        re.split(r"\s{2,}", re.sub(r"  \+\d+$", "", line.strip()))[-1]
        for line in result.stdout.splitlines()
    ]


def test_plain_rows_mark_the_folded_copies(run_cli: RunCli, stories: Path) -> None:
    grouped = run_cli("--cache-dir", stories, "list")
    assert plain_titles(grouped).count(TITLES["reef.md"]) == 1
    reef_row = next(line for line in grouped.stdout.splitlines() if TITLES["reef.md"] in line)
    assert reef_row.endswith(f"{TITLES['reef.md']}  +2") and "Ocean Times" in reef_row
    every = run_cli("--cache-dir", stories, "list", "--no-group")
    assert plain_titles(every).count(TITLES["reef.md"]) == 3
    assert "+2" not in every.stdout


def test_limit_counts_stories(run_cli: RunCli, stories: Path) -> None:
    first = records(
        run_cli("--cache-dir", stories, "list", "--json", "topic:Oceans", "--limit", "2")
    )
    assert [r["title"] for r in first] == [TITLES["survey.md"], TITLES["reef.md"]]


def test_a_query_matching_one_copy_lists_it_with_the_others(run_cli: RunCli, stories: Path) -> None:
    (wire,) = records(run_cli("--cache-dir", stories, "list", "--json", "provider:wire.example"))
    assert wire["url"] == WIRE_URL and set(wire["duplicates"]) == {REEF_URL, FEED_URL}


def test_config_can_turn_grouping_off(run_cli: RunCli, stories: Path) -> None:
    configure("[list]\ngroup_duplicates = false\n")
    assert len(records(run_cli("--cache-dir", stories, "list", "--json"))) == len(STORIES)
    grouped = records(run_cli("--cache-dir", stories, "list", "--json", "--group"))
    assert len(grouped) == len(STORIES) - 2
