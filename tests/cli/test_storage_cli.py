"""``newsreader`` commands under storage failures: one line on stderr, a non-zero exit, in time.

An index that cannot be written is used in memory, so ``list`` and ``check`` still print the
complete answer, then say why the index was not saved and exit 1. A state file whose marks cannot
be read makes ``is:`` queries fail (exit 1, nothing printed): an answer without the marks would
look right and be wrong.
"""

from __future__ import annotations

import time
from pathlib import Path

from conftest import GOOD_ARTICLES, RunCli, write_article
from storage_conditions import fill, held, tiny_disk

from reader.paths import resolve
from reader.state import StateStore

BOUND = 5.0
"""Seconds a command may take under any of these conditions (includes the interpreter's start)."""
GOOD_COUNT = len(list(GOOD_ARTICLES.glob("*.md")))


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr
    return lines[0]


def _timed(run_cli: RunCli, *args: str):
    started = time.monotonic()
    done = run_cli(*args)
    return done, time.monotonic() - started


def test_list_with_the_index_held_by_another_process_and_new_files(
    run_cli: RunCli, good_cache: Path
) -> None:
    assert run_cli("--cache-dir", good_cache, "list").returncode == 0
    write_article(good_cache, "new.md", "Body.", title="Brand new")
    with held(good_cache / ".newsreader" / "index.sqlite3"):
        done, took = _timed(run_cli, "--cache-dir", good_cache, "list")
    # Before: blocked 30 s, then "unexpected error: OperationalError".
    assert took < BOUND, took
    assert done.returncode == 1
    assert "is in use by another program" in _one_line(done.stderr)
    assert len(done.stdout.splitlines()) == GOOD_COUNT + 1 and "Brand new" in done.stdout


def test_check_with_the_index_held_by_another_process(run_cli: RunCli, good_cache: Path) -> None:
    assert run_cli("--cache-dir", good_cache, "list").returncode == 0
    write_article(good_cache, "new.md", "Body.", title="Brand new")
    with held(good_cache / ".newsreader" / "index.sqlite3"):
        done, took = _timed(run_cli, "--cache-dir", good_cache, "check")
    assert took < BOUND and done.returncode == 1
    assert "in use by another program" in done.stderr and "Traceback" not in done.stderr


def test_list_on_a_full_cache_disk_keeps_the_index(run_cli: RunCli, tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        cache = disk / "cache"
        cache.mkdir()
        for n in range(5):
            write_article(cache, f"a{n}.md", "Body.", title=f"Article {n}")
        assert run_cli("--cache-dir", cache, "list").returncode == 0
        index_file = cache / ".newsreader" / "index.sqlite3"
        size = index_file.stat().st_size
        fill(disk)
        done, took = _timed(run_cli, "--cache-dir", cache, "list")
        assert took < BOUND and done.returncode == 1
        assert "the disk is full" in _one_line(done.stderr)
        assert len(done.stdout.splitlines()) == 5
        assert index_file.stat().st_size == size  # before: deleted


def test_list_with_the_index_path_a_folder(run_cli: RunCli, good_cache: Path) -> None:
    (good_cache / ".newsreader" / "index.sqlite3").mkdir(parents=True)
    done, took = _timed(run_cli, "--cache-dir", good_cache, "list")
    # Before: "unexpected error: IsADirectoryError".
    assert took < BOUND and done.returncode == 1
    assert "index.sqlite3 is not a file" in _one_line(done.stderr)
    assert len(done.stdout.splitlines()) == GOOD_COUNT


def test_list_is_starred_with_a_damaged_state_file(run_cli: RunCli, good_cache: Path) -> None:
    state = resolve().state_path
    state.parent.mkdir(parents=True)
    state.write_bytes(b"\x13\x37 not sqlite " * 500)
    done, took = _timed(run_cli, "--cache-dir", good_cache, "list", "is:starred")
    # Before: printed nothing and exited 0, as if nothing were starred.
    assert took < BOUND and done.returncode == 1 and done.stdout == ""
    line = _one_line(done.stderr)
    assert "cannot read the marks" in line and "damaged or not a database" in line
    plain = run_cli("--cache-dir", good_cache, "list")  # marks are not needed: no complaint
    assert plain.returncode == 0 and plain.stderr == ""


def test_list_is_unread_with_the_state_file_held_by_another_process(
    run_cli: RunCli, good_cache: Path
) -> None:
    state = resolve().state_path
    state.parent.mkdir(parents=True)
    StateStore(state).close()
    with held(state):
        done, took = _timed(run_cli, "--cache-dir", good_cache, "list", "is:unread")
    assert took < BOUND and done.returncode == 0, done.stderr  # reading needs no write
    assert len(done.stdout.splitlines()) == GOOD_COUNT


def test_import_with_the_index_held_by_another_process(
    run_cli: RunCli, good_cache: Path, tmp_path: Path
) -> None:
    assert run_cli("--cache-dir", good_cache, "list").returncode == 0
    incoming = tmp_path / "incoming"
    write_article(incoming, "fresh.md", "Body.", title="Fresh", url="https://example.com/fresh")
    with held(good_cache / ".newsreader" / "index.sqlite3"):
        done, took = _timed(run_cli, "--cache-dir", good_cache, "import", incoming)
    assert took < BOUND, took
    assert done.returncode == 0, done.stderr
    assert "1 imported" in done.stdout and "Traceback" not in done.stderr
    assert [p.name for p in good_cache.rglob("fresh*.md")] == ["fresh.md"]
