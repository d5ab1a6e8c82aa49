"""A scan of many files groups duplicates once at its end: the same groups and tables as grouping
batch by batch, kept pending across a stop, and the pairs counted in parts as they are whole."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from reader import index as index_module
from reader import index_store, pending_groups, similar_store
from reader.index import Index, index_path_for

WIRE = (
    "Regulators in the port city approved a plan on Tuesday to replace the ageing ferry fleet "
    "with battery-electric vessels by 2030, citing lower running costs and cleaner air for the "
    "neighbourhoods along the harbour front."
)
STORIES = [
    "Farmers in the northern valley harvested a record crop of winter wheat this season after "
    "unusually mild weather and steady rain through the spring months.",
    "The city library opened a new wing for children with reading rooms, a small theatre and "
    "a workshop where volunteers teach coding to teenagers every weekend.",
    "Engineers finished testing the new suspension bridge across the estuary, which will carry "
    "trams and bicycles as well as cars when it opens to traffic next month.",
]


def write(root: Path, name: str, title: str, excerpt: str, url: str, provider: str) -> None:
    (root / name).write_text(
        "\n".join(
            [
                "---",
                f'title: "{title}"',
                f'excerpt: "{excerpt}"',
                "publishedDateTime: 2024-03-02T10:00:00Z",
                f"sourceUrl: {url}",
                "provider:",
                f'  name: "{provider}"',
                "topics:",
                "  - News",
                "---",
                "",
            ]
        ),
        encoding="utf-8",
    )


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """Stories printed by several providers, copies of one page under other addresses, one
    provider printing a text twice (not a copy), and articles alone."""
    root = tmp_path / "cache"
    root.mkdir()
    for at, text in enumerate([WIRE, *STORIES]):
        for provider in ("Agency One", "Agency Two", "Agency Three"):
            slug = provider.split()[1].lower()
            write(
                root,
                f"s{at}-{slug}.md",
                f"Story {at}",
                text,
                f"https://{slug}.example/{at}",
                provider,
            )
    twice = "A local choir sang at the harbour festival and raised money for the lifeboat crew."
    write(root, "same-a.md", "Twice", twice, "https://solo.example/a", "Solo")
    write(root, "same-b.md", "Twice", twice, "https://solo.example/b", "Solo")
    for at in range(3):
        write(
            root,
            f"page-{at}.md",
            f"Page {at}",
            "A short note.",
            f"https://www.page.example/item?utm_source=feed{at}"
            if at
            else "https://page.example/item",
            f"Mirror {at}",
        )
    for at in range(12):
        write(
            root,
            f"alone-{at}.md",
            f"Alone {at}",
            f"Nothing like it: word{at} thing{at} other{at} more{at} still{at} last{at}.",
            f"https://alone.example/{at}",
            "Alone News",
        )
    return root


def tables(index: Index) -> tuple:
    """What grouping leaves, by path: the keys, the word counts and each article's group."""
    conn: sqlite3.Connection = index.conn
    paths = dict(conn.execute("SELECT id, path FROM articles"))
    keys = sorted((paths[at], key) for at, key in conn.execute("SELECT id, key FROM same_keys"))
    counts = sorted(conn.execute("SELECT term, articles FROM term_counts"))
    members: dict[int, set[str]] = {}
    for at, group in conn.execute("SELECT id, dup_group FROM articles WHERE dup_group NOT NULL"):
        members.setdefault(group, set()).add(paths[at])
        assert group <= at  # a group is named by its smallest id
    return keys, counts, {frozenset(group) for group in members.values()}


def group_of(index: Index, path: str) -> frozenset[str] | None:
    return next((group for group in tables(index)[2] if path in group), None)


def pending_count(index: Index) -> int:
    return index.conn.execute("SELECT count(*) FROM same_keys_pending").fetchone()[0]


def build(root: Path, later_from: int, monkeypatch: pytest.MonkeyPatch) -> Index:
    monkeypatch.setattr(index_module, "GROUP_LATER_FROM", later_from)
    monkeypatch.setattr(index_module, "BATCH", 7)
    monkeypatch.setattr(index_module, "FIRST_BATCH", 5)
    index = Index(root, index_path_for(root))
    index.scan(workers=1)
    return index


def copy_of(root: Path, tmp_path: Path, name: str) -> Path:
    other = tmp_path / name
    other.mkdir()
    for path in root.glob("*.md"):
        (other / path.name).write_bytes(path.read_bytes())
    return other


@pytest.mark.parametrize("all_from", [1, 10**9], ids=["one pass", "by key"])
def test_grouped_at_the_end_the_tables_are_those_grouped_per_batch(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, all_from: int
) -> None:
    monkeypatch.setattr(pending_groups, "GROUP_ALL_FROM", all_from)
    per_batch = build(copy_of(cache, tmp_path, "per-batch"), 10**9, monkeypatch)
    at_end = build(cache, 1, monkeypatch)
    assert tables(at_end) == tables(per_batch)
    assert pending_count(at_end) == 0
    # Known answers: each story from three providers, the copies of one page; no other group.
    assert tables(at_end)[2] == {
        *(frozenset(f"s{at}-{name}.md" for name in ("one", "two", "three")) for at in range(4)),
        frozenset(f"page-{at}.md" for at in range(3)),
    }


def test_keys_wait_until_the_build_ends(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "GROUP_LATER_FROM", 1)
    index = Index(cache, index_path_for(cache))
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        conn = index.conn
        seen.append(
            (pending_count(index), conn.execute("SELECT count(*) FROM same_keys").fetchone()[0])
        )

    index.scan(progress, workers=1)
    assert any(pending for pending, _ in seen)
    assert all(held == 0 for _, held in seen)
    assert pending_count(index) == 0
    assert index.conn.execute("SELECT count(*) FROM same_keys").fetchone()[0] > 0


def test_a_stop_while_grouping_leaves_the_keys_for_the_next_scan(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = tables(build(copy_of(cache, tmp_path, "whole"), 10**9, monkeypatch))
    monkeypatch.setattr(index_module, "GROUP_LATER_FROM", 1)
    monkeypatch.setattr(index_store, "PROGRESS_STEPS", 1)  # the stop is seen at once
    index = Index(cache, index_path_for(cache))
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == total:  # every file stored: the stop lands on the grouping
            stop.set()

    result = index.scan(progress, workers=1, stop=stop)
    assert result.stopped
    assert pending_count(index) > 0
    assert not tables(index)[2]  # nothing half grouped
    # The next scan has no file to parse, and groups them at its end.
    result = index.scan(workers=1)
    assert pending_count(index) == 0
    assert tables(index) == expected
    assert {"s0-one.md", "page-0.md"} <= set(result.touched)


def test_a_file_changed_or_removed_before_grouping_leaves_no_key_behind(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "GROUP_LATER_FROM", 1)
    index = Index(cache, index_path_for(cache))
    index.store(  # stored as a long build does, then the files change before its end
        [row for row in _parsed(cache)], pending=True
    )
    (cache / "s0-two.md").unlink()
    write(
        cache, "page-1.md", "Page 1", "Something else now.", "https://other.example/x", "Mirror 1"
    )
    index.scan(workers=1)
    assert pending_count(index) == 0
    fresh = build(copy_of(cache, tmp_path, "fresh"), 10**9, monkeypatch)
    assert tables(index) == tables(fresh)


def _parsed(root: Path) -> list:
    from reader.index_rows import ParseJob, parse_one

    rows = []
    for path in sorted(root.glob("*.md")):
        stat = path.stat()
        rows.append(parse_one(ParseJob(str(root), path.name, stat.st_size, stat.st_mtime_ns)))
    return rows


def test_a_group_that_no_longer_holds_is_undone(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = build(cache, 1, monkeypatch)
    conn = index.conn
    ids = dict(conn.execute("SELECT path, id FROM articles"))
    with conn:
        conn.execute(
            "UPDATE articles SET dup_group = ? WHERE id IN (?, ?)",
            (ids["alone-1.md"], ids["alone-1.md"], ids["alone-2.md"]),
        )
        changed = pending_groups.regroup_all(conn)
    assert changed == {ids["alone-1.md"], ids["alone-2.md"]}
    assert group_of(index, "alone-1.md") is None


@pytest.mark.parametrize("per_part", [1, 3, 1 << 20])
def test_the_pairs_counted_in_parts_are_those_found_by_key(
    cache: Path, monkeypatch: pytest.MonkeyPatch, per_part: int
) -> None:
    index = build(cache, 10**9, monkeypatch)
    conn = index.conn
    # A key shared by more than a few: counted as boilerplate below, whichever way.
    monkeypatch.setattr(similar_store, "COMMON_KEY", 2)
    monkeypatch.setattr(pending_groups, "COMMON_KEY", 2)
    monkeypatch.setattr(pending_groups, "PAIRS_PER_PART", per_part)
    ids = [row[0] for row in conn.execute("SELECT id FROM articles")]
    expected = similar_store._candidate_pairs(conn, ids)
    assert expected  # the fixture has pairs to find
    assert pending_groups.candidate_pairs(conn) == expected


def test_an_index_made_before_the_pending_keys_gains_their_table(cache: Path) -> None:
    index = Index(cache, index_path_for(cache))
    index.scan(workers=1)
    with index.conn:
        index.conn.execute("DROP TABLE same_keys_pending")
    index.close()
    again = Index(cache, index_path_for(cache))
    assert pending_count(again) == 0
    again.scan(workers=1)
