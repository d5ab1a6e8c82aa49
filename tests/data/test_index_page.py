"""The first screen read from the index (``Index.page``) is the head of the full sorted order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.index import Index, index_path_for
from reader.ordering import SortKey, sort_entries


def _write(root: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(n):
        lines = ["---", f"title: Article {i}"]
        if rng.random() > 0.2:  # some without a date, many sharing one
            lines.append(f"publishedDateTime: 2024-01-{rng.randint(1, 9):02d}T10:00:00Z")
        if rng.random() > 0.3:
            lines.append(f"quality: {rng.choice([10, 20, 30])}")
        lines += ["---", "Body."]
        (root / f"a{i:03d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("limit", [1, 7, 60, 500])
def test_page_is_the_head_of_the_sorted_order(tmp_path: Path, key, reverse, limit) -> None:
    _write(tmp_path, 120, seed=3)
    index = Index(tmp_path, index_path_for(tmp_path))
    index.scan(workers=1)
    expected = sort_entries(index.entries(), key, reverse)[:limit]
    got = index.page(key.value, reverse, limit)
    assert [e.path for e in got] == [e.path for e in expected]
    assert got == expected


def test_page_uses_the_order_indexes(tmp_path: Path) -> None:
    _write(tmp_path, 5, seed=1)
    index = Index(tmp_path, index_path_for(tmp_path))
    for order in ("published DESC, id", "quality DESC, published DESC, id"):
        plan = index.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT path FROM articles ORDER BY {order} LIMIT 5"
        ).fetchall()
        assert "TEMP B-TREE" not in str(plan)  # read in order, not sorted


def test_an_index_of_this_version_without_the_order_indexes_gets_them(tmp_path: Path) -> None:
    _write(tmp_path, 5, seed=2)
    index = Index(tmp_path, index_path_for(tmp_path))
    index.scan(workers=1)
    index.conn.executescript("DROP INDEX articles_by_date; DROP INDEX articles_by_quality;")
    index.close()
    again = Index(tmp_path, index_path_for(tmp_path))
    names = {r[0] for r in again.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"articles_by_date", "articles_by_quality"} <= names
    assert again.count() == 5  # kept, not rebuilt
