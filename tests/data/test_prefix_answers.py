"""A big index's one- and two-letter prefixes found ahead (``reader.prefix_answers``): the same
ids as FTS5 gives, dropped when the index changes, found again behind the screen, and never
found by ``list`` or while a cold index is built."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import write_article

from reader import prefix_answers, search_halves
from reader.index import Index
from reader.library import Source
from reader.paths import resolve

WORDS = ("tide", "table", "turbine", "budget", "night", "tally")


@pytest.fixture
def source(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Source]:
    """Thirty articles of the words above, every index counted as big, every answer of two
    matches or more kept, and the ids listed four at a time."""
    for n in range(30):
        word = WORDS[n % len(WORDS)]
        write_article(cache, f"a{n:02}.md", f"The {word} story.", title=f"Item {n}")
    monkeypatch.setattr(prefix_answers, "WARM_FROM", 1)
    monkeypatch.setattr(prefix_answers, "KEPT_FROM", 2)
    monkeypatch.setattr(prefix_answers, "CHUNK_IDS", 4)  # listed in eight ranges of row ids
    source = Source(resolve(cache))
    source.scan()
    yield source
    source.index.close()


def _found_ahead(index: Index) -> None:
    """Wait for the thread that finds the answers."""
    thread = index._prefixes._thread
    assert thread is not None
    thread.join(10)
    assert not thread.is_alive()


def _fts(index: Index, expression: str) -> list[int]:
    return sorted(search_halves.matching_ids(index.conn, expression).tolist())


def _searched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The expressions FTS5 is asked from now on."""
    asked: list[str] = []
    real = search_halves.matching_ids

    def recorded(conn, expression, above=None, up_to=None):
        asked.append(expression)
        return real(conn, expression, above, up_to)

    monkeypatch.setattr(search_halves, "matching_ids", recorded)
    return asked


@pytest.mark.parametrize(
    ("expression", "prefix"),
    [
        ('"d"*', "d"),
        ('"D"*', "d"),
        ('"do"*', "do"),
        ('"7"*', "7"),
        ('"doh"*', None),
        ('"d"', None),
        ('"é"*', None),
        ('"d" AND "o"*', None),
    ],
)
def test_only_a_lone_short_prefix_is_looked_for(expression: str, prefix: str | None) -> None:
    assert prefix_answers.short_prefix(expression) == prefix


def test_answers_found_ahead_are_fts5s_and_are_used(
    source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = source.index
    index.keep_prefixes()
    _found_ahead(index)
    version, kept, _ = index._prefixes._kept
    # Every word's first letters: "t" (tide, table, turbine, tally), "ta", "ti", "tu", "b", ...
    assert {"t", "ta", "ti", "tu", "b", "bu", "n", "ni", "s", "st"} <= set(kept)
    assert "te" not in kept  # no word starts with it: nothing kept
    expected = {prefix: _fts(index, f'"{prefix}"*') for prefix in kept}
    asked = _searched(monkeypatch)
    for prefix, ids in expected.items():
        assert sorted(index.match_array(f'"{prefix}"*').tolist()) == ids
        assert sorted(index.match_array(f'"{prefix.upper()}"*').tolist()) == ids
    assert asked == []  # all from the answers found ahead
    assert len(expected["ta"]) == 10  # table and tally: five each
    index.match_array('"tab"*')
    assert asked == ['"tab"*']  # three letters: FTS5, as before


def test_a_change_to_the_index_makes_them_stale_and_found_again(
    source: Source, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = source.index
    index.keep_prefixes()
    _found_ahead(index)
    before = index._prefixes.version()
    write_article(cache, "new.md", "A tariff story.", title="Tariff")
    source.scan()
    asked = _searched(monkeypatch)
    got = sorted(index.match_array('"ta"*').tolist())
    assert asked == ['"ta"*']  # stale: FTS5 answers, with the new article
    assert got == _fts(index, '"ta"*') and len(got) == 11
    _found_ahead(index)  # and the answers are found again behind it
    assert index._prefixes.version() not in (None, before)
    asked.clear()
    assert sorted(index.match_array('"ta"*').tolist()) == got
    assert asked == []


def test_a_small_index_keeps_none(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_article(cache, "a.md", "The tide story.", title="Tide")
    monkeypatch.setattr(prefix_answers, "KEPT_FROM", 1)
    source = Source(resolve(cache))
    source.scan()
    index = source.index
    try:
        index.keep_prefixes()
        _found_ahead(index)
        assert index._prefixes._kept[1] == {}  # fewer than WARM_FROM articles
        assert sorted(index.match_array('"t"*').tolist()) == _fts(index, '"t"*')
    finally:
        index.close()


def test_list_and_a_cold_index_never_find_them(source: Source) -> None:
    index = source.index
    index.match_array('"t"*')  # `newsreader list` never asks for them
    assert index._prefixes._thread is None
    index._prefixes.wanted = True  # the screen asked once, but a cold index is being built
    index.bulk_indexing = True
    index.match_array('"ti"*')
    assert index._prefixes._thread is None
    index.bulk_indexing = False
    index.match_array('"tu"*')
    assert index._prefixes._thread is not None


def test_answers_of_a_changed_index_are_not_kept(
    source: Source, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index changes while the answers are being found: they are dropped, not kept."""
    index = source.index
    real = prefix_answers.find_answers

    def changing(search, count, top, stop, first_found=None):
        answers = real(search, count, top, stop)
        write_article(cache, "late.md", "A tardy story.", title="Late")
        source.scan()
        return answers

    monkeypatch.setattr(prefix_answers, "find_answers", changing)
    index.keep_prefixes()
    _found_ahead(index)
    assert index._prefixes.version() is None


def test_the_one_letter_answers_are_kept_before_the_rest(
    source: Source, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept as soon as they are found; the index then changes while the two-letter ones are
    found: those are dropped, and a search finds the new article (FTS5 answers it)."""
    index = source.index
    real = prefix_answers.find_answers
    kept_first: list[str] = []

    def changing_after_the_first(search, count, top, stop, first_found):
        def first(answers):
            first_found(answers)
            kept_first.extend(index._prefixes._kept[1])
            write_article(cache, "late.md", "A tardy story.", title="Late")
            source.scan()

        return real(search, count, top, stop, first)

    monkeypatch.setattr(prefix_answers, "find_answers", changing_after_the_first)
    index.keep_prefixes()
    _found_ahead(index)
    assert "t" in kept_first and all(len(prefix) == 1 for prefix in kept_first)
    assert index._prefixes.version() not in (None, index.version())  # the first ones, stale
    asked = _searched(monkeypatch)
    got = sorted(index.match_array('"t"*').tolist())
    assert asked == ['"t"*'] and got == _fts(index, '"t"*') and len(got) == 31


def test_finding_stops_when_asked_or_unanswered() -> None:
    stop = threading.Event()
    ids = np.arange(1, 5)
    assert prefix_answers.find_answers(lambda e, a, u: ids, lambda e: None, 10, stop) is None
    many = prefix_answers.KEPT_FROM  # counted as many: listed next
    assert prefix_answers.find_answers(lambda e, a, u: None, lambda e: many, 10, stop) is None
    assert prefix_answers.find_answers(lambda e, a, u: ids, lambda e: many, 10, stop) is not None
    stop.set()
    assert prefix_answers.find_answers(lambda e, a, u: ids, lambda e: many, 10, stop) is None


def test_a_closed_index_starts_no_search(source: Source) -> None:
    index = source.index
    index._prefixes.close()
    index.keep_prefixes()
    assert index._prefixes._thread is None
