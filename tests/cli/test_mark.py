"""``newsreader mark read|unread|star|unstar QUERY`` through the real entry point.

The marks it sets must be the ones ``list is:unread`` / ``list is:starred`` see afterwards, and a
state file it cannot read or write must end in one line and exit 1 with nothing claimed as marked.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import RunCli, write_article
from storage_conditions import held, immutable

from reader.paths import resolve
from reader.state import StateStore

BOUND = 5.0
"""Seconds a command may take when the state file is refused (it waits 2 s for a holder)."""


@pytest.fixture
def news(cache: Path) -> Path:
    """Four articles: two about AI, one about transport, one without a URL (keyed by its path)."""
    write_article(
        cache,
        "speech.md",
        title="Speech benchmark",
        originalUrl="https://lab.example/speech",
        topics=["AI", "Speech"],
        provider="Lab",
    )
    write_article(
        cache,
        "ethics.md",
        title="Machine ethics panel",
        topics=["AI"],
        originalUrl="https://ethics.example/panel",
        provider="Ethics Weekly",
    )
    write_article(
        cache,
        "ferries.md",
        title="Autonomous ferries",
        topics=["Transport"],
        originalUrl="https://example.com/ferries",
        provider="Example News",
    )
    write_article(cache, "undated.md", title="Undated note", topics=["Transport"])
    return cache


def titles(stdout: str) -> list[str]:
    """The titles of ``list`` text output, sorted (the last column)."""
    return sorted(re.split(r"\s{2,}", line.strip())[-1] for line in stdout.splitlines())


def listed(run_cli: RunCli, news: Path, query: str) -> list[str]:
    done = run_cli("--cache-dir", news, "list", query)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return titles(done.stdout)


def one_line(done: subprocess.CompletedProcess) -> str:
    """The single stderr line of a command that failed with exit 1 and printed nothing."""
    assert done.returncode == 1 and done.stdout == "", (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_mark_read_then_unread_on_a_query(run_cli: RunCli, news: Path) -> None:
    done = run_cli("--cache-dir", news, "mark", "read", "topic:AI")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout == "marked 2 articles read\n"
    assert listed(run_cli, news, "is:unread") == ["Autonomous ferries", "Undated note"]
    again = run_cli("--cache-dir", news, "mark", "read", "topic:ai")
    assert again.stdout == "marked 0 articles read (2 articles already read)\n"
    # The same query language as list, free words included.
    done = run_cli("--cache-dir", news, "mark", "unread", "ethics")
    assert done.returncode == 0 and done.stdout == "marked 1 article unread\n"
    assert listed(run_cli, news, "is:unread") == [
        "Autonomous ferries",
        "Machine ethics panel",
        "Undated note",
    ]


def test_star_and_unstar_including_an_article_without_url(run_cli: RunCli, news: Path) -> None:
    done = run_cli("--cache-dir", news, "mark", "star", "topic:Transport")
    assert done.returncode == 0 and done.stdout == "marked 2 articles starred\n", done.stderr
    assert listed(run_cli, news, "is:starred") == ["Autonomous ferries", "Undated note"]
    assert listed(run_cli, news, "is:unread") == listed(run_cli, news, "")  # stars only
    done = run_cli("--cache-dir", news, "mark", "unstar", "undated")
    assert done.returncode == 0 and done.stdout == "marked 1 article unstarred\n"
    assert listed(run_cli, news, "is:starred") == ["Autonomous ferries"]
    store = StateStore(resolve().state_path)  # keyed as the reader keys them: URL, else path
    assert store.starred == {"https://example.com/ferries"}
    store.close()


def test_dry_run_changes_nothing(run_cli: RunCli, news: Path) -> None:
    assert run_cli("--cache-dir", news, "mark", "star", "provider:Lab").returncode == 0
    state = resolve().state_path
    before = state.read_bytes()
    for action, line in [
        ("read", "would mark 4 articles read"),
        ("unstar", "would mark 1 article unstarred (3 articles already unstarred)"),
    ]:
        done = run_cli("--cache-dir", news, "mark", action, "--all", "--dry-run")
        assert done.returncode == 0 and done.stdout == line + "\n", done.stderr
    assert state.read_bytes() == before
    assert len(listed(run_cli, news, "is:unread")) == 4
    assert listed(run_cli, news, "is:starred") == ["Speech benchmark"]


def test_an_empty_query_needs_all(run_cli: RunCli, news: Path) -> None:
    for query in ([], ["  "]):
        line = one_line(run_cli("--cache-dir", news, "mark", "read", *query))
        assert "--all" in line
    assert len(listed(run_cli, news, "is:unread")) == 4
    assert "--all" in run_cli("mark", "--help").stdout
    done = run_cli("--cache-dir", news, "mark", "read", "--all")
    assert done.returncode == 0 and done.stdout == "marked 4 articles read\n"
    assert listed(run_cli, news, "is:unread") == []


def test_a_qualifier_that_cannot_be_read_marks_nothing(run_cli: RunCli, news: Path) -> None:
    # list ignores it with a warning; here ignoring it would mark more than was asked for.
    line = one_line(run_cli("--cache-dir", news, "mark", "read", "topic:AI quality:>lots"))
    assert "quality:" in line and "not marking" in line
    assert len(listed(run_cli, news, "is:unread")) == 4


def test_a_damaged_state_file_gives_one_line_and_is_left_as_it_is(
    run_cli: RunCli, news: Path
) -> None:
    state = resolve().state_path
    state.parent.mkdir(parents=True)
    damaged = b"\x13\x37 not sqlite " * 500
    state.write_bytes(damaged)
    for args in (["read", "topic:AI"], ["star", "--all", "--dry-run"]):
        line = one_line(run_cli("--cache-dir", news, "mark", *args))
        assert "cannot read the marks" in line and "damaged or not a database" in line
    assert state.read_bytes() == damaged


def test_a_state_file_that_cannot_be_written_gives_one_line(run_cli: RunCli, news: Path) -> None:
    state = resolve().state_path
    state.parent.mkdir(parents=True)
    StateStore(state).close()
    with immutable(state):
        started = time.monotonic()
        done = run_cli("--cache-dir", news, "mark", "read", "topic:AI")
        took = time.monotonic() - started
        line = one_line(done)
        assert "could not be saved now" in line and "cannot be written" in line, line
        assert took < BOUND, took
        # The next run counts the waiting marks (the file still refuses them: dry runs need not).
        dry = run_cli("--cache-dir", news, "mark", "read", "topic:AI", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert dry.stdout == "would mark 0 articles read (2 articles already read)\n"
    # Kept beside the file by the state store, they are saved by the next run that opens it.
    assert listed(run_cli, news, "is:unread") == ["Autonomous ferries", "Undated note"]


def test_a_state_file_held_by_another_process_gives_one_line_in_time(
    run_cli: RunCli, news: Path
) -> None:
    state = resolve().state_path
    state.parent.mkdir(parents=True)
    StateStore(state).close()
    with held(state):
        started = time.monotonic()
        done = run_cli("--cache-dir", news, "mark", "star", "topic:AI")
        took = time.monotonic() - started
    line = one_line(done)
    assert "could not be saved now" in line and "in use by another program" in line, line
    assert took < BOUND, took
    assert listed(run_cli, news, "is:starred") == ["Machine ethics panel", "Speech benchmark"]
