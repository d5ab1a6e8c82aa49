"""The whole list's rows leave their paths in the index too: a row tells its file by its id, and
the list is patched, searched and walked without reading a path per row."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import count_reads, write_article

from reader.entry import Entry, file_key, paths_of, same_file_keys
from reader.feeds.listing import _filed_rows
from reader.index import Index, index_path_for
from reader.library import Collection, SortKey
from reader.navigation import row_for
from reader.ordering import surviving_neighbour

NAMES = [f"feeds/outlet{n % 3}.example/story-{n:02d}.md" for n in range(12)]


def _write(cache: Path, name: str, title: str, day: int) -> None:
    (cache / name).parent.mkdir(parents=True, exist_ok=True)
    write_article(
        cache,
        name,
        f"Body of {title}.",
        title=title,
        originalUrl=f"https://e.test/{title.replace(' ', '-')}",
        publishedDateTime=f"2026-11-{day:02d}T08:00:00Z",
    )


@pytest.fixture
def index(cache: Path) -> Iterator[Index]:
    for n, name in enumerate(NAMES):
        _write(cache, name, f"Harbour report {n}", n + 1)
    index = Index(cache, index_path_for(cache))
    index.scan(workers=1)
    yield index
    index.close()


def _counted(index: Index) -> list[int]:
    return count_reads(index, "paths_by_id")


def test_rows_apart_hold_their_id_for_a_path_and_read_it_by_id(index: Index) -> None:
    held = {e.id: e.path for e in index.entries()}
    asked = _counted(index)
    apart = index.entries_apart(chunk=5)
    assert all(file_key(row) is row.id for row in apart)  # nothing more per row
    assert not asked
    assert {row.id: row.path for row in apart} == held
    assert paths_of(apart) == [held[row.id] for row in apart]
    assert len(asked) == len(apart) * 2  # one each, then all together in one call


def test_a_removed_rows_path_is_still_read_until_the_list_is_patched(
    index: Index, cache: Path
) -> None:
    row = next(r for r in index.entries_apart() if r.path == NAMES[4])
    os.remove(cache / NAMES[4])
    index.scan(workers=1)
    assert index.titles_by_id([row.id]) == {}  # gone from the index
    assert row.path == NAMES[4]  # from what the index removed lately


def test_a_patched_list_drops_changed_and_removed_rows_by_id(index: Index, cache: Path) -> None:
    collection = Collection(index.entries_apart())
    collection.sorted(SortKey.DATE)
    collection.sorted(SortKey.QUALITY)
    _write(cache, NAMES[2], "Harbour report 2, corrected", 3)
    os.utime(cache / NAMES[2], (1, 1))  # a time of its own: seen as changed whatever the clock
    os.remove(cache / NAMES[7])
    _write(cache, "feeds/outlet9.example/new.md", "Ferry strike", 20)
    result = index.scan(workers=1)
    patched = collection.patched(index, result.touched)
    for key in SortKey:
        rows = patched.sorted(key)
        paths = paths_of(rows)
        assert len(rows) == len(paths) == len(set(paths)) == 12  # nothing twice, nothing left
        assert NAMES[7] not in paths and "feeds/outlet9.example/new.md" in paths
        titles = {row.path: row.title for row in rows}
        assert titles[NAMES[2]] == "Harbour report 2, corrected"


def test_a_file_kept_across_a_reload_is_found_by_the_id_it_has_now(
    index: Index, cache: Path
) -> None:
    old = next(r for r in index.entries_apart() if r.path == NAMES[5])
    _write(cache, NAMES[5], "Harbour report 5, again", 6)
    os.utime(cache / NAMES[5], (1, 1))
    index.scan(workers=1)
    reloaded = index.entries_apart()
    new = next(r for r in reloaded if r.path == NAMES[5])
    assert new.id != old.id  # a changed file's row is a new row
    assert new.id in same_file_keys(old)
    assert row_for(old, reloaded) is new
    held = next(r for r in index.entries() if r.path == NAMES[5])  # a first page's row
    assert row_for(held, reloaded) is new and row_for(new, index.entries()) == held


def test_the_cursor_on_a_removed_row_goes_to_its_neighbour(index: Index, cache: Path) -> None:
    rows = Collection(index.entries_apart()).sorted(SortKey.DATE)
    gone = frozenset({rows[3].path, rows[4].path})
    for path in gone:
        os.remove(cache / path)
    index.scan(workers=1)
    assert surviving_neighbour(rows, 3, gone) is rows[5]


def test_a_ranked_search_finds_rows_apart(index: Index) -> None:
    collection = Collection(index.entries_apart(), index.search, match_array=index.match_array)
    found = collection.view(SortKey.DATE, text="harbour report 3", relevance=True)
    assert found and found[0].path == NAMES[3]


def test_the_feeds_screen_counts_the_open_readers_rows_asking_paths_together(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.feeds import listing

    monkeypatch.setattr(listing, "FILED_PIECE", 5)
    asked = _counted(index)
    rows = index.entries_apart()
    filed = list(_filed_rows(rows))
    assert sorted(f.path for f in filed) == sorted(NAMES)
    assert len(asked) == len(rows) and all(f.url for f in filed)
    mixed: list[Entry] = [*rows[:3], *index.entries()[3:]]  # held rows count too
    assert len(list(_filed_rows(mixed))) == 12
