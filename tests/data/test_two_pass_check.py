"""A start with ``check = "every"`` on a big index: folder times first, then every file.

The first check lists only the folders whose time changed, so new, removed and renamed files
are in at once; a file edited in place is found by the check of every file that follows
behind the screen (:mod:`reader.components.every_check`). Below
:data:`reader.filecheck.WHOLE_BELOW` articles the first check is whole and none follows.
"""

from __future__ import annotations

import json
import threading

import pytest
import test_early_check as early_check_tests
import test_folder_check as folder_check
from click.testing import CliRunner
from test_folder_check import _article, _edit_in_place, _recorded, _titles

from reader import early_check, filecheck
from reader.cli import main
from reader.components import every_check
from reader.filecheck import folders_compare
from reader.index import Index, index_path_for, start_diff
from reader.paths import resolve

folders_index = folder_check.folders_index
"""Nine articles in three folders, checked once by folders (see :mod:`test_folder_check`)."""


nothing_left_started = early_check_tests.nothing_left_started
"""No test leaves a begun check behind for the next (autouse, see :mod:`test_early_check`)."""


def _changed(index: Index) -> None:
    """One file edited in place ("b" keeps its time), one added in "a"."""
    _edit_in_place(index.root / "b" / "2.md", "b story 2", "b story 2, edited")
    _article(index.root / "a", "new.md", "a brand new story")


def test_a_small_index_is_checked_whole_a_big_one_by_its_folders(folders_index):
    _changed(folders_index)
    small = folders_compare(folders_index.root, folders_index.conn, whole_below=10)
    assert small.folders is not None and small.folders.whole
    assert {info.path for info in small.changed} == {"a/new.md", "b/2.md"}
    big = folders_compare(folders_index.root, folders_index.conn, whole_below=9)  # 9 articles
    assert big.folders is not None and not big.folders.whole
    assert {info.path for info in big.changed} == {"a/new.md"}


def test_the_reader_s_first_check_says_whether_it_trusted_folder_times(folders_index, monkeypatch):
    _changed(folders_index)
    pending = start_diff(folders_index, first=True)  # 9 articles: below WHOLE_BELOW
    assert pending is not None and pending.then is not None
    assert {info.path for info in pending.result(timeout=60).changed} == {"a/new.md", "b/2.md"}
    assert not pending.partial
    pending.cancel()
    monkeypatch.setattr(filecheck, "WHOLE_BELOW", 5)
    pending = start_diff(folders_index, first=True)
    assert pending is not None and pending.then is not None
    assert {info.path for info in pending.result(timeout=60).changed} == {"a/new.md"}
    assert pending.partial
    pending.forget()  # the answer goes once used; what it was stays
    assert pending.partial
    every = pending.then.result(timeout=60)  # beside it, a check of every file
    assert {info.path for info in every.changed} == {"a/new.md", "b/2.md"}


def test_the_check_of_every_file_brings_what_the_first_answer_did_not(folders_index, monkeypatch):
    _changed(folders_index)
    (folders_index.root / "a" / "deep" / "1.md").unlink()
    monkeypatch.setattr(filecheck, "WHOLE_BELOW", 5)
    pending = start_diff(folders_index, first=True)
    assert pending is not None
    answer = pending.result(timeout=60)
    folders_index.scan(diff=answer)  # what the start stores first
    assert "b story 2" in _titles(folders_index)
    first = every_check.found_first(answer)
    assert first == ({("a/new.md", *_stat(folders_index, "a/new.md"))}, {"a/deep/1.md"})
    paths = every_check.changed_paths(pending.then, first, threading.Event())
    assert paths == ["b/2.md"]  # the new file and the removed one came with the first answer


def _stat(index: Index, rel: str) -> tuple[int, int]:
    info = (index.root / rel).stat()
    return info.st_size, info.st_mtime_ns


def test_no_check_of_every_file_when_the_reader_closes_or_none_could_start(folders_index):
    _changed(folders_index)
    pending = start_diff(folders_index, first=True)
    assert pending is not None
    stop = threading.Event()
    stop.set()
    assert every_check.changed_paths(pending.then, (set(), set()), stop) is None
    assert every_check.changed_paths(None, (set(), set()), threading.Event()) is None
    waiting = filecheck.start(
        str(folders_index.root), str(folders_index.db_path), wait=True, first=True
    )  # never claimed: both wait for the go-ahead
    assert waiting is not None and waiting.then is not None
    waiting.cancel()
    with pytest.raises(RuntimeError, match="stopped"):
        waiting.then.result(timeout=60)  # stopped with the first


def test_a_whole_check_that_moved_no_folder_writes_nothing(folders_index):
    before = folders_index.conn.total_changes
    again = folders_compare(folders_index.root, folders_index.conn, whole_below=100)
    assert again.folders is not None and again.folders.whole and not again.changed
    folders_index.scan(diff=again)
    assert folders_index.conn.total_changes == before
    _article(folders_index.root / "b", "new.md", "a new b story")
    moved = folders_compare(folders_index.root, folders_index.conn, whole_below=100)
    folders_index.scan(diff=moved)
    assert folders_index.conn.total_changes > before
    assert _recorded(folders_index)["b"] != _recorded(folders_index)["a"]  # b's new time


@pytest.mark.parametrize(
    ("config", "args", "flag"),
    [
        ("", [], filecheck.FIRST_FLAG),
        ('check = "folders"\n', [], filecheck.FOLDERS_FLAG),
        ("", ["list"], filecheck.FIRST_FLAG),
        ("", ["list", "--check-every"], filecheck.HALVES_FLAG),
        ('check = "folders"\n', ["list"], filecheck.FOLDERS_FLAG),
        ('check = "folders"\n', ["list", "--check-every"], filecheck.HALVES_FLAG),
    ],
)
def test_the_entry_point_starts_the_check_the_setting_and_command_want(
    folders_index, config, args, flag
):
    cache = folders_index.root
    settings = resolve(cache).feeds_config_path
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(config, encoding="utf-8")
    early_check.begin(["--cache-dir", str(cache), *args])
    assert early_check._started is not None
    pending = early_check._started[2]
    command = pending._process.args
    assert any(arg.startswith(flag) for arg in command), command
    if flag == filecheck.FIRST_FLAG and args:  # list waits for it alone, at full priority
        assert filecheck.BEHIND_FLAG not in command
        assert pending.then is None
    elif flag == filecheck.FIRST_FLAG:  # and a check of every file beside it, both behind
        assert filecheck.BEHIND_FLAG in command
        assert pending.then is not None
        beside = pending.then._process.args
        assert filecheck.BEHIND_FLAG in beside and filecheck.WAIT_FLAG in beside
        assert not any(arg.startswith(filecheck.FIRST_FLAG) for arg in beside)
    else:
        assert pending.then is None


def test_a_check_where_every_folder_changed_is_whole_and_no_second_follows(cache, monkeypatch):
    """A flat cache has one folder, whose time changes with any file added: listing it is
    walking every file, so the first answer finds the edit in place too, and the check of every
    file that would walk them all again is stopped."""
    for n in range(6):
        _article(cache, f"{n}.md", f"flat story {n}")
    index = Index(cache, index_path_for(cache))
    try:
        folder_check._age(cache)
        index.scan(diff=folders_compare(cache, index.conn))  # records the folder times
        assert set(_recorded(index)) == {""}
        _edit_in_place(cache / "2.md", "flat story 2", "flat story 2, edited")
        _article(cache, "new.md", "a brand new flat story")
        monkeypatch.setattr(filecheck, "WHOLE_BELOW", 3)  # six articles count as a big index
        pending = start_diff(index, first=True)
        assert pending is not None and pending.then is not None
        assert {info.path for info in pending.result(timeout=60).changed} == {"2.md", "new.md"}
        assert not pending.partial
        assert every_check.first_found(pending, wanted=True) is None  # the second is stopped
    finally:
        index.close()


@pytest.mark.parametrize(("whole_below", "edit_found"), [(5, False), (100, True)])
def test_list_answers_from_folder_times_on_a_big_index_unless_told_to_check_every_file(
    folders_index, monkeypatch, whole_below, edit_found
):
    """``list`` has no "behind the screen" for a second check: on a big index it answers from
    folder times, and ``--check-every`` finds the edit in place; a small index is checked whole."""
    folders_index.close()
    monkeypatch.setattr(filecheck, "WHOLE_BELOW", whole_below)
    _changed(folders_index)

    def titles(*args: str) -> set[str]:
        argv = ["--cache-dir", str(folders_index.root), "list", "--json", *args]
        early_check.begin(argv)  # as the entry point does, before the program is imported
        assert early_check._started is not None
        result = CliRunner().invoke(main, argv)
        assert result.exit_code == 0, result.output
        assert early_check._started is None  # the helper's answer was taken
        return {json.loads(line)["title"] for line in result.stdout.splitlines()}

    first = titles()
    assert "a brand new story" in first
    assert ("b story 2, edited" in first) is edit_found
    assert ("b story 2" in first) is not edit_found
    assert "b story 2, edited" in titles("--check-every")
    assert "b story 2, edited" in titles()  # the index has it now


@pytest.mark.parametrize(("whole_below", "edit_found"), [(5, False), (100, True)])
def test_commands_without_a_helper_check_as_list_with_one_does(
    folders_index, monkeypatch, whole_below, edit_found
):
    """``import``, ``mark``, ``related`` and ``list`` when its helper could not start take the
    same first look in their own process (see Index.folders_first): on a big index none of them
    reads the edit in place, which a walk of every file would have stored for the next."""
    folders_index.close()
    monkeypatch.setattr(filecheck, "WHOLE_BELOW", whole_below)
    _changed(folders_index)
    root = str(folders_index.root)
    outside = _article(folders_index.root.parent / "elsewhere", "far.md", "a story from afar")
    imported = CliRunner().invoke(main, ["--cache-dir", root, "import", str(outside)])
    assert imported.exit_code == 0 and "1 imported" in imported.stdout, imported.output
    marked = CliRunner().invoke(main, ["--cache-dir", root, "mark", "read", "edited", "--dry-run"])
    assert marked.exit_code == 0, marked.output
    assert (
        marked.stdout.strip()
        == f"would mark {int(edit_found)} article{'' if edit_found else 's'} read"
    )
    listed = CliRunner().invoke(main, ["--cache-dir", root, "list", "--json"])  # no helper begun
    titles = {json.loads(line)["title"] for line in listed.stdout.splitlines()}
    assert "a brand new story" in titles and ("b story 2, edited" in titles) is edit_found
    every = CliRunner().invoke(main, ["--cache-dir", root, "list", "--check-every", "edited"])
    assert "b story 2, edited" in every.stdout


def test_a_huge_index_leaves_the_check_of_every_file_for_after_the_first_screen(
    folders_index, monkeypatch
):
    monkeypatch.setattr(filecheck, "LATE_EVERY_BYTES", 1)  # every index counts as huge
    pending = start_diff(folders_index, first=True)
    assert pending is not None and pending.then is None
    pending.cancel()


def test_the_check_of_every_file_is_stopped_when_not_wanted(folders_index, monkeypatch):
    _changed(folders_index)
    whole = start_diff(folders_index, first=True)  # 9 articles: checked whole at once
    assert whole is not None and whole.then is not None
    assert every_check.first_found(whole, wanted=True) is None
    with pytest.raises(RuntimeError, match="stopped|used"):
        whole.then.result(timeout=0)  # stopped, unless it had answered already
    monkeypatch.setattr(filecheck, "WHOLE_BELOW", 5)
    for wanted in (False, True):
        pending = start_diff(folders_index, first=True)
        assert pending is not None and pending.result(timeout=60) and pending.partial
        found = every_check.first_found(pending, wanted)
        if wanted:
            assert found == every_check.found_first(pending.result())
            assert pending.then.result(timeout=60).changed  # left running, and answers
        else:
            assert found is None
        pending.cancel()


def test_a_huge_index_begins_the_check_of_every_file_once_the_first_answer_is_in(
    folders_index, monkeypatch
):
    _changed(folders_index)
    monkeypatch.setattr(filecheck, "LATE_EVERY_BYTES", 1)
    monkeypatch.setattr(filecheck, "WHOLE_BELOW", 5)
    pending = start_diff(folders_index, first=True)
    assert pending is not None and pending.then is None
    every_check.start_late(pending, folders_index, wanted=False)
    assert pending.then is None  # check = "folders"
    pending.result(timeout=60)
    every_check.start_late(pending, folders_index, wanted=True)
    assert pending.then is not None
    assert {info.path for info in pending.then.result(timeout=60).changed} == {"a/new.md", "b/2.md"}
