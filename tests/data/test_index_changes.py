"""Applying a few changed files to the index (``reader.index_changes``), as the watcher does.

The point is the cost: only the named files are looked at and only those that
differ from the index are parsed, so a change at 100,000 articles costs what
the change is; the reader's own write, applied once, is not parsed again.
"""

from __future__ import annotations

import os
import random
import shutil
import threading
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

import pytest
from conftest import write_article

import reader.index_changes as changes_module
import reader.index_store as index_store
from reader.entry import Entry
from reader.index import Index, index_path_for
from reader.index_changes import apply_paths, is_article_path, may_hold_articles
from reader.library import Collection, Source
from reader.ordering import SortKey, sort_entries, surviving_neighbour
from reader.paths import Locations


def article(folder: Path, name: str, title: str) -> Path:
    return write_article(
        folder,
        name,
        f"Body of {title}",
        title=title,
        publishedDateTime="2025-01-01T00:00:00Z",
        originalUrl=f"https://example.com/{name}",
    )


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    root = tmp_path / "cache"
    (root / "sub").mkdir(parents=True)
    for n in range(20):
        article(root / ("sub" if n % 2 else ""), f"a{n:02d}.md", f"Article {n}")
    return root


@pytest.fixture
def index(cache: Path) -> Iterator[Index]:
    index = Index(cache, index_path_for(cache))
    index.scan(workers=1)
    yield index
    index.close()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file :func:`apply_paths` parses, by path."""
    seen: list[str] = []
    real = changes_module.parse_one

    def counting(job):
        seen.append(job.path)
        return real(job)

    monkeypatch.setattr(changes_module, "parse_one", counting)
    return seen


def titles(index: Index) -> dict[str, str]:
    return {e.path: e.title for e in index.entries()}


def test_only_the_changed_files_are_parsed(cache, index, parses):
    article(cache, "a00.md", "Article 0, updated")
    article(cache / "sub", "new.md", "A new one")
    (cache / "a02.md").unlink()
    unchanged = ["a04.md", "sub/a05.md"]  # named (a sync tool touched them) but as indexed
    changes = apply_paths(index, ["a00.md", "sub/new.md", "a02.md", *unchanged])
    assert sorted(parses) == ["a00.md", "sub/new.md"]
    assert changes.parsed == 2
    assert sorted(changes.touched) == ["a00.md", "a02.md", "sub/new.md"]
    assert changes.removed == {"a02.md"}
    found = titles(index)
    assert found["a00.md"] == "Article 0, updated"
    assert found["sub/new.md"] == "A new one"
    assert "a02.md" not in found and len(found) == 20
    # A scan afterwards finds nothing left to do: the index is as a full scan would leave it.
    assert not index.scan(workers=1).changed
    # Applied a second time (the watcher seeing the fetch's own write): nothing is parsed.
    parses.clear()
    again = apply_paths(index, ["a00.md", "sub/new.md", "a02.md"])
    assert parses == [] and again.touched == [] and not again.removed


def test_unreadable_files_are_skipped_with_their_reason_and_leave_the_list(cache, index, parses):
    (cache / "a04.md").write_text("no front matter here\n", encoding="utf-8")
    (cache / "link.md").symlink_to(cache / "missing.md")
    changes = apply_paths(index, ["a04.md", "link.md"])
    reasons = dict(changes.skipped)
    assert set(reasons) == {"a04.md", "link.md"}
    assert reasons["link.md"] == "broken symlink"
    assert changes.removed == {"a04.md"}  # it was an article: the list drops it
    assert dict(index.skipped()) == reasons
    assert "a04.md" not in titles(index)
    # Mended, it comes back.
    article(cache, "a04.md", "Article 4 mended")
    assert apply_paths(index, ["a04.md"]).touched == ["a04.md"]
    assert titles(index)["a04.md"] == "Article 4 mended"
    assert "a04.md" not in dict(index.skipped())


def test_a_folder_moved_in_or_out_counts_for_its_files(cache, index, tmp_path, parses):
    outside = tmp_path / "elsewhere"
    shutil.move(cache / "sub", outside)
    gone = apply_paths(index, ["sub"])  # one event, for the folder
    assert len(gone.removed) == 10 and parses == []
    assert all(not path.startswith("sub/") for path in titles(index))
    shutil.move(outside, cache / "back")
    back = apply_paths(index, ["back"])
    assert len(back.touched) == 10 and len(parses) == 10
    assert sum(path.startswith("back/") for path in titles(index)) == 10


@pytest.mark.parametrize(
    ("rel", "article_like"),
    [
        ("a.md", True),
        ("sub/b.md", True),
        (".newsreader/index.sqlite3", False),
        (".newsreader/fulltext/x.md", False),
        ("sub/.tmp-abcdefgh.part", False),
        (".hidden.md", False),
        ("notes.txt", False),
    ],
)
def test_which_paths_can_be_articles(rel, article_like):
    """The scan's rule: ``*.md`` outside dot-folders, never a dot-file (the atomic writer's)."""
    assert is_article_path(rel) is article_like


def test_dot_paths_are_not_even_looked_at():
    assert may_hold_articles("sub") and may_hold_articles("a.md")
    assert not may_hold_articles(".newsreader/index.sqlite3-wal")
    assert not may_hold_articles("sub/.tmp-abcdefgh.part")


def test_many_changed_files_come_in_parts_to_read_with_the_gone_ones_first(cache, tmp_path):
    """Folders stand for their files; the files left to read are cut in parts, and the files
    gone (no parsing, but a pass over the list per part) all join the first part."""
    for n in range(3):
        article(cache / "old", f"o{n}.md", f"Old {n}")
    locations = Locations(cache=cache, config=tmp_path / "config", data=tmp_path / "data")
    source = Source(locations)
    try:
        source.scan()
        shutil.rmtree(cache / "old")
        for n in range(5):
            article(cache / "new", f"n{n}.md", f"New {n}")
        parts = source.parts_behind(["old", "new", "notes.txt"], 2)
        assert [len(part) for part in parts] == [5, 2, 1]
        assert parts[0][:3] == ["old/o0.md", "old/o1.md", "old/o2.md"]
        assert sorted(sum(parts, [])[3:]) == [f"new/n{n}.md" for n in range(5)]
        assert source.parts_behind(["old"], 2) == [["old/o0.md", "old/o1.md", "old/o2.md"]]
        assert source.parts_behind(["notes.txt"], 2) == []
    finally:
        source.index.close()


def test_source_apply_patches_the_loaded_collection(cache, tmp_path):
    locations = Locations(cache=cache, config=tmp_path / "config", data=tmp_path / "data")
    source = Source(locations)
    try:
        source.scan()
        loaded = source.load()
        article(cache, "a02.md", "Article 2 renamed")
        os.remove(cache / "sub" / "a03.md")
        collection, changes = source.apply(loaded, ["a02.md", "sub/a03.md", "a04.md"])
        by_path = {e.path: e.title for e in collection.entries}
        assert by_path["a02.md"] == "Article 2 renamed"
        assert "sub/a03.md" not in by_path and len(by_path) == 19
        assert changes.removed == {"sub/a03.md"}
        same, nothing = source.apply(collection, ["a02.md"])
        assert same is collection and nothing.touched == []
    finally:
        source.index.close()


def entry(path: str) -> Entry:
    return Entry(path, path, None, None, None, "", "", None, "article", "", 0)


def test_the_cursor_on_a_removed_row_goes_to_the_next_one_left_else_the_one_before():
    rows = [entry(p) for p in "abcde"]
    assert surviving_neighbour(rows, 1, frozenset({"b", "c"})).path == "d"
    assert surviving_neighbour(rows, 4, frozenset({"e", "d"})).path == "c"
    assert surviving_neighbour(rows, 2, frozenset({"a"})) is None  # the highlighted one stays
    assert surviving_neighbour(rows, 0, frozenset("abcde")) is None


def test_a_patched_order_is_the_order_a_new_sort_gives():
    """The loaded order is patched rather than sorted again; it must stay a valid order."""
    rng = random.Random(13)

    def made(n: int) -> Entry:
        published = rng.choice([None, float(rng.randint(0, 50))])
        quality = rng.choice([None, rng.randint(0, 5)])
        return Entry(f"p{n}", f"t{n}", published, quality, None, "", "", None, "article", "", n)

    entries = [made(n) for n in range(300)]
    for key in SortKey:
        collection = Collection(entries)
        for reverse in (False, True):
            collection.sorted(key, reverse)
        gone = {e.path for e in rng.sample(entries, 40)}
        added = [made(n) for n in range(300, 330)]
        by_path = {e.path: e for e in entries if e.path not in gone} | {e.path: e for e in added}
        patched = collection.patched(FakeIndex(added), sorted(gone) + [e.path for e in added])
        for reverse in (False, True):
            fresh = sort_entries(list(by_path.values()), key, reverse)
            got = patched.sorted(key, reverse)
            assert {e.path for e in got} == set(by_path)
            value = attrgetter("published" if key is SortKey.DATE else "quality")
            assert [(value(e), e.published) for e in got] == [
                (value(e), e.published) for e in fresh
            ]


def test_many_added_entries_take_the_places_one_by_one_insertion_gave():
    """The patched list is built from slices; it must equal inserting each added entry in turn
    (equal keys included: an added entry goes after the kept ones and the earlier added)."""
    from bisect import bisect_right

    from reader.ordering import _RANKS, patched_order

    rng = random.Random(29)

    def made(n: int) -> Entry:
        published = rng.choice([None, float(rng.randint(0, 8))])
        quality = rng.choice([None, rng.randint(0, 3)])
        return Entry(f"p{n}", f"t{n}", published, quality, None, "", "", None, "article", "", n)

    for key in SortKey:
        ordered = sort_entries([made(n) for n in range(400)], key, False)
        gone = {e.path for e in rng.sample(ordered, 50)}
        added = [made(n) for n in range(400, 700)]
        expected = [e for e in ordered if e.path not in gone]
        rank = _RANKS[key]
        for one in sorted(added, key=rank):
            expected.insert(bisect_right(expected, rank(one), key=rank), one)
        got = patched_order(ordered, gone, added, key)
        assert [e.id for e in got] == [e.id for e in expected]
        assert patched_order(ordered, gone, [], key) == [e for e in ordered if e.path not in gone]


class FakeIndex:
    """What :meth:`Collection.patched` asks of an index: the entries at some paths, and the
    keys of the rows loaded for them (their paths, rows here holding theirs)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = {e.path: e for e in entries}

    def file_keys(self, paths: list[str]) -> set[str]:
        return set(paths)

    def entries_at(self, paths: list[str]) -> list[Entry]:
        return [self.entries[p] for p in paths if p in self.entries]


def test_a_stop_while_files_are_applied_stores_none_of_them(cache, tmp_path, monkeypatch):
    """The reader closing mid-way: nothing more is parsed, nothing stored (the next look finds
    the files again), whether the stop comes while parsing or while storing."""
    index = Index(cache, tmp_path / "index.sqlite3")
    try:
        for n in range(5):
            article(cache, f"s{n}.md", f"Stopped {n}")
        paths = [f"s{n}.md" for n in range(5)]
        stop = threading.Event()
        seen: list[str] = []
        real = changes_module.parse_one

        def parse_then_stop(job):
            seen.append(job.path)
            if len(seen) == 2:
                stop.set()
            return real(job)

        monkeypatch.setattr(changes_module, "parse_one", parse_then_stop)
        changes = apply_paths(index, paths, stop=stop)
        assert changes.touched == [] and len(seen) == 2
        assert index.known(paths) == {}

        monkeypatch.setattr(changes_module, "parse_one", real)
        stop.clear()
        real_store = index_store.store_rows

        def stop_while_storing(*args, **kwargs):
            stop.set()  # the progress handler ends the rows' inserts, the forgetting done before
            return real_store(*args, **kwargs)

        monkeypatch.setattr(index_store, "store_rows", stop_while_storing)
        monkeypatch.setattr(index_store, "PROGRESS_STEPS", 1)
        assert apply_paths(index, paths, stop=stop).touched == []
        assert index.known(paths) == {}

        monkeypatch.setattr(index_store, "store_rows", real_store)
        stop.clear()
        assert sorted(apply_paths(index, paths, stop=stop).touched) == sorted(paths)
        assert len(index.known(paths)) == 5
    finally:
        index.close()
