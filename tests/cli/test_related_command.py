"""``newsreader related TARGET`` through the real entry point, on a cache with known answers.

The cache (``story_cache``): three articles on coral bleaching, three on other
subjects, and two copies of ``reef.md`` (its address with tracking parameters,
and its wire text from another provider).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli, write_article
from story_cache import FEED_URL, REEF_URL, TITLES, WIRE_URL, write_stories

from reader.paths import resolve

LIST_KEYS = {
    "title",
    "url",
    "published",
    "quality",
    "heat",
    "provider",
    "domain",
    "type",
    "topics",
    "path",
    "duplicates",
}


@pytest.fixture
def stories(cache: Path) -> Path:
    return write_stories(cache)


def rows(result: subprocess.CompletedProcess) -> list[tuple[float, str]]:
    """(score, title) of each plain row (without its +N copies); the command succeeded quietly."""
    assert result.returncode == 0 and result.stderr == "", result.stderr
    found = []
    for line in result.stdout.splitlines():
        score, *_, title = re.split(r"\s{2,}", re.sub(r"  \+\d+$", "", line.strip()))
        found.append((float(score), title))
    return found


def titles(result: subprocess.CompletedProcess) -> list[str]:
    return [title for _, title in rows(result)]


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1 and result.stdout == "", (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


SUBJECT = [TITLES["survey.md"], TITLES["pacific.md"]]
"""What is related to reef.md, best first: the other two coral bleaching stories only."""


def test_related_by_path_lists_the_same_subject_best_first(run_cli: RunCli, stories: Path) -> None:
    found = rows(run_cli("--cache-dir", stories, "related", stories / "reef.md"))
    assert [title for _, title in found] == SUBJECT
    assert found[0][0] > found[1][0] > 0
    # Neither reef.md nor its copies (same address, same wire text) is related to itself.
    assert TITLES["reef.md"] not in [title for _, title in found]


def test_target_relative_to_the_cache_or_to_here(run_cli: RunCli, stories: Path) -> None:
    from_cache = run_cli("related", "reef.md", "--cache-dir", stories)
    from_here = run_cli("--cache-dir", stories, "related", "cache/reef.md", cwd=stories.parent)
    assert titles(from_cache) == titles(from_here) == SUBJECT


@pytest.mark.parametrize(
    "url",
    [
        REEF_URL,
        "http://ocean.example/2024/reef-bleaching?utm_source=x&utm_campaign=y",
        "https://www.ocean.example/2024/reef-bleaching/",
    ],
)
def test_target_by_url_after_normalisation(run_cli: RunCli, stories: Path, url: str) -> None:
    assert titles(run_cli("--cache-dir", stories, "related", url)) == SUBJECT


def test_a_copy_as_target_leaves_out_the_story_it_is_a_copy_of(
    run_cli: RunCli, stories: Path
) -> None:
    for copy in ("feeds/reef-feed.md", "reef-wire.md"):
        assert titles(run_cli("--cache-dir", stories, "related", copy)) == SUBJECT


def test_copies_among_the_results_fold_into_one_row(run_cli: RunCli, stories: Path) -> None:
    grouped = titles(run_cli("--cache-dir", stories, "related", "survey.md"))
    assert grouped == [TITLES["reef.md"], TITLES["pacific.md"]]
    plain = run_cli("--cache-dir", stories, "related", "survey.md").stdout.splitlines()
    assert plain[0].endswith(f"{TITLES['reef.md']}  +2")
    every = titles(run_cli("--cache-dir", stories, "related", "survey.md", "--no-group"))
    assert every.count(TITLES["reef.md"]) == 3 and len(every) == 4


def test_only_the_candidates_and_their_copies_are_read(stories: Path, monkeypatch) -> None:
    """At a million, loading every article for ten rows took 4 s and 750 MB."""
    from click.testing import CliRunner

    from reader.cli import main
    from reader.library import Source

    loads, load = [], Source.load
    monkeypatch.setattr(
        Source, "load", lambda self, *a, **k: loads.append(a) or load(self, *a, **k)
    )
    result = CliRunner().invoke(main, ["--cache-dir", str(stories), "related", "survey.md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith(f"{TITLES['reef.md']}  +2")  # copies known
    assert not loads


def test_json_rows_are_list_rows_plus_a_score(run_cli: RunCli, stories: Path) -> None:
    result = run_cli("--cache-dir", stories, "related", "survey.md", "--json")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    listed = run_cli("--cache-dir", stories, "list", "--json")
    list_keys = set(json.loads(listed.stdout.splitlines()[0]))
    assert list_keys == LIST_KEYS
    assert [set(record) for record in records] == [LIST_KEYS | {"score"}] * 2
    first, second = records
    assert first["title"] == TITLES["reef.md"]
    assert isinstance(first["score"], float) and first["score"] > second["score"] > 0
    assert first["score"] == round(first["score"], 4)
    # The row stands for the story's best-scoring copy; the other two are its duplicates.
    copies = {REEF_URL, FEED_URL, WIRE_URL}
    assert first["url"] in copies and set(first["duplicates"]) == copies - {first["url"]}
    assert Path(first["path"]).is_absolute() and Path(first["path"]).is_file()
    assert second["duplicates"] == [] and second["title"] == TITLES["pacific.md"]


def test_limit(run_cli: RunCli, stories: Path) -> None:
    assert titles(run_cli("--cache-dir", stories, "related", "reef.md", "--limit", "1")) == [
        SUBJECT[0]
    ]


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_a_bad_limit_is_refused(run_cli: RunCli, stories: Path, limit: str) -> None:
    result = run_cli("--cache-dir", stories, "related", "reef.md", "--limit", limit)
    assert result.returncode == 2 and result.stdout == ""
    assert "--limit" in result.stderr and "Traceback" not in result.stderr


def test_hidden_articles_are_not_listed(run_cli: RunCli, stories: Path) -> None:
    config = resolve().feeds_config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("hide = ['provider:\"Pacific News\"']\n", encoding="utf-8")
    assert titles(run_cli("--cache-dir", stories, "related", "reef.md")) == SUBJECT[:1]


def test_an_unrelated_article_has_nothing_related(run_cli: RunCli, stories: Path) -> None:
    assert rows(run_cli("--cache-dir", stories, "related", "ferries.md")) == []


def test_missing_targets_say_so_in_one_line(run_cli: RunCli, stories: Path) -> None:
    message = one_line_error(run_cli("--cache-dir", stories, "related", "nowhere.md"))
    assert "no article with that file or URL" in message and "nowhere.md" in message
    message = one_line_error(
        run_cli("--cache-dir", stories, "related", "https://elsewhere.example/story")
    )
    assert "no article with that URL" in message and "elsewhere.example" in message


def test_a_target_outside_the_cache_is_refused(
    run_cli: RunCli, stories: Path, tmp_path: Path
) -> None:
    outside = write_article(tmp_path / "elsewhere", "reef.md", "x", title=TITLES["reef.md"])
    message = one_line_error(run_cli("--cache-dir", stories, "related", outside))
    assert "outside the cache" in message and str(outside) in message
    sneaky = one_line_error(run_cli("--cache-dir", stories, "related", "../elsewhere/reef.md"))
    assert "outside the cache" in sneaky


def test_a_target_that_is_not_an_article(run_cli: RunCli, stories: Path) -> None:
    (stories / "notes.txt").write_text("not an article", encoding="utf-8")
    write_article(stories, "broken.md", "no title here")
    for name in ("notes.txt", "broken.md", "feeds"):
        message = one_line_error(run_cli("--cache-dir", stories, "related", name))
        assert name in message and ("not an article" in message or "folder" in message), message


def test_an_empty_cache(run_cli: RunCli, cache: Path) -> None:
    message = one_line_error(run_cli("--cache-dir", cache, "related", "reef.md"))
    assert "no articles in" in message


def test_help_answers_with_an_example(run_cli: RunCli) -> None:
    result = run_cli("related", "--help")
    assert result.returncode == 0
    assert "TARGET" in result.stdout and "--limit" in result.stdout and "--json" in result.stdout
    assert "Examples:\n    newsreader related 2024/coral-reefs.md --limit 5\n" in result.stdout
    assert "related" in run_cli("--help").stdout
