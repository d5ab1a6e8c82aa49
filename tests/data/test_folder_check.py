"""The check that trusts folder times (config.toml's ``check = "folders"``).

Only the folders whose time changed since the last check are listed, so the
start and ``list`` of a big cache no longer stat every file. What it must
still find: new, removed and renamed files, files replaced whole, folders
made, removed or replaced. What it knowingly misses: a file edited in place
in a folder whose time did not change (``--check-every`` finds it). The folder
times are recorded in the index only once a check's changes are stored.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_article

from reader import check_setting, filecheck
from reader.config import load_config
from reader.filecheck import UNSETTLED, FolderTimes, diff_files, folders_compare
from reader.index import Index, index_path_for
from reader.index_schema import PROBES, SCHEMA, SCHEMA_VERSION
from reader.paths import resolve

LONG_AGO = 1_600_000_000 * 10**9
"""A folder time well before any check (nanoseconds)."""


def _article(folder: Path, name: str, title: str) -> Path:
    return write_article(
        folder, name, "Body.", title=title, url=f"https://example.test/{folder.name}/{name}"
    )


def _age(cache: Path) -> None:
    """Set every folder's time long ago, as a cache untouched for a while has it: a folder
    changed within two seconds of a check is not trusted at that time (see SETTLE_NS)."""
    folders = [p for p in cache.rglob("*") if p.is_dir() and ".newsreader" not in p.parts]
    for folder in [cache, *folders]:
        os.utime(folder, ns=(LONG_AGO, LONG_AGO))


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """Change a file's content without touching its folder (no rename): open, truncate, write."""
    text = path.read_text(encoding="utf-8").replace(old, new)
    with path.open("w", encoding="utf-8") as file:
        file.write(text)
    later = time.time() + 5
    os.utime(path, (later, later))


def _titles(index: Index) -> set[str]:
    return {entry.title for entry in index.entries()}


@pytest.fixture
def folders_index(cache: Path):
    """An index of nine articles in three folders (one nested), checked once by folders, with
    every folder's time recorded as long ago."""
    for name in ("a", "b", "a/deep"):
        for n in range(3):
            _article(cache / name, f"{n}.md", f"{name} story {n}")
    index = Index(cache, index_path_for(cache))  # makes the program's own folder in the cache
    _age(cache)
    index.by_folders = True
    try:
        index.scan()
        yield index
    finally:
        index.close()


def _recorded(index: Index) -> dict[str, int]:
    return filecheck.recorded_folders(index.conn)


def test_a_first_check_by_folders_walks_every_file_and_records_every_folder(folders_index):
    assert len(_titles(folders_index)) == 9
    every = {"": LONG_AGO, "a": LONG_AGO, "b": LONG_AGO, "a/deep": LONG_AGO}
    assert _recorded(folders_index) == every


def test_new_removed_renamed_and_replaced_files_are_found(folders_index, cache):
    _article(cache / "a", "new.md", "a brand new story")
    (cache / "b" / "1.md").unlink()
    (cache / "a" / "deep" / "2.md").rename(cache / "a" / "deep" / "moved.md")
    # Replaced whole, as a fetch or a sync tool writes: beside it, then renamed over it.
    target = cache / "b" / "0.md"
    beside = cache / "b" / ".0.md.tmp"
    beside.write_text(target.read_text(encoding="utf-8").replace("b story 0", "b story 0, newer"))
    beside.replace(target)
    result = folders_index.scan()
    assert _titles(folders_index) == {
        "a story 0", "a story 1", "a story 2", "a brand new story",
        "b story 0, newer", "b story 2",
        "a/deep story 0", "a/deep story 1", "a/deep story 2",
    }  # fmt: skip
    paths = {entry.path for entry in folders_index.entries()}
    assert "a/deep/moved.md" in paths and "a/deep/2.md" not in paths and "b/1.md" not in paths
    assert result.removed == 2  # b/1.md and a/deep/2.md's old name


def test_a_file_edited_in_place_in_an_unchanged_folder_waits_for_a_check_of_every_file(
    folders_index, cache
):
    _edit_in_place(cache / "b" / "2.md", "b story 2", "b story 2, edited")
    assert folders_index.scan().touched == []  # b's time did not change: not listed
    assert "b story 2" in _titles(folders_index)
    folders_index.by_folders = False
    folders_index.scan()
    assert "b story 2, edited" in _titles(folders_index)


def test_an_edit_in_place_is_found_when_its_folder_changed_for_another_reason(folders_index, cache):
    _edit_in_place(cache / "b" / "2.md", "b story 2", "b story 2, edited")
    _article(cache / "b", "another.md", "another b story")
    folders_index.scan()
    assert {"b story 2, edited", "another b story"} <= _titles(folders_index)


def test_only_the_changed_folders_are_listed(folders_index, cache, monkeypatch):
    _article(cache / "a" / "deep", "new.md", "a new deep story")
    listed: list[str] = []
    real = os.scandir

    def scandir(path):
        listed.append(os.path.relpath(path, cache))
        return real(path)

    monkeypatch.setattr(filecheck.os, "scandir", scandir)
    diff = folders_compare(cache, folders_index.conn)
    assert listed == ["a/deep"]  # not the cache, not a, not b
    assert [c.path for c in diff.changed] == ["a/deep/new.md"] and diff.gone == []
    assert diff.folders is not None and not diff.folders.whole
    assert list(diff.folders.times) == ["a/deep"]


def test_a_folder_made_inside_a_changed_one_is_walked_whole_and_recorded(folders_index, cache):
    _article(cache / "b" / "new" / "deeper", "x.md", "a story two folders down")
    folders_index.scan()
    assert "a story two folders down" in _titles(folders_index)
    assert {"b/new", "b/new/deeper"} <= set(_recorded(folders_index))


def test_a_removed_folder_takes_its_files_and_the_records_below_it(folders_index, cache):
    for path in sorted((cache / "a").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (cache / "a").rmdir()
    folders_index.scan()
    assert _titles(folders_index) == {"b story 0", "b story 1", "b story 2"}
    assert set(_recorded(folders_index)) == {"", "b"}


def test_a_folder_replaced_by_a_link_is_gone_as_the_walk_does_not_follow_links(
    folders_index, cache, tmp_path
):
    (cache / "b").rename(tmp_path / "elsewhere")
    (cache / "b").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    folders_index.scan()
    assert not any(title.startswith("b ") for title in _titles(folders_index))
    assert "b" not in _recorded(folders_index)


def test_a_folder_changed_just_before_the_check_is_listed_again_next_time(cache):
    _article(cache / "a", "0.md", "a story 0")
    index = Index(cache, index_path_for(cache))
    index.by_folders = True
    try:
        index.scan()  # "a" was written a moment ago: a coarse clock could hide a file added now
        assert _recorded(index)["a"] == UNSETTLED
        _edit_in_place(cache / "a" / "0.md", "a story 0", "a story 0, edited")
        index.scan()
        assert _titles(index) == {"a story 0, edited"}  # listed again, so the edit is seen
    finally:
        index.close()


def test_a_stopped_scan_records_no_folder_time(folders_index, cache):
    import threading

    _article(cache / "b", "new.md", "new b story")
    stop = threading.Event()
    stop.set()
    diff = folders_compare(cache, folders_index.conn)
    result = folders_index.scan(diff=diff, stop=stop)
    assert result.stopped
    assert _recorded(folders_index)["b"] == LONG_AGO  # b is listed again by the next check
    folders_index.scan()
    assert "new b story" in _titles(folders_index)


def test_the_helper_process_answers_as_the_check_in_process(folders_index, cache):
    _article(cache / "b", "new.md", "new b story")
    (cache / "a" / "1.md").unlink()
    here = folders_compare(cache, folders_index.conn)
    there = diff_files(str(cache), str(folders_index.db_path), by_folders=True)
    assert there == here
    pending = filecheck.start(str(cache), str(folders_index.db_path), by_folders=True)
    assert pending is not None
    answer = pending.result(timeout=60)
    assert answer == here and isinstance(answer.folders, FolderTimes)


def test_a_rebuilt_index_forgets_its_folder_times(folders_index, cache):
    path = folders_index.db_path
    folders_index.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")  # another version: rebuilt
    conn.commit()
    conn.close()
    again = Index(cache, path)
    try:
        assert _recorded(again) == {}  # so the next check walks every file
        again.by_folders = True
        again.scan()
        assert len(_titles(again)) == 9
    finally:
        again.close()


def test_an_index_of_this_version_without_the_table_gains_it(cache):
    from reader import index_db

    conn = sqlite3.connect(":memory:")
    without = SCHEMA.replace("CREATE TABLE IF NOT EXISTS folders", "CREATE TABLE IF NOT EXISTS x")
    conn.executescript(without)
    assert filecheck.recorded_folders(conn) == {}
    index_db.prepare(conn, SCHEMA, SCHEMA_VERSION, PROBES)
    conn.execute("INSERT INTO folders VALUES ('a', 1)")
    assert filecheck.recorded_folders(conn) == {"a": 1}


def test_the_setting_is_read_from_config_toml(tmp_path):
    config = tmp_path / "config.toml"
    assert not check_setting.by_folders(config)  # no file: the default
    config.write_text('check = "folders"\n', encoding="utf-8")
    assert check_setting.by_folders(config)
    assert load_config(config).config.by_folders and not load_config(config).problems
    config.write_text('check = "sometimes"\n', encoding="utf-8")
    loaded = load_config(config)
    assert not check_setting.by_folders(config) and not loaded.config.by_folders
    assert [p.path for p in loaded.problems] == [("check",)]
    assert "every" in loaded.problems[0].message and loaded.problems[0].line == 1
    config.write_text('check = "folders"\n[broken\n', encoding="utf-8")
    assert not check_setting.by_folders(config)  # a broken file: every default


def test_list_trusts_folder_times_unless_told_to_check_every_file(folders_index, cache, run_cli):
    folders_index.close()
    config = resolve(cache).feeds_config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('check = "folders"\n', encoding="utf-8")
    _edit_in_place(cache / "b" / "2.md", "b story 2", "b story 2, edited")
    _article(cache / "a", "new.md", "a brand new story")

    def titles(*args: str) -> set[str]:
        result = run_cli("--cache-dir", cache, "list", "--json", *args)
        assert result.returncode == 0, result.stderr
        return {json.loads(line)["title"] for line in result.stdout.splitlines()}

    first = titles()
    assert "a brand new story" in first and "b story 2" in first
    assert "b story 2, edited" in titles("--check-every")
    assert "b story 2, edited" in titles()  # the index has it now


def test_a_command_line_with_check_every_says_so(tmp_path):
    from reader import early_check

    found = early_check.checked_cache(["--cache-dir", str(tmp_path), "list", "--check-every"])
    assert found is not None and found.every and found.listing
    assert not early_check.checked_cache(["--cache-dir", str(tmp_path), "list"]).every


def test_the_helper_s_usage_names_the_folders_option():
    script = filecheck.__file__
    result = subprocess.run([sys.executable, "-I", "-S", script], capture_output=True, text=True)
    assert result.returncode == 2 and "--folders" in result.stderr


def test_a_folder_that_could_not_be_read_is_tried_again_at_each_check(
    folders_index, cache, monkeypatch
):
    """A permission given back changes no folder's time: the folder is listed again anyway."""
    _article(cache / "b" / "locked", "0.md", "a story behind a lock")
    locked = os.path.join(cache, "b", "locked")
    real = os.scandir

    def refusing(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", refusing)
    folders_index.scan()  # "b" changed: listed, and "b/locked" refused
    assert "a story behind a lock" not in _titles(folders_index)
    assert [skip.path for skip in folders_index.skipped()] == ["b/locked"]
    _age(cache)  # "b" settles: recorded at this time by the next check, then not listed
    assert folders_index.scan().touched == []  # refused again: the same skip, nothing changed
    assert _recorded(folders_index)["b"] == LONG_AGO
    monkeypatch.setattr(os, "scandir", real)  # the permission given back: no folder time moves
    folders_index.scan()
    assert "a story behind a lock" in _titles(folders_index)
    assert folders_index.skipped() == []
    assert "b/locked" in _recorded(folders_index)
