"""The first page read from the index (issue #16): the head of each order and the list's size,
the same as loading every entry would give; and what the file check knows of the index."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from operator import attrgetter
from pathlib import Path

import pytest

from reader.filecheck import known_files, stamp
from reader.first_page import ORDERS
from reader.library import Source
from reader.paths import Locations
from reader.whole_load import Gate

_ID = attrgetter("id")
FIXTURE = Path(__file__).parent.parent / "fixtures" / "ui" / "cache"


@pytest.fixture
def source(tmp_path: Path):
    cache = tmp_path / "cache"
    shutil.copytree(FIXTURE, cache)
    locations = Locations(cache, tmp_path / "config", tmp_path / "data")
    made = Source(locations, ["title:glacier"])  # a hide rule: heads leave out what it matches
    made.scan()
    yield made
    made.index.close()


def test_each_head_is_the_start_of_its_order_over_every_entry(source):
    everything = source.load()
    for limit in (1, 3, 200):
        page = source.first_page(limit)
        for key, reverse in ORDERS:
            head = page.head(key, reverse)
            assert head is not None
            wanted = everything.sorted(key, reverse)
            # the hide rules leave out the same articles from the head as from the whole list
            assert head.sorted(key, reverse) == wanted[: len(head)]
            assert len(head) <= limit
        assert head.hidden is not None
    assert len(everything.hidden) == 1


def test_the_list_size_is_the_whole_list_s(source):
    everything = source.load()
    page = source.first_page()
    assert page.articles == source.index.count()
    assert page.total(folded=False) == page.articles
    folded = everything.groups.collapse(everything.sorted(*ORDERS[0]))
    hidden = len(everything.hidden) if everything.hidden is not None else 0
    assert page.total(folded=True) == len(folded) + hidden  # the index counts hidden ones too


def test_the_file_check_knows_what_the_index_knows(source):
    conn = sqlite3.connect(source.index.db_path)
    try:
        rows = conn.execute(
            "SELECT path, size, mtime_ns FROM articles"
            " UNION ALL SELECT path, size, mtime_ns FROM skipped"
        ).fetchall()
        assert known_files(conn) == {path: stamp(size, mtime) for path, size, mtime in rows}
        assert len(set(known_files(conn).values())) == len({(s, m) for _, s, m in rows})
    finally:
        conn.close()


@pytest.mark.parametrize("chunk", [1, 2, 5, 20_000])
def test_the_whole_list_read_apart_in_chunks_is_the_index_s(source, chunk):
    index = source.index
    assert sorted(index.entries_apart(chunk), key=_ID) == sorted(index.entries(), key=_ID)


def test_a_closed_gate_holds_the_whole_list_between_chunks(source):
    """While a few changed files are stored, the whole list waits for them between its chunks,
    and reads on, whole, once the gate opens."""
    index, gate, asked = source.index, Gate(), []
    top = index.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    assert top > 2

    def between() -> None:
        asked.append(len(asked))
        gate.wait()

    read: list = []
    with gate.closed():
        loading = threading.Thread(target=lambda: read.append(index.entries_apart(1, between)))
        loading.start()
        loading.join(timeout=0.3)
        assert loading.is_alive()  # held at its first chunk, not finished
        assert asked == [0]
    loading.join(timeout=10)
    assert not loading.is_alive()
    assert len(asked) == top  # asked before every chunk of one row id
    assert sorted(read[0], key=_ID) == sorted(index.entries(), key=_ID)


def test_an_open_gate_or_none_at_all_holds_nothing(source):
    gate = Gate()
    with gate.closed(close=False):
        assert sorted(source.load(True, gate.wait).entries, key=_ID) == sorted(
            source.load().entries, key=_ID
        )
    with pytest.raises(RuntimeError), gate.closed():
        raise RuntimeError("a failed store opens the gate as well")
    waiting = threading.Thread(target=gate.wait, daemon=True)
    waiting.start()
    waiting.join(timeout=10)
    assert not waiting.is_alive()  # open again


def test_the_status_says_when_the_list_is_still_counting():
    from reader import captions

    assert captions.counting(100_000) == "Counting 100,000 articles…"
    assert captions.counting(1) == "Counting 1 article…"
    assert captions.checked(100_000, "~/c") == "100,000 articles in ~/c · counting…"
