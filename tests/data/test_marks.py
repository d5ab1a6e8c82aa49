"""Marks and their counts together (``reader.marks``), and the counting race."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reader import marks as marks_module
from reader.entry import TOPIC_SEP, Entry, entry_key
from reader.hiding import HideRules
from reader.library import Collection
from reader.marks import FIND_ALL_ABOVE, Marks
from reader.scopes import Counts
from reader.state import StateStore


def _entry(n: int, *topics: str) -> Entry:
    return Entry(
        path=f"f{n}.md",
        title=f"T{n}",
        published=None,
        quality=None,
        heat=None,
        provider="P",
        domain="p.test",
        url=f"https://p.test/{n}",
        type="article",
        topics=TOPIC_SEP.join(topics),
        id=n,
    )


ENTRIES = [_entry(n, "Energy" if n % 2 else "Space") for n in range(10)]


@pytest.fixture
def marks() -> Iterator[Marks]:
    """Marks in memory over :data:`ENTRIES`, counted."""
    marks = Marks(StateStore(None))
    marks.collection = Collection(ENTRIES)
    assert marks.adopt(marks.tally(marks.collection))
    yield marks
    marks.close()


def _same(counts: Counts, marks: Marks) -> None:
    fresh = Counts(ENTRIES, marks.read, marks.starred)
    assert (counts.total, counts.unread) == (fresh.total, fresh.unread)
    assert counts.starred == fresh.starred
    assert counts.topics() == fresh.topics()


def test_set_read_adjusts_the_counts_and_says_how_many_changed(marks):
    assert marks.set_read(ENTRIES[:3], True) == 3
    assert marks.set_read(ENTRIES[:4], True) == 1  # the first three were read already
    assert marks.counts.unread == 6 and marks.is_read(ENTRIES[0])
    _same(marks.counts, marks)
    assert marks.set_read(ENTRIES[:2], False) == 2
    _same(marks.counts, marks)


def test_stars_and_marks_of(marks):
    assert marks.toggle_star(ENTRIES[1]) is True
    assert marks.counts.starred == 1 and marks.marks_of(ENTRIES[1]) == (False, True)
    assert marks.toggle_star(ENTRIES[1]) is False
    assert marks.counts.starred == 0 and marks.marks_of(None) == (False, False)


def _varied(n: int) -> Entry:
    """Entries of several providers and domains, with one, two or no topics; every seventh is
    a second file of the URL before it."""
    topics = [("Energy",), ("Space", "Energy"), ()][n % 3]
    provider = ["P", "Q", "example.org", "R"][n % 4]
    url = f"https://p.test/{n - 1 if n % 7 == 6 else n}"
    return _entry(n, *topics)._replace(provider=provider, domain=f"d{n % 5}.test", url=url)


def _flipping(marks: Marks, entries: list[Entry], read: bool) -> int:
    """How many distinct marks ``set_read(entries, read)`` changes."""
    return len({entry_key(e) for e in entries if (entry_key(e) in marks.read) != read})


def _with_twins(batch: list[Entry], many: list[Entry]) -> list[Entry]:
    """``batch`` and the second files of its URLs, as a story's copies are marked together."""
    twins = [many[e.id + 1] for e in batch if e.id % 7 == 5 and e.id + 1 < len(many)]
    return batch + twins + [many[e.id - 1] for e in batch if e.id % 7 == 6]


@pytest.mark.parametrize("size", [4200, 120])  # past FIND_ALL_ABOVE, and within it
def test_marks_in_bulk_leave_the_counts_a_whole_count_would_give(size):
    many = [_varied(n) for n in range(size)]
    collection = Collection.hiding(many, HideRules(["provider:R"]))
    marks = Marks(StateStore(None))
    marks.collection = collection
    assert marks.adopt(marks.tally(collection))
    hidden = collection.hidden.entries

    def same() -> None:
        counts, whole = marks.counts, Counts(collection.entries, marks.read, marks.starred, hidden)
        assert (counts.total, counts.unread) == (whole.total, whole.unread)
        assert counts.hidden_unread == whole.hidden_unread
        assert counts.topics() == whole.topics()
        assert counts.providers() == whole.providers()
        for source in ("P", "Q", "example.org", "d2.test", "d4.test"):
            assert counts.source(source) == whole.source(source), source

    batches = [(many[::2], True), (many[: size * 3 // 4], False), (many, True)]
    if size > FIND_ALL_ABOVE:  # a file's twin of the same URL flips too, given or not
        batches.insert(1, ([e for e in many if e.id % 7 == 5], False))
        assert len(batches[1][0]) > FIND_ALL_ABOVE
    else:  # few: counted from the articles given, a story's copies among them
        batches = [(_with_twins(batch, many), read) for batch, read in batches]
    for batch, read in batches:
        flipping = _flipping(marks, batch, read)
        assert marks.set_read(batch, read) == flipping > 0
        same()
    assert (marks.counts.unread, marks.counts.hidden_unread) == (0, 0)
    assert marks.counts.topics()[0][2] == 0  # no topic keeps an unread count
    marks.close()


def test_saved_searches_with_state_count_again_after_a_mark(marks):
    marks.save_view("unread", "is:unread")
    marks.save_view("space", "topic:Space")
    assert dict((v.name, n) for v, n in marks.view_counts) == {"unread": 10, "space": 5}
    marks.set_read([ENTRIES[0]], True)
    assert dict((v.name, n) for v, n in marks.view_counts) == {"unread": 9, "space": 5}
    marks.delete_view("space")
    assert [v.name for v, _ in marks.view_counts] == ["unread"]


def _view_counts(marks: Marks) -> dict[str, int]:
    return {view.name: n for view, n in marks.view_counts}


def test_on_a_big_collection_saved_searches_are_counted_by_a_worker(marks, monkeypatch):
    # At a million articles each search with is: took 0.03-0.4 s to count, at every mark.
    marks.save_view("unread", "is:unread")
    marks.save_view("space", "topic:Space")
    monkeypatch.setattr(marks_module, "VIEWS_AT_ONCE_UP_TO", 5)  # the 10 entries are many now
    monkeypatch.setattr(marks_module, "VIEWS_BY_CHANGE_UP_TO", 0)  # and every mark a big one
    marks.set_read([ENTRIES[0]], True)
    assert _view_counts(marks) == {"unread": 10, "space": 5} and marks.views_stale  # not yet
    tally = marks.count_state_views()  # what the worker does, from a snapshot
    marks.set_read([ENTRIES[1]], True)  # a mark while it counts
    assert marks.adopt_views(tally)  # nearer than the counts shown, but not the last word
    assert _view_counts(marks) == {"unread": 9, "space": 5} and marks.views_stale
    late = marks.count_state_views()
    assert not marks.adopt_views(tally)  # older than what is shown now
    assert marks.adopt_views(late) and not marks.views_stale
    assert _view_counts(marks) == {"unread": 8, "space": 5}
    marks.toggle_star(ENTRIES[2])
    assert marks.views_stale  # a star too, with a search that looks at marks
    marks.save_view("starred", "is:starred")  # counted at once, the others with it
    assert _view_counts(marks) == {"unread": 8, "space": 5, "starred": 1}
    assert not marks.views_stale
    stale = marks.count_state_views()
    marks.delete_view("starred")
    assert not marks.adopt_views(stale)  # counts of other searches: never taken
    assert _view_counts(marks) == {"unread": 8, "space": 5}


SEARCHES = [
    "is:unread",
    "is:read",
    "is:starred",
    "is:unread topic:Energy",
    "is:unread T1",
    "is:read provider:Q",
    "is:unread is:starred",
    "topic:Space",
]
"""Saved searches, all but the last looking at marks; ``T1`` matches T1, T10-T19, T100-..."""


def test_marks_of_a_few_change_the_saved_searches_as_a_whole_count_would(monkeypatch):
    # On a big collection a few marks (reading, at every article) change each search's count
    # by what it keeps of the articles marked: the counts then are the whole counts.
    monkeypatch.setattr(marks_module, "VIEWS_AT_ONCE_UP_TO", 10)
    many = [_varied(n) for n in range(300)]
    collection = Collection.hiding(many, HideRules(["provider:R"]))
    marks = Marks(StateStore(None))
    for query in SEARCHES:
        marks.store.save_view(query, query)
    marks.collection = collection
    assert marks.adopt(marks.tally(collection))

    def whole() -> dict[str, int]:
        return {view.name: n for view, n in marks.tally(collection).views}

    for entry in many[2:60:3]:
        marks.set_starred(_with_twins([entry], many), True)  # a story: its URL's files too
        assert not marks.views_stale and _view_counts(marks) == whole()
    assert marks.set_starred(_with_twins(many[12:13], many), True) == 1  # one URL, two files
    assert marks.set_starred(_with_twins(many[11:13], many), False) == 2
    assert _view_counts(marks) == whole()
    assert marks.counts.starred == Counts(collection.entries, marks.read, marks.starred).starred

    read_now = [many[:5], many[5:6], many[2:9], many[40:47], many[90:300:7]]
    unread_now = [many[:1], many[2:9], many[44:45], many[90:300:14]]
    for batch, read in [(b, True) for b in read_now] + [(b, False) for b in unread_now]:
        story = _with_twins(batch, many)  # the copies of a URL flip together
        assert marks.set_read(story, read) > 0
        assert not marks.views_stale  # changed by the marks, no worker needed
        assert _view_counts(marks) == whole(), (len(batch), read)
    assert whole()["is:unread T1"] > 0 and whole()["is:read provider:Q"] > 0


def test_without_searches_that_look_at_marks_nothing_is_stale(marks, monkeypatch):
    marks.save_view("space", "topic:Space")
    monkeypatch.setattr(marks_module, "VIEWS_AT_ONCE_UP_TO", 5)
    marks.set_read([ENTRIES[0]], True)
    assert not marks.views_stale and _view_counts(marks) == {"space": 5}


def test_a_tally_taken_before_a_mark_is_stale(marks):
    """The worker counts from a snapshot; a mark made meanwhile must not be overwritten."""
    tally = marks.tally(marks.collection)  # as the worker would, before the mark
    marks.set_read([ENTRIES[0]], True)
    assert not marks.adopt(tally)
    assert marks.counts.unread == 9
    fresh = marks.tally(marks.collection)
    assert marks.adopt(fresh) and marks.counts.unread == 9
    assert entry_key(ENTRIES[0]) in marks.read
