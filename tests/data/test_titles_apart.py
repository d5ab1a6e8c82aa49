"""The whole list's rows leave their titles in the index and read them by id when asked."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

import pytest
from conftest import count_reads, write_article

from reader import index_reads
from reader.entry import Entry, rows_apart, titles_of
from reader.index import Index, index_path_for
from reader.library import Collection, SortKey

TITLES = {
    "wind.md": "Offshore wind auction",
    "cafe.md": "Night cafés in Zürich",
    "quote.md": 'He said "no" [bold]twice[/bold]',
    "windy.md": "Windy days ahead",
}

_ID = attrgetter("id")


@pytest.fixture
def index(cache: Path) -> Iterator[Index]:
    for name, title in TITLES.items():
        write_article(cache, name, "Body.", title=title, originalUrl=f"https://e.test/{name}")
    for n in range(20):  # others, so that a title: word leaves few candidates
        write_article(cache, f"other{n:02d}.md", "Body.", title=f"Harbour report {n}")
    index = Index(cache, index_path_for(cache))
    index.scan(workers=1)
    yield index
    index.close()


def _counted(index: Index) -> list[int]:
    return count_reads(index, "titles_by_id")


def test_rows_loaded_apart_hold_no_title_and_read_it_from_the_index(index: Index) -> None:
    held = {e.path: e.title for e in index.entries()}
    apart = index.entries_apart(chunk=5)
    assert len(apart) == len(held) == 24
    for row in apart:
        assert row[1] is row.id and row[0] is row.id  # the id in the title's and path's place
        assert row.title == held[row.path]
    assert {r.path: r.title for r in apart}["quote.md"] == TITLES["quote.md"]


def test_rows_apart_equal_and_hash_as_the_rows_with_their_titles(index: Index) -> None:
    held = sorted(index.entries(), key=_ID)
    apart = sorted(index.entries_apart(), key=_ID)
    assert apart == held and held == apart
    assert set(apart) == set(held)
    assert apart[0] != held[1]
    renamed = apart[0]._replace(title="Renamed")
    assert renamed.title == "Renamed" and renamed != held[0]


def test_titles_of_asks_each_index_once_and_keeps_the_titles_held() -> None:
    calls: list[list[int]] = []

    def read(ids: list[int]) -> dict[int, str]:
        calls.append(ids)
        return {i: f"title {i}" for i in ids if i != 7}  # 7: gone from the index

    kind, other = rows_apart(read), rows_apart(lambda ids: {i: "other" for i in ids})
    rows: list[Entry] = [
        tuple.__new__(
            kind, (f"f/{i}.md", i, None, None, None, "", "", None, "article", "", i, None)
        )
        for i in range(1, 1201)
    ]
    rows[3] = rows[3]._replace(title="Held")
    rows[9] = tuple.__new__(other, rows[9])
    titles = titles_of(rows)
    assert len(calls) == 1 and len(calls[0]) == 1198
    assert titles[0] == "title 1" and titles[3] == "Held" and titles[1199] == "title 1200"
    assert titles[9] == "other"
    assert titles[6] == "7.md"  # a title the index no longer gives: the file's name


@pytest.mark.parametrize("by_list", [2, 100], ids=["as ranges", "by list"])
def test_many_titles_read_by_id_as_ranges_or_by_list_alike(
    index: Index, by_list: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_reads, "TITLES_BY_LIST", by_list)
    monkeypatch.setattr(index_reads, "TITLES_RANGE", 5)
    held = {e.id: e.title for e in index.entries()}
    wanted = sorted(held)[1:-1]
    assert index.titles_by_id(wanted) == {i: held[i] for i in wanted}
    ends = [wanted[0], wanted[-1]]  # far between: by list
    assert index.titles_by_id(ends) == {i: held[i] for i in ends}


def test_a_title_the_index_cannot_give_shows_the_cleaned_file_name(index: Index) -> None:
    row = next(r for r in index.entries_apart() if r.path == "wind.md")
    index.close()
    assert row.title == "Untitled" and row.path == ""  # closed: no traceback
    kind = rows_apart(lambda ids: {})
    odd = tuple.__new__(
        kind, ("a/b\x1b[31mred.md", 5, None, None, None, "", "", None, "", "", 5, None)
    )
    assert odd.title == "bred.md"  # no escape sequence reaches the screen


def test_a_title_search_reads_only_the_titles_the_index_narrows_to(index: Index) -> None:
    asked = _counted(index)
    collection = Collection(index.entries_apart(), match_array=index.match_array)
    found = collection.view(SortKey.DATE, text="title:wind")
    assert [e.path for e in found] == ["wind.md"]  # "Windy" is another word
    assert 0 < len(asked) <= 2  # wind.md's title (and windy.md's, if FTS took a prefix)


@pytest.mark.parametrize("text", ["title:wind", "title:cafés", "title:zürich", "title:harbour"])
def test_a_title_search_finds_the_same_rows_with_rows_apart_or_held(
    index: Index, text: str
) -> None:
    def found(entries: list[Entry]) -> list[str]:
        collection = Collection(entries, match_array=index.match_array)
        return sorted(e.path for e in collection.view(SortKey.DATE, text=text))

    held = found(index.entries())
    assert held and found(index.entries_apart()) == held
