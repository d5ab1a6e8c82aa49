"""A big index's search split in two halves by row id (``reader.search_halves``): the same ids
as one query, whichever half a match is in, and what happens when the second half fails."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article

from reader import search_halves
from reader.index import Index
from reader.library import Source
from reader.paths import resolve

WORDS = ("harbour", "council", "turbine", "budget", "night")


@pytest.fixture
def source(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Source]:
    """Forty articles, each word in every fifth one, and every index counted as big."""
    for n in range(40):
        word = WORDS[n % len(WORDS)]
        write_article(cache, f"a{n:02}.md", f"The {word} story number {n}.", title=f"Story {n}")
    monkeypatch.setattr(search_halves, "SPLIT_FROM", 1)
    source = Source(resolve(cache))
    source.scan()
    yield source
    source.index.close()


def _one_query(index: Index, expression: str) -> list[int]:
    """The ids one query over every row gives (what the halves must add up to)."""
    return sorted(search_halves.matching_ids(index.conn, expression).tolist())


@pytest.mark.parametrize("expression", ['"harbour"', '"t"*', '"story"* AND "night"', '"nothing"'])
def test_the_halves_give_what_one_query_gives(source: Source, expression: str) -> None:
    index = source.index
    split = search_halves.split_point(index.conn)
    assert split is not None
    got = sorted(index.match_array(expression).tolist())
    assert got == _one_query(index, expression)
    if expression != '"nothing"':  # matches on both sides of the split: both halves counted
        assert min(got) <= split < max(got)


def test_the_upper_half_is_searched_by_the_other_thread(
    source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, int | None, int | None]] = []
    real = search_halves.matching_ids

    def recorded(conn, expression, above=None, up_to=None):
        asked.append((threading.current_thread().name, above, up_to))
        return real(conn, expression, above, up_to)

    monkeypatch.setattr(search_halves, "matching_ids", recorded)
    index = source.index
    index.match_array('"council"')
    split = search_halves.split_point(index.conn)
    assert sorted(asked) == sorted(
        [
            (threading.current_thread().name, None, split),
            ("newsreader-search-half", split, None),
        ]
    )


def test_a_second_connection_that_cannot_open_leaves_the_search_whole(
    source: Source, tmp_path: Path
) -> None:
    index = source.index
    missing = tmp_path / "no-such-index.sqlite3"
    index._upper_half = search_halves.UpperHalf(missing, index.file_id)
    got = sorted(index.match_array('"budget"').tolist())
    assert len(got) == 8
    assert got == _one_query(index, '"budget"')


def test_a_file_put_in_the_index_file_place_is_not_searched(source: Source) -> None:
    """Another program rebuilt the index file while this one reads the old one: the second
    connection would open the new file, whose ids are another file's, so the search stays
    on this connection."""
    index = source.index
    expected = _one_query(index, '"story"*')
    path = index.db_path
    assert path is not None
    index.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other = path.with_name("other.sqlite3")
    copy = sqlite3.connect(other)
    index.conn.backup(copy)
    copy.execute("DELETE FROM search")  # every article gone in the file put in its place
    copy.commit()
    copy.close()
    other.replace(path)
    assert sorted(index.match_array('"story"*').tolist()) == expected


def test_an_expression_fts5_cannot_read_matches_nothing(source: Source) -> None:
    assert source.index.match_array('"unclosed').size == 0
    assert source.index.match_array("AND AND").size == 0


def test_rows_not_committed_yet_are_found(source: Source) -> None:
    """The other connection cannot see this one's open transaction: no split then."""
    index = source.index
    with index._lock:
        top = index.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
        index.conn.execute("BEGIN")
        try:
            index.conn.execute(
                "INSERT INTO search (rowid, title, excerpt, provider, body)"
                " VALUES (?, 'Pending', '', '', 'a zeppelin overhead')",
                (top + 1,),
            )
            assert index.match_array('"zeppelin"').tolist() == [top + 1]
        finally:
            index.conn.rollback()
    assert index.match_array('"zeppelin"').size == 0


def test_closing_the_index_ends_the_thread(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_article(cache, "one.md", "A harbour.", title="One")
    write_article(cache, "two.md", "A harbour again.", title="Two")
    monkeypatch.setattr(search_halves, "SPLIT_FROM", 1)
    source = Source(resolve(cache))
    source.scan()
    assert len(source.index.match_array('"harbour"')) == 2
    half = source.index._upper_half
    assert half is not None and half.thread.is_alive()
    source.index.close()
    half.thread.join(timeout=10)
    assert not half.thread.is_alive()


def test_a_small_index_is_not_split(cache: Path) -> None:
    write_article(cache, "one.md", "A harbour.", title="One")
    source = Source(resolve(cache))
    source.scan()
    try:
        assert search_halves.split_point(source.index.conn) is None
        assert source.index.match_array('"harbour"').size == 1
        assert source.index._upper_half is None  # no thread, no second connection
    finally:
        source.index.close()


def test_split_point_is_halfway_between_the_first_and_last_ids(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "ids.sqlite3")
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
    assert search_halves.split_point(conn) is None  # empty
    conn.executemany("INSERT INTO articles (id) VALUES (?)", [(7,), (9,), (400_007,)])
    assert search_halves.split_point(conn) == 200_007
