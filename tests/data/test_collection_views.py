"""Topic views made with the loops in C (carriers, flipped forward views) equal the plain filter."""

from __future__ import annotations

import random

import pytest

from reader.collection import Collection
from reader.entry import TOPIC_SEP, Entry, has_topic
from reader.ordering import SortKey

TOPICS = ["AI", "ai", "Science", "Sport", "Web 3.0"]


def _entries(n: int, seed: int) -> list[Entry]:
    rng = random.Random(seed)
    return [
        Entry(
            f"a{i}.md",
            f"T{i}",
            rng.choice([None, 1.0, 2.0, 3.0, rng.random()]),
            rng.choice([None, 10, 20]),
            None,
            "P",
            "p.com",
            f"https://p.com/{i}",
            "article",
            TOPIC_SEP.join(rng.sample(TOPICS, rng.randint(0, 3))),
            i,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("warm", [False, True])
def test_topic_views_are_the_order_filtered(seed: int, warm: bool) -> None:
    collection = Collection(_entries(400, seed))
    if warm:
        collection.warm(SortKey.DATE)
        collection.warm(SortKey.QUALITY, True)
    for reverse in (True, False, True):  # a reversed view before and after its forward one
        for key in SortKey:
            for topic in [*TOPICS, "missing"]:
                expected = [e for e in collection.sorted(key, reverse) if has_topic(e, topic)]
                assert collection.in_topic(key, reverse, topic) == expected, (key, reverse, topic)


def test_topics_typed_in_a_query_narrow_a_topic_view() -> None:
    collection = Collection(_entries(300, 9))
    for reverse in (False, True):
        got = collection.view(SortKey.QUALITY, reverse, "Science", "topic:Sport")
        expected = [
            e
            for e in collection.sorted(SortKey.QUALITY, reverse)
            if has_topic(e, "Science") and has_topic(e, "Sport")
        ]
        assert got == expected


def test_few_word_matches_filter_with_columns_picked_from_the_made_ones() -> None:
    from reader.filtering import Rows
    from reader.qualifiers import Marks
    from reader.query import parse_query

    entries = _entries(300, 3)
    ids = {e.id for e in entries if e.id % 3 == 0}  # few: the qualifiers run on these alone
    marks = Marks(read={f"https://p.com/{i}" for i in range(0, 300, 2)})
    query = parse_query("is:unread quality:>5 topic:ai")
    prepared = Rows(entries)
    prepared.prepare()
    expected = [
        e
        for e in entries
        if e.id in ids
        and e.url not in marks.read
        and (e.quality or 0) > 5
        and "ai" in e.topics.casefold().split(TOPIC_SEP)  # topic: ignores case
    ]
    assert len(expected) > 3
    assert prepared.filtered(query, ids, marks) == expected
    assert Rows(entries).filtered(query, ids, marks) == expected


@pytest.mark.parametrize("key", list(SortKey))
def test_a_column_made_after_the_reversal_is_flipped_from_the_forward_one(key: SortKey) -> None:
    from reader.filtering import ROW_ID
    from reader.qualifiers import KEY, QUALITY, TOPICS

    collection = Collection(_entries(200, 5))
    backward = collection._rows(key, True)  # reversed before any column was made
    for column in (ROW_ID, KEY, QUALITY, TOPICS):
        assert backward.column(column) == column.of_rows(backward.entries)
    assert collection._rows(key)._made  # made once, on the forward order, and flipped


def test_row_ids_are_packed_when_every_entry_has_one() -> None:
    from array import array

    from reader.filtering import ROW_ID, Rows

    rows = Rows(_entries(50, 2))
    assert isinstance(rows.column(ROW_ID), array)
    assert list(rows.flipped(10).column(ROW_ID)) == [e.id for e in rows.flipped(10).entries]
    loose = Rows([e._replace(id=None) for e in _entries(5, 2)])
    assert loose.column(ROW_ID) == [None] * 5  # outside an index: a plain list


def test_one_key_sorted_in_a_worker_does_not_hold_the_other_key_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker sorting the quality order holds no one asking for the date order (reversed,
    say); a second asker for the quality order waits for it and finds its result."""
    import threading

    from reader import collection as collection_module

    collection = Collection(_entries(50, 1))
    collection.sorted(SortKey.DATE)
    inside, release = threading.Event(), threading.Event()
    sort_entries = collection_module.sort_entries
    calls: list[SortKey] = []

    def held(entries, key, *args, **kwargs):
        calls.append(key)
        if key is SortKey.QUALITY:
            inside.set()
            assert release.wait(5)
        return sort_entries(entries, key, *args, **kwargs)

    monkeypatch.setattr(collection_module, "sort_entries", held)
    worker = threading.Thread(target=collection.sorted, args=(SortKey.QUALITY,))
    worker.start()
    assert inside.wait(5)
    done: list[list[Entry]] = []
    other = threading.Thread(target=lambda: done.append(collection.sorted(SortKey.DATE, True)))
    other.start()
    other.join(5)
    assert done and done[0] == Collection(_entries(50, 1)).sorted(SortKey.DATE, True)
    waiting = threading.Thread(target=lambda: done.append(collection.sorted(SortKey.QUALITY)))
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive()  # the quality order is being sorted: it waits, not sorts again
    release.set()
    worker.join(5)
    waiting.join(5)
    assert done[1] is collection.sorted(SortKey.QUALITY) and calls.count(SortKey.QUALITY) == 1
