"""A search's last word, past the index's prefix lengths, asked as the words it starts
(``reader.prefix_terms``): always the rows the prefix itself finds."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article

from reader import prefix_terms
from reader.index_schema import SCHEMA
from reader.library import Source
from reader.paths import resolve
from reader.query import fts_expression

_SEARCH_TABLE = re.search(
    r"CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5\(.*?\);", SCHEMA, re.S
)


def _table(docs: list[str]) -> sqlite3.Connection:
    """An FTS5 table made as the index makes its own, holding ``docs`` (row ids from 1)."""
    assert _SEARCH_TABLE is not None
    conn = sqlite3.connect(":memory:")
    conn.execute(_SEARCH_TABLE.group(0))
    conn.executemany(
        "INSERT INTO search (rowid, title, excerpt, provider, body) VALUES (?, ?, '', '', ?)",
        [(n, doc.split(" ", 1)[0], doc) for n, doc in enumerate(docs, 1)],
    )
    conn.commit()
    return conn


def _ids(conn: sqlite3.Connection, expression: str) -> list[int]:
    rows = conn.execute("SELECT rowid FROM search WHERE search MATCH ?", (expression,))
    return sorted(row[0] for row in rows)


def test_the_words_a_prefix_starts_are_found_without_the_prefix_itself() -> None:
    conn = _table(["rago ragova", "ragocoba rag", "ragorofe ragp rago", "ragozzz"])
    assert prefix_terms.words_starting(conn, "rago") == [
        "ragocoba",
        "ragorofe",
        "ragova",
        "ragozzz",
    ]
    assert prefix_terms.words_starting(conn, "ragoz") == ["ragozzz"]
    assert prefix_terms.words_starting(conn, "ragozzz") == []


def test_a_long_last_prefix_is_asked_as_its_words() -> None:
    conn = _table(["harbour council", "harbours budget", "harbourmaster night"])
    got = prefix_terms.expanded(conn, fts_expression(("council", "harb")))
    assert got == '"council" AND ("harb" OR "harbour" OR "harbourmaster" OR "harbours")'


@pytest.mark.parametrize(
    "expression",
    [
        '"har"*',  # the index keeps this prefix's list
        '"harbour"',  # not a prefix
        '"harbour"* AND "night"',  # the prefix is not the last word
        '"härb"*',  # folded by FTS5's own rules, not asked as words
        '"harbour"* AND title : "night"',  # a hide rule's shape
        'NEAR("harbour" "nigh"*)',
        '"harb"* OR "nigh"*',
    ],
)
def test_other_expressions_are_asked_as_they_are(expression: str) -> None:
    conn = _table(["harbour night", "harbourmaster"])
    assert prefix_terms.expanded(conn, expression) == expression


def test_too_many_words_leave_the_prefix_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefix_terms, "MOST_WORDS", 3)
    conn = _table([" ".join(f"harb{c}" for c in "abcd")])
    assert prefix_terms.expanded(conn, '"harb"*') == '"harb"*'
    conn = _table([" ".join(f"harb{c}" for c in "abc")])
    assert prefix_terms.expanded(conn, '"harb"*') == '("harb" OR "harba" OR "harbb" OR "harbc")'


def test_every_word_is_asked_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefix_terms, "MOST_WORDS", 40)
    conn = _table([" ".join(f"harb{n:02}" for n in range(40))])
    got = prefix_terms.expanded(conn, '"harb"*')
    assert got.count(" OR ") == 40 and '"harb39"' in got
    assert _ids(conn, got) == [1]


def test_the_same_rows_as_the_prefix_on_random_text() -> None:
    """Words of few letters share many prefixes; some are capitalised, some carry accents
    (folded away by the index) or other scripts (kept), some are digits."""
    rng = random.Random(5)
    letters = "abcé1"
    vocabulary = [
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(400)
    ]
    vocabulary += ["Abca", "ABCAB", "abca2", "ábcab", "abcaß", "abcaя"]
    docs = [" ".join(rng.choices(vocabulary, k=rng.randint(1, 12))) for _ in range(600)]
    conn = _table(docs)
    asked_as_words = 0
    for word in rng.sample(vocabulary, 150) + ["Abca", "abcA", "abca", "1111", "zzzz"]:
        for length in range(4, len(word) + 1):
            first = rng.choice(vocabulary)
            for words in ((word[:length],), (first, word[:length])):
                expression = fts_expression(words)
                got = prefix_terms.expanded(conn, expression)
                asked_as_words += got != expression
                assert _ids(conn, got) == _ids(conn, expression), (expression, got)
    assert asked_as_words > 100


def test_a_rollback_that_drops_the_vocabulary_is_no_harm() -> None:
    conn = _table(["harbour night", "harbourmaster"])
    conn.execute("BEGIN")
    assert "OR" in prefix_terms.expanded(conn, '"harb"*')
    conn.execute("ROLLBACK")  # the temporary table made in the transaction is gone
    assert prefix_terms.expanded(conn, '"harb"*') == '("harb" OR "harbour" OR "harbourmaster")'


def test_an_unreadable_vocabulary_leaves_the_expression(monkeypatch: pytest.MonkeyPatch) -> None:
    conn = _table(["harbour night"])
    monkeypatch.setattr(prefix_terms, "_NEXT_WORD", "SELECT term FROM no_such_table")
    assert prefix_terms.expanded(conn, '"harb"*') == '"harb"*'


@pytest.fixture
def source(cache: Path) -> Iterator[Source]:
    words = ("harbour", "harbourmaster", "harbours", "harvest", "council")
    for n in range(30):
        body = f"The {words[n % 5]} story, number {n}."
        write_article(cache, f"a{n:02}.md", body, title=f"Story {n}")
    source = Source(resolve(cache))
    source.scan()
    yield source
    source.index.close()


def test_the_index_asks_a_long_prefix_as_its_words(
    source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = prefix_terms.expanded

    def recorded(conn: sqlite3.Connection, expression: str) -> str:
        asked.append(real(conn, expression))
        return asked[-1]

    monkeypatch.setattr(prefix_terms, "expanded", recorded)
    expression = fts_expression(("story", "harb"))
    got = sorted(source.index.match_array(expression).tolist())
    assert asked == ['"story" AND ("harb" OR "harbour" OR "harbourmaster" OR "harbours")']
    assert got == _ids(source.index.conn, expression)
    assert len(got) == 18
