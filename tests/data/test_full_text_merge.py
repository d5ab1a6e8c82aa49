"""A build merges the full-text tables it wrote before it ends: the first small write after it
(the next start's few changed files) must not go on merging what the build left (4.7 s at a
million articles)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader import index as index_module
from reader import index_store
from reader.index import Index, index_path_for


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An index built in batches of two files, as a big build's many batches: each batch a
    segment of its own in each full-text table."""
    root = tmp_path / "cache"
    root.mkdir()
    for n in range(240):
        (root / f"story-{n:03d}.md").write_text(
            f'---\ntitle: "Story {n} about harbour ferries and wheat {n * 7}"\n'
            f'excerpt: "Words {n} and more words {n * 3} for the index"\n'
            f"publishedDateTime: 2024-03-02T10:00:00Z\nsourceUrl: https://example.com/{n}\n---\n",
            encoding="utf-8",
        )
    monkeypatch.setattr(index_module, "BATCH", 2)
    monkeypatch.setattr(index_module, "FIRST_BATCH", 2)
    monkeypatch.setattr(index_module, "BULK_FILES", 100)
    return root


def first_write_changes(index: Index) -> int:
    """Rows the first small write into the search table changes (its merges included)."""
    before = index.conn.total_changes
    with index.conn:
        index.conn.execute(
            "INSERT INTO search (rowid, title, excerpt, provider, body) VALUES (?, ?, ?, ?, ?)",
            (10_000_000, "one more story", "a short excerpt", "Provider", ""),
        )
    return index.conn.total_changes - before


def test_a_build_leaves_no_merge_to_the_next_write(built: Path) -> None:
    index = Index(built, index_path_for(built))
    index.scan()
    assert first_write_changes(index) < 10  # the row, its segment and the structure
    index.close()


def test_without_the_merge_the_next_write_merges_a_level(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The premise of the test above: the same build, not merged at its end, leaves merging to
    the next write."""
    monkeypatch.setattr(Index, "merge_full_text", lambda self, stop=None: True)
    index = Index(built, index_path_for(built))
    index.scan()
    assert first_write_changes(index) > 30
    index.close()


def test_a_stop_cuts_the_merge_short_and_leaves_the_index_whole(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop while merging ends the scan as stopped; what is stored stays, and searches on."""
    stop = threading.Event()
    merge = index_store.optimize_full_text

    def stopped_midway(conn) -> None:
        stop.set()
        merge(conn)

    monkeypatch.setattr(index_store, "optimize_full_text", stopped_midway)
    monkeypatch.setattr(index_store, "PROGRESS_STEPS", 1)  # a small merge is stopped too
    index = Index(built, index_path_for(built))
    result = index.scan(stop=stop)
    assert result.stopped
    assert index.count() == 240
    assert len(index.search('"harbour"')) == 240
    index.close()
