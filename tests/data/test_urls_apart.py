"""A long list's rows leave their URLs in the index too: the marks are told by their keys'
hashes, taken as the rows were decoded, and everything that counts or filters by marks gives what
it gives with the URLs held."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

import pytest
from conftest import write_article

from reader import index_reads
from reader import key_hashes as key_hashes_module
from reader.entry import entry_key, entry_keys, urls_of
from reader.index import Index, index_path_for
from reader.key_hashes import key_hashes, marked
from reader.library import Collection, SortKey
from reader.marks import Marks
from reader.scopes import Counts
from reader.state import StateStore

_ID = attrgetter("id")


@pytest.fixture
def index(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Index]:
    monkeypatch.setattr(index_reads, "KEYS_APART_FROM", 1)  # every list counts as long
    for n in range(30):
        fields = {
            "title": f"Harbour report {n}",
            "publishedDateTime": f"2026-11-{n % 28 + 1:02d}T08:00:00Z",
            "topics": ["Boats" if n % 3 else "Trains"],
        }
        if n % 5:  # every fifth has no URL: its key is its path
            fields["originalUrl"] = f"https://e{n % 4}.test/story-{n}"
        write_article(cache, f"s{n:02d}.md", f"Body {n}.", **fields)
    write_article(
        cache, "twin.md", "Body.", title="Same URL", originalUrl="https://e1.test/story-1"
    )
    index = Index(cache, index_path_for(cache))
    index.scan(workers=1)
    yield index
    index.close()


def test_rows_hold_their_id_for_a_url_and_none_for_no_url(index: Index) -> None:
    held = sorted(index.entries(), key=_ID)
    apart = sorted(index.entries_apart(chunk=4), key=_ID)
    assert len(apart) == len(held) == 31
    for row, same in zip(apart, held):
        assert row.url is None if same.url is None else row[7] is row.id
        assert row.url == same.url and entry_key(row) == entry_key(same)
        assert row == same and hash(row) == hash(same)
    assert urls_of(apart) == [e.url for e in held]
    assert entry_keys(apart) == entry_keys(held)
    assert key_hashes(apart).tolist() == [hash(k) for k in entry_keys(held)]
    mixed = apart[:10] + held[10:]  # rows of both kinds, each told its own way
    assert key_hashes(mixed).tolist() == [hash(k) for k in entry_keys(held)]


@pytest.mark.parametrize("piece", [4, 1 << 17], ids=["in pieces", "at once"])
def test_marks_tell_the_same_rows_from_the_hashes(
    index: Index, piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(key_hashes_module, "MARKED_PIECE", piece)
    held, apart = index.entries(), index.entries_apart()
    keys = entry_keys(held)
    read = {keys[0], keys[3], "s05.md", "https://e1.test/story-1", "https://gone.test/x"}
    assert marked(apart, read) == marked(held, read)
    assert sum(marked(apart, read)) == sum(key in read for key in keys) == 5  # twin.md too


def test_the_sidebar_counts_the_same_with_urls_apart(index: Index) -> None:
    held, apart = index.entries(), index.entries_apart()
    keys = entry_keys(held)
    read, starred = set(keys[::2]), {keys[1], keys[5], "s10.md"}
    a, b = Counts(apart, read, starred), Counts(held, read, starred)
    assert (a.total, a.unread, a.starred) == (b.total, b.unread, b.starred)
    assert a.topics() == b.topics() and a.providers() == b.providers()
    hidden = [r for r in apart if r.id % 7 == 0]
    shown = [r for r in apart if r.id % 7]
    c = Counts(shown, read, starred, hidden)
    d = Counts([r for r in held if r.id % 7], read, starred, [r for r in held if r.id % 7 == 0])
    assert (c.unread, c.hidden_total, c.hidden_unread) == (
        d.unread,
        d.hidden_total,
        d.hidden_unread,
    )


@pytest.mark.parametrize("text", ["is:read", "is:unread", "is:starred", "is:unread harbour"])
def test_is_filters_the_same_with_urls_apart(
    index: Index, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader import array_masks

    monkeypatch.setattr(array_masks, "ARRAYS_FROM", 1)  # through the arrays, as at a million
    keys = entry_keys(index.entries())
    read, starred = set(keys[1::3]), set(keys[::4])

    def found(rows: list) -> list[int]:
        collection = Collection(rows, match_array=index.match_array)
        view = collection.view(SortKey.DATE, text=text, read=read, starred=starred)
        return [row.id for row in view]

    expected = found(index.entries())
    assert expected and found(index.entries_apart()) == expected


def test_marking_many_finds_every_row_of_their_keys(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader import marks as marks_module

    monkeypatch.setattr(marks_module, "FIND_ALL_ABOVE", 0)  # every mark finds its rows
    marks = Marks(StateStore(None))
    marks.collection = collection = Collection(index.entries_apart())
    assert marks.adopt(marks.tally(collection))
    twins = [row for row in collection.entries if row.url == "https://e1.test/story-1"]
    assert len(twins) == 2
    assert marks.set_read(twins[:1], True) == 1
    assert marks.counts.unread == 29  # both files of the URL
    many = collection.entries
    assert marks.set_read(many, True) == 29  # 30 keys, the twins' marked already
    assert marks.counts.unread == 0


def test_the_unread_of_a_view_are_found_without_reading_a_url(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks = Marks(StateStore(None))
    held, apart = index.entries(), index.entries_apart()
    marks.collection = Collection(apart)
    marks.set_read(apart[::3], True)
    read = index._by_id

    def no_urls(column: str, ids: list[int]) -> dict:
        assert column != "url", "a URL read"
        return read(column, ids)

    monkeypatch.setattr(index, "_by_id", no_urls)
    unread = marks.unread_of(apart)
    expected = [e.id for e in held if not marks.is_read(e)]
    assert [e.id for e in unread] == expected and 0 < len(expected) < len(apart)


def test_rows_patched_in_are_of_the_lists_kind_and_marked_alike(index: Index, cache: Path) -> None:
    collection = Collection(index.entries_apart())
    collection.sorted(SortKey.DATE)
    write_article(cache, "new.md", "Body.", title="New", originalUrl="https://e9.test/new")
    write_article(cache, "bare.md", "Body.", title="No URL")
    result = index.scan(workers=1)
    patched = collection.patched(index, result.touched)
    rows = patched.sorted(SortKey.DATE)
    assert {type(row) for row in rows} == {type(collection.entries[0])}  # one kind
    new = next(row for row in rows if row.path == "new.md")
    assert new[7] is new.id and new.url == "https://e9.test/new"
    held = index.entries()
    read = {"https://e9.test/new", "bare.md", entry_keys(held)[2]}
    assert sum(marked(rows, read)) == sum(marked(held, read)) == 3
    assert Counts(rows, read, set()).unread == Counts(held, read, set()).unread
