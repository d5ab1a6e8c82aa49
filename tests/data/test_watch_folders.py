"""The folders the live watch follows: every article folder, found without listing every file."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

import reader.watch_folders as watch_folders
from reader.watch_folders import LEAF_LINKS, article_folders

REAL_SCANDIR = os.scandir


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A cache with nested folders, a dot-folder, a symlink to a folder, and files."""
    for folder in ("2026/11", "2026/12/late", "feeds/a", ".newsreader/x", "empty"):
        (tmp_path / folder).mkdir(parents=True)
    for folder in ("2026/11", "2026/12/late", "feeds/a", ""):
        for n in range(5):
            (tmp_path / folder / f"a{n}.md").write_text("---\ntitle: t\n---\n")
    (tmp_path / "link").symlink_to(tmp_path / "feeds")
    return tmp_path


def expected(root: Path) -> set[str]:
    names = ("", "2026", "2026/11", "2026/12", "2026/12/late", "feeds", "feeds/a", "empty")
    return {str(root / name) if name else str(root) for name in names}


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders whose entries were listed."""
    seen: list[str] = []

    def scandir(path):
        seen.append(str(path))
        return REAL_SCANDIR(path)

    monkeypatch.setattr(watch_folders.os, "scandir", scandir)
    return seen


def test_a_folder_without_folders_is_not_listed(
    tree: Path, listed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the file system counts links (faked here, whatever this one does), the leaves'
    files are never listed: at a million articles that listing was the whole cost."""
    real = os.stat

    def stat(path, *args, **kwargs):
        found = real(path, *args, **kwargs)
        with REAL_SCANDIR(path) as entries:
            folders = sum(1 for e in entries if e.is_dir(follow_symlinks=False))
        return SimpleNamespace(st_nlink=LEAF_LINKS + folders, st_ino=found.st_ino)

    monkeypatch.setattr(watch_folders.os, "stat", stat)
    assert article_folders(str(tree)) == expected(tree)
    leaves = {str(tree / name) for name in ("2026/11", "2026/12/late", "feeds/a", "empty")}
    assert leaves.isdisjoint(listed)
    assert str(tree / "2026") in listed


def test_a_link_count_that_says_nothing_lists_every_folder(
    tree: Path, listed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Btrfs gives every folder one link: nothing can be skipped, and nothing is missed."""
    monkeypatch.setattr(watch_folders.os, "stat", lambda path, *a, **k: SimpleNamespace(st_nlink=1))
    assert article_folders(str(tree)) == expected(tree)
    assert set(listed) == expected(tree)


def test_every_article_folder_and_no_dot_folder_or_link(tree: Path) -> None:
    """With the real link counts of the file system the tests run on."""
    assert article_folders(str(tree)) == expected(tree)


def test_stops_when_asked(tree: Path) -> None:
    stop = threading.Event()
    stop.set()
    assert article_folders(str(tree), stop) == {str(tree)}


def test_an_unreadable_or_missing_folder_is_passed_over(tmp_path: Path) -> None:
    assert article_folders(str(tmp_path / "gone")) == {str(tmp_path / "gone")}
