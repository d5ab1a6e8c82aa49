"""The index keeps its article count in a row of its own: right after every store, removal and
edit, made and counted once on an index that lacks it, and counted the slow way on a file that
cannot take it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader import index_db
from reader.index import Index, index_path_for
from reader.index_schema import COUNTED


def write(root: Path, name: str, title: str) -> None:
    (root / name).write_text(
        f'---\ntitle: "{title}"\npublishedDateTime: 2024-03-02T10:00:00Z\n'
        f"sourceUrl: https://example.com/{name}\n---\n",
        encoding="utf-8",
    )


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    root = tmp_path / "cache"
    (root / "a").mkdir(parents=True)
    for n in range(30):
        write(root / "a", f"story-{n}.md", f"Story {n}")
    return root


def counted(index: Index) -> int:
    """The count made the slow way, to hold the kept one against."""
    return index.conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def kept(index: Index) -> int | None:
    row = index.conn.execute(f"SELECT n FROM {index_db.COUNT_TABLE}").fetchone()
    return None if row is None else row[0]


def test_the_kept_count_follows_stores_removals_and_edits(cache: Path) -> None:
    index = Index(cache, index_path_for(cache))
    index.scan()
    assert kept(index) == counted(index) == index.count() == 30
    for n in range(5):
        (cache / "a" / f"story-{n}.md").unlink()
    write(cache / "a", "story-10.md", "Story ten, rewritten")  # an edit: removed and stored
    for n in range(40, 43):
        write(cache / "a", f"story-{n}.md", f"Story {n}")
    result = index.scan()
    assert result.removed == 5
    assert kept(index) == counted(index) == index.count() == 28
    index.close()


def test_an_index_without_the_count_gains_it_counted(cache: Path) -> None:
    path = index_path_for(cache)
    index = Index(cache, path)
    index.scan()
    index.conn.executescript(
        "DROP TRIGGER articles_counted_in; DROP TRIGGER articles_counted_out;"
        f" DROP TABLE {index_db.COUNT_TABLE};"
    )
    index.close()
    again = Index(cache, path)
    assert kept(again) == 30  # counted once as it was opened
    write(cache / "a", "story-50.md", "Story 50")
    again.scan()
    assert kept(again) == counted(again) == 31  # and kept from then on
    again.close()


def test_a_file_that_cannot_take_the_count_is_counted_the_slow_way(tmp_path: Path) -> None:
    """An index opened read-only (or by a program that cannot write it) has no count row: the
    count still answers, from the rows."""
    conn = sqlite3.connect(tmp_path / "old.sqlite3")
    conn.executescript("CREATE TABLE articles (id INTEGER PRIMARY KEY, path TEXT);")
    conn.executemany("INSERT INTO articles (path) VALUES (?)", [("x",), ("y",)])
    conn.commit()
    assert index_db.article_count(conn) == 2
    conn.close()


def test_the_count_and_its_triggers_come_together_or_not_at_all(tmp_path: Path) -> None:
    """A write refused while the count is made leaves neither the table nor a trigger: a table
    without its triggers would go stale."""
    path = tmp_path / "index.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE articles (id INTEGER PRIMARY KEY, path TEXT);")
    conn.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    waiting = sqlite3.connect(path, timeout=0.1)
    waiting.execute("PRAGMA busy_timeout = 100")
    index_db.add_count(waiting, COUNTED)
    names = {row[0] for row in waiting.execute("SELECT name FROM sqlite_master")}
    assert not names & {index_db.COUNT_TABLE, "articles_counted_in", "articles_counted_out"}
    assert not waiting.in_transaction
    holder.execute("ROLLBACK")
    index_db.add_count(waiting, COUNTED)  # the next open makes it
    names = {row[0] for row in waiting.execute("SELECT name FROM sqlite_master")}
    assert {index_db.COUNT_TABLE, "articles_counted_in", "articles_counted_out"} <= names
    holder.close()
    waiting.close()
