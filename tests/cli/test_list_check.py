"""``newsreader list`` starts its file check first, and answers once the files are checked.

The entry point begins the check before the imports (:mod:`reader.early_check`);
the helper reads the index only once ``list`` has opened it (and perhaps
rebuilt it), and every change to the files before the command shows in its
output.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time
from pathlib import Path

import click
import pytest
from conftest import RunCli, imported_modules, write_article

from reader.index import index_path_for
from reader.library import Source
from reader.list_command import path_text
from reader.paths import Locations, resolve


def _titles(run_cli: RunCli, cache: Path, *args: str) -> list[str]:
    result = run_cli("--cache-dir", cache, "list", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["title"] for line in result.stdout.splitlines()]


@pytest.fixture
def indexed(cache: Path, run_cli: RunCli) -> Path:
    for i in range(12):
        write_article(
            cache / f"f{i % 3}",
            f"a{i:02d}.md",
            "Body.",
            title=f"Story {i:02d}",
            publishedDateTime=f"2024-03-{i + 1:02d}T10:00:00Z",
        )
    assert len(_titles(run_cli, cache)) == 12  # the index is made
    return cache


def test_changed_added_and_removed_files_show_at_once(run_cli: RunCli, indexed: Path) -> None:
    changed = indexed / "f0" / "a03.md"
    text = changed.read_text(encoding="utf-8").replace("Story 03", "Story 03 edited")
    changed.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(changed, (later, later))  # a file system with coarse times still sees it
    (indexed / "f1" / "a04.md").unlink()
    write_article(
        indexed / "f2", "new.md", "Body.", title="Brand new", publishedDateTime="2030-01-01"
    )
    titles = _titles(run_cli, indexed)
    assert titles[0] == "Brand new" and "Story 03 edited" in titles
    assert "Story 04" not in titles and len(titles) == 12
    assert _titles(run_cli, indexed, "--limit", "1") == ["Brand new"]
    assert _titles(run_cli, indexed, "edited") == ["Story 03 edited"]


def test_an_index_of_another_version_is_rebuilt_and_everything_listed(
    run_cli: RunCli, indexed: Path
) -> None:
    # Opening drops its tables: the check that read them before must not be believed.
    conn = sqlite3.connect(index_path_for(indexed))
    conn.execute("PRAGMA user_version = 12345")
    conn.commit()
    conn.close()
    assert len(_titles(run_cli, indexed, "--limit", "50")) == 12
    assert len(_titles(run_cli, indexed, "Story")) == 12


def _source(cache: Path) -> Source:
    return Source(Locations(cache, resolve().config, resolve().data))


def test_list_claims_the_check_the_entry_point_began(indexed: Path, monkeypatch) -> None:
    """The helper ``begin`` started answers ``list``: its files are not walked twice."""
    from reader import early_check, list_command

    walks = []
    monkeypatch.setattr("reader.index.compare", lambda *args: walks.append(args))
    (indexed / "f1" / "a04.md").unlink()
    early_check.begin(["--cache-dir", str(indexed), "list"])
    source = _source(indexed)
    try:
        pending = early_check.claim(source.root, source.index.db_path)
        assert pending is not None
        assert list_command.scan_checked(source, pending)  # the removed file was seen
        assert source.index.count() == 11 and not walks
    finally:
        source.index.close()


def test_printed_paths_are_the_sources(indexed: Path) -> None:
    source = _source(indexed)
    source.scan_index()
    entries = source.index.entries()
    assert entries and all(path_text(source)(e) == str(source.path_of(e)) for e in entries)


def test_list_imports_no_other_command(run_cli: RunCli, indexed: Path) -> None:
    imported = imported_modules(run_cli, "--cache-dir", indexed, "list", "--limit", "1")
    assert "reader.early_check" in imported
    for other in ("reader.feeds.commands", "reader.fulltext.commands", "reader.captions"):
        assert other not in imported


def test_list_over_unchanged_files_imports_no_parser(run_cli: RunCli, indexed: Path) -> None:
    """The article parser (YAML, the front matter's reader) and OPML are among the program's
    heaviest imports: a ``list`` that finds every file as indexed needs neither, and one that
    finds a changed file still parses it."""
    imported = imported_modules(run_cli, "--cache-dir", indexed, "list", "--limit", "1")
    assert "reader.library" in imported
    for unneeded in ("reader.articles", "reader.front_matter", "yaml", "reader.feeds.opml"):
        assert unneeded not in imported, unneeded
    story = indexed / "f1" / "a04.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Story 04", "Story 04 new"))
    imported = imported_modules(run_cli, "--cache-dir", indexed, "list", "new", "--json")
    assert "reader.articles" in imported
    assert _titles(run_cli, indexed, "new") == ["Story 04 new"]


def test_every_subcommand_is_found_by_its_name() -> None:
    from reader.cli import SUBCOMMANDS, main

    assert set(SUBCOMMANDS) <= set(main.commands)
    for name in main.commands:
        command = main.commands[name]
        assert isinstance(command, click.Command) and command.name == name
    assert main.commands.get("nonsense") is None


class _SlowCheck:
    """A file check whose answer is not in within ``list``'s quiet wait."""

    def __init__(self) -> None:
        self.waited: list[float] = []

    def arrives_within(self, seconds: float) -> bool:
        self.waited.append(seconds)
        return False

    def result(self, timeout: float | None = None) -> object:
        raise RuntimeError("the helper failed")  # the files are walked by list itself


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_a_slow_check_is_said_on_a_terminal_and_cleared(
    indexed: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    from reader import list_command

    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    (indexed / "f1" / "a04.md").unlink()
    source = _source(indexed)
    slow = _SlowCheck()
    try:
        assert list_command.scan_checked(source, slow)  # type: ignore[arg-type]
        assert source.index.count() == 11
    finally:
        source.index.close()
    assert slow.waited == [list_command.CHECK_QUIET_SECONDS]
    if terminal:
        assert err.getvalue() == "\r\x1b[KChecking the files…\r\x1b[K"
    else:
        assert err.getvalue() == ""  # a script's stderr stays clean
