"""``newsreader list QUERY`` and ``--unread`` through the real entry point, with state in the data
dir."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import RunCli, write_article

from reader.paths import resolve
from reader.state import StateStore

SPEECH_URL = "https://lab.example/speech"
ETHICS_URL = "https://ethics.example/panel"


@pytest.fixture
def news(cache: Path) -> Path:
    """Five articles whose topics, providers, dates and qualities tell them apart."""
    write_article(
        cache,
        "speech.md",
        "Forty languages, measured on council recordings.",
        title="Speech benchmark",
        quality=60,
        publishedDateTime="2024-01-20T12:00:00Z",
        sourceUrl=SPEECH_URL,
        topics=["AI", "Speech"],
        provider={"name": "Lab Notes", "domain": "lab.example"},
    )
    write_article(
        cache,
        "ethics.md",
        "A panel on machine ethics.",
        title="Machine ethics panel",
        quality=90,
        publishedDateTime="2024-01-10T10:00:00Z",
        webUrl=ETHICS_URL,
        topics=["AI"],
        provider={"name": "RT", "domain": "rt.com"},
    )
    write_article(
        cache,
        "ferries.md",
        "Electric boats without a crew.",
        title="Autonomous ferries",
        quality=40,
        publishedDateTime="2023-12-30T09:30:00Z",
        originalUrl="https://example.com/ferries",
        topics=["Transport"],
        provider="Example News",
    )
    # no URL, no quality
    write_article(
        cache / "sub",
        "notes.md",
        "Machine learning reading list.",
        title="Reading notes",
        publishedDateTime="2024-02-05T00:00:00Z",
        topics=["ai"],
    )
    write_article(
        cache,
        "undated.md",
        "Nothing dated here.",
        title="Undated note",
        quality=55,
        topics=["Transport"],
    )
    return cache


def titles(result: subprocess.CompletedProcess) -> list[str]:
    """The titles of ``list`` text output (the last column), after checking the run went well."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [re.split(r"\s{2,}", line.strip())[-1] for line in result.stdout.splitlines()]


def mark(read: Iterable[str] = (), starred: Iterable[str] = ()) -> None:
    """Mark articles where the CLI looks: the data dir of the test's isolated XDG folders."""
    store = StateStore(resolve().state_path)
    assert store.conn.execute("PRAGMA database_list").fetchone()[2] == str(resolve().state_path)
    store.set_read(read)
    for key in starred:
        store.toggle_star(key)
    store.close()


def test_the_cli_uses_the_data_dir_the_tests_write_to(run_cli: RunCli, news: Path) -> None:
    result = run_cli("--cache-dir", news, "paths")
    assert f"data:   {resolve().data}" in result.stdout.splitlines()


def test_topic_and_unread_combine(run_cli: RunCli, news: Path) -> None:
    assert titles(run_cli("--cache-dir", news, "list", "topic:AI is:unread")) == [
        "Reading notes",
        "Speech benchmark",
        "Machine ethics panel",
    ]  # no state yet: all unread
    mark(read=[SPEECH_URL, "sub/notes.md"])  # a URL, and a path for the article without one
    assert titles(run_cli("--cache-dir", news, "list", "topic:AI is:unread")) == [
        "Machine ethics panel"
    ]
    assert titles(run_cli("--cache-dir", news, "list", "TOPIC:ai IS:UNREAD")) == [
        "Machine ethics panel"
    ]
    assert titles(run_cli("--cache-dir", news, "list", "topic:AI is:read")) == [
        "Reading notes",
        "Speech benchmark",
    ]


def test_unread_flag_alone_and_with_a_query(run_cli: RunCli, news: Path) -> None:
    mark(read=[ETHICS_URL, "https://example.com/ferries"])
    assert titles(run_cli("--cache-dir", news, "list", "--unread")) == [
        "Reading notes",
        "Speech benchmark",
        "Undated note",
    ]
    assert titles(run_cli("--cache-dir", news, "list", "topic:AI", "--unread")) == [
        "Reading notes",
        "Speech benchmark",
    ]
    assert titles(
        run_cli("--cache-dir", news, "list", "--unread", "--sort", "quality", "--limit", "1")
    ) == ["Speech benchmark"]


def test_starred(run_cli: RunCli, news: Path) -> None:
    assert titles(run_cli("--cache-dir", news, "list", "is:starred")) == []
    mark(read=[ETHICS_URL], starred=[ETHICS_URL, "undated.md"])
    assert titles(run_cli("--cache-dir", news, "list", "is:starred")) == [
        "Machine ethics panel",
        "Undated note",
    ]
    assert titles(run_cli("--cache-dir", news, "list", "is:starred", "--unread")) == [
        "Undated note"
    ]


def test_dates_quality_provider_and_words(run_cli: RunCli, news: Path) -> None:
    assert titles(run_cli("--cache-dir", news, "list", "after:2024-01-01 before:2024-02-01")) == [
        "Speech benchmark",
        "Machine ethics panel",
    ]
    assert titles(run_cli("--cache-dir", news, "list", "after:2024-01-20")) == [
        "Reading notes",
        "Speech benchmark",
    ]
    assert titles(run_cli("--cache-dir", news, "list", "quality:>50", "--sort", "quality")) == [
        "Machine ethics panel",
        "Speech benchmark",
        "Undated note",
    ]
    assert titles(run_cli("--cache-dir", news, "list", "quality:<=40")) == ["Autonomous ferries"]
    assert titles(run_cli("--cache-dir", news, "list", "provider:rt.com")) == [
        "Machine ethics panel"
    ]
    # Free words reach the body, with the qualifiers alongside.
    assert titles(run_cli("--cache-dir", news, "list", "machine")) == [
        "Reading notes",
        "Machine ethics panel",
    ]
    assert titles(run_cli("--cache-dir", news, "list", "machine quality:>0")) == [
        "Machine ethics panel"
    ]
    assert titles(run_cli("--cache-dir", news, "list", "council record")) == ["Speech benchmark"]


def test_type(run_cli: RunCli, news: Path) -> None:
    write_article(
        news,
        "clip.md",
        "Ferries filmed from the quay.",
        title="Ferry clip",
        type="Video",
        quality=70,
        publishedDateTime="2024-01-05T08:00:00Z",
        topics=["Transport"],
    )
    assert titles(run_cli("--cache-dir", news, "list", "type:video")) == ["Ferry clip"]
    assert titles(run_cli("--cache-dir", news, "list", "TYPE:VIDEO topic:transport")) == [
        "Ferry clip"
    ]
    assert titles(run_cli("--cache-dir", news, "list", "type:video quality:>80")) == []
    assert titles(run_cli("--cache-dir", news, "list", "type:article topic:Transport")) == [
        "Autonomous ferries",
        "Undated note",
    ]
    result = run_cli("--cache-dir", news, "list", "--json", "type:video")
    assert [json.loads(line)["type"] for line in result.stdout.splitlines()] == ["Video"]


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "quality:lots",
            [
                "Reading notes",
                "Speech benchmark",
                "Machine ethics panel",
                "Autonomous ferries",
                "Undated note",
            ],
        ),
        ("after:soon topic:Transport", ["Autonomous ferries", "Undated note"]),
    ],
)
def test_a_bad_qualifier_value_warns_once_and_still_lists(
    run_cli: RunCli, news: Path, query: str, expected: list[str]
) -> None:
    result = run_cli("--cache-dir", news, "list", query)
    assert titles(result) == expected
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsreader: ") and query.split(":")[0] in lines[0]


def test_json_output_with_a_query(run_cli: RunCli, news: Path) -> None:
    mark(read=[SPEECH_URL])
    result = run_cli("--cache-dir", news, "list", "--json", "topic:AI is:unread")
    assert result.returncode == 0 and result.stderr == ""
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in records] == ["Reading notes", "Machine ethics panel"]
    assert records[0]["url"] is None and records[0]["topics"] == ["ai"]
    assert records[0]["path"] == str(news / "sub" / "notes.md")
    assert records[1]["url"] == ETHICS_URL and records[1]["published"] == "2024-01-10T10:00:00Z"
    assert records[1]["quality"] == 90 and records[1]["domain"] == "rt.com"


def test_a_query_matching_nothing_prints_nothing(run_cli: RunCli, news: Path) -> None:
    result = run_cli("--cache-dir", news, "list", "zebra topic:AI")
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


def test_fts_syntax_in_a_query_is_harmless(run_cli: RunCli, news: Path) -> None:
    for query in ['"', "machine AND", "(machine", "machine -", "NEAR(", "*"]:
        result = run_cli("--cache-dir", news, "list", query)
        assert result.returncode == 0, (query, result.stderr)
        assert result.stderr == ""
    assert titles(run_cli("--cache-dir", news, "list", "machine -")) == [
        "Reading notes",
        "Machine ethics panel",
    ]


def test_source_matches_a_whole_provider_name_or_domain(run_cli: RunCli, news: Path) -> None:
    """``source:`` (and ``list --source``) is one source exactly; ``provider:`` takes a part."""
    assert titles(run_cli("--cache-dir", news, "list", "source:'lab notes'")) == [
        "Speech benchmark"
    ]
    assert titles(run_cli("--cache-dir", news, "list", "--source", "RT.com")) == [
        "Machine ethics panel"
    ]
    assert titles(run_cli("--cache-dir", news, "list", "--source", "Example News")) == [
        "Autonomous ferries"
    ]
    assert titles(run_cli("--cache-dir", news, "list", "source:lab")) == []  # not a part
    assert titles(run_cli("--cache-dir", news, "list", "provider:lab")) == ["Speech benchmark"]
