"""Storing parsed files (reader.index_store): a build in many batches answers as one made file by
file, changed files keep their search rows in step, and the building pragmas are undone."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

import reader.index as index_module
from reader import index_store, similar_store
from reader.index import Index, index_path_for
from reader.index_changes import apply_paths
from tests.data.test_similar_store import ARTICLES, WIRE, related_paths, tables, wire, write


def cache_with_stories(root: Path) -> Path:
    """The hand-made articles plus three printings of one wire story (a duplicate group)."""
    root.mkdir()
    for name, fields in ARTICLES.items():
        write(root, name, *fields)
    for n, provider in enumerate(["Agency One", "Agency Two", "Agency Three"]):
        wire(root, f"wire-{n}.md", "Port city backs electric ferries", "2024-03-02", provider)
    write(
        root,
        "copy.md",
        "Sourdough copy",
        "Another address of the same page.",
        "2024-03-02T12:00:00Z",
        ["Baking"],
        url="https://news.example.org/bread-2#top",
    )
    return root


def answers(index: Index) -> tuple:
    """What a user can ask of the index: tables, groups, searches, related articles.

    Groups are compared as sets of paths: their label is the smallest id, and ids follow the
    order files were stored in.
    """
    counts, keys, labels = tables(index)
    members: dict[str, set[str]] = {}
    for path, label in labels.items():
        members.setdefault(label or path, set()).add(path)
    groups = {path: sorted(members[label or path]) for path, label in labels.items()}
    searches = {q: sorted(index.search(q)) for q in ["qubits", "ferr", "sourdough", "agency"]}
    related = {p: related_paths(index, p) for p in ["qubits-1.md", "bread-1.md", "wire-0.md"]}
    return counts, keys, groups, searches, related


def fts_ok(index: Index) -> None:
    for table in ("search", "similar"):
        index.conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")


def test_a_build_in_many_small_batches_answers_as_a_build_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_root = cache_with_stories(tmp_path / "bulk")
    # copies of one story land in different batches
    monkeypatch.setattr(index_module, "BATCH", 2)
    monkeypatch.setattr(index_module, "FIRST_BATCH", 2)
    monkeypatch.setattr(index_module, "BULK_FILES", 1)  # and the building pragmas are on
    bulk = Index(bulk_root, index_path_for(bulk_root))
    result = bulk.scan(workers=1)
    assert result.parsed == len(ARTICLES) + 4
    fts_ok(bulk)

    one_root = cache_with_stories(tmp_path / "one")
    one_by_one = Index(one_root, index_path_for(one_root))
    for path in sorted(p.name for p in one_root.glob("*.md")):
        apply_paths(one_by_one, [path])
    fts_ok(one_by_one)

    built, single = answers(bulk), answers(one_by_one)
    assert built == single
    groups = built[2]
    assert groups["wire-0.md"] == ["wire-0.md", "wire-1.md", "wire-2.md"]
    assert groups["copy.md"] == ["bread-2.md", "copy.md"]


def test_a_changed_file_replaces_its_search_row_and_a_removed_one_takes_it_along(
    tmp_path: Path,
) -> None:
    root = cache_with_stories(tmp_path / "cache")
    index = Index(root, index_path_for(root))
    index.scan(workers=1)
    write(root, "bread-1.md", "Kayak trip", "Paddling the fjord.", "2024-03-02", ["Outdoors"])
    (root / "qubits-3.md").unlink()
    index.scan(workers=1)
    fts_ok(index)
    assert index.search("kayak") == ["bread-1.md"]
    assert "bread-1.md" not in index.search("sourdough")
    assert index.search("programs") == []  # only qubits-3 had the word
    count = index.conn.execute("SELECT count(*) FROM search").fetchone()[0]
    assert count == index.count() == len(ARTICLES) + 3


def test_candidate_pairs_hold_a_stored_article(tmp_path: Path) -> None:
    """Pairs of two untouched articles were decided when they were stored."""
    root = cache_with_stories(tmp_path / "cache")
    index = Index(root, index_path_for(root))
    index.scan(workers=1)
    ids = {e.path: e.id for e in index.entries()}
    pairs = similar_store._candidate_pairs(index.conn, [ids["wire-0.md"]])
    assert pairs and all(ids["wire-0.md"] in pair for pair in pairs)
    every = similar_store._candidate_pairs(index.conn, sorted(ids.values()))
    assert (
        min(ids["wire-1.md"], ids["wire-2.md"]),
        max(ids["wire-1.md"], ids["wire-2.md"]),
    ) in every


def synchronous(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA synchronous").fetchone()[0]


def test_building_writes_without_waiting_for_the_disk_and_then_waits_again(
    tmp_path: Path,
) -> None:
    index = Index(tmp_path, tmp_path / "index.sqlite3")
    normal = synchronous(index.conn)
    assert normal == 1  # NORMAL
    with pytest.raises(RuntimeError), index_store.bulk_writes(index.conn, threading.Lock()):
        assert synchronous(index.conn) == 0  # OFF
        raise RuntimeError("a failed batch")
    assert synchronous(index.conn) == normal


def test_the_wire_text_is_long_enough_to_make_text_keys() -> None:
    """The groups above come from shared text keys, not only from addresses."""
    from reader.similarity import sameness_keys

    assert len(sameness_keys(None, "Port city backs electric ferries", WIRE)) >= 2


def test_a_stop_while_a_batch_is_stored_rolls_it_back_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting does not wait for a batch: the store is interrupted, the next scan redoes it."""
    root = cache_with_stories(tmp_path / "cache")
    monkeypatch.setattr(index_module, "BATCH", 3)
    monkeypatch.setattr(index_module, "FIRST_BATCH", 3)
    stop = threading.Event()
    stopped_at: list[float] = []
    real_regroup = similar_store.regroup
    calls = []

    def slow_second_batch(conn: sqlite3.Connection, added: dict, *args: object) -> set[int]:
        calls.extend([1] if added else [])
        if len(calls) == 2 and added:  # the second batch: stop, then a statement for minutes
            stop.set()
            stopped_at.append(time.monotonic())
            conn.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                " SELECT count(*) FROM (SELECT x FROM c LIMIT 10000000000)"
            ).fetchone()
        return real_regroup(conn, added, *args)

    monkeypatch.setattr(similar_store, "regroup", slow_second_batch)
    index = Index(root, index_path_for(root))
    result = index.scan(workers=1, stop=stop)
    took = time.monotonic() - stopped_at[0]
    assert took < 3.0, f"the scan ended {took:.2f} s after the stop"  # not minutes
    assert (result.stopped, result.parsed) == (True, 3)
    assert index.count() == 3, "the interrupted batch was rolled back, the first one kept"
    assert index.conn.execute("SELECT count(*) FROM search").fetchone()[0] == 3
    fts_ok(index)

    monkeypatch.setattr(similar_store, "regroup", real_regroup)
    rest = index.scan(workers=1)
    assert (rest.parsed, rest.stopped) == (len(ARTICLES) + 1, False)
    assert index.count() == len(ARTICLES) + 4
