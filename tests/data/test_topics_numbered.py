"""The whole list's topics are numbered as it loads, a chunk at a time.

At a million articles, numbering every entry's topics once the list was in took 0.3 s of the
interpreter (shared with the screen's keys), and a topic chosen meanwhile numbered them again on
the key: 0.4-0.5 s. The load now numbers them as it decodes, and the date order picks its
numbers from those; a date order's positions, asked for by two threads at once, are found once.
"""

from __future__ import annotations

import json
import threading
import time
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article

from reader import array_masks, ordering
from reader.collection import Collection
from reader.entry import TOPIC_SEP, Entry, EntryDecoder, split_topics
from reader.filtering import Rows
from reader.hiding import HideRules
from reader.library import Source
from reader.ordering import SortKey
from reader.paths import resolve
from reader.topic_names import TopicNames

TOPIC_SETS = [["AI"], ["AI", "Health"], ["Space"], ["Health"], ["AI", "Space", "Chips"], []]


@pytest.fixture
def long_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list here counts as long: its date order is found in arrays and picked."""
    monkeypatch.setattr("reader.collection.ARRAY_SORT_FROM", 1)
    monkeypatch.setattr(array_masks, "ARRAYS_FROM", 1)


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Source]:
    cache = tmp_path / "cache"
    for n in range(120):
        write_article(
            cache,
            f"a{n:03d}.md",
            title=f"Story {n}",
            url=f"https://example.com/{n}",
            provider=f"Outlet {n % 7}",
            publishedDateTime=f"2024-03-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
            quality=n % 50,
            topics=TOPIC_SETS[n % len(TOPIC_SETS)],
        )
    found = Source(resolve(cache))
    found.scan()
    yield found
    found.index.close()


def _expected(collection: Collection, key: SortKey, reverse: bool, topic: str) -> list:
    rows = collection.sorted(key, reverse)
    return [entry for entry in rows if topic in split_topics(entry.topics)]


def _never_numbered(collection: Collection, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A record of every pass that numbers a list's topics (none is wanted)."""
    passes: list[int] = []
    real = collection._numbered
    monkeypatch.setattr(
        collection, "_numbered", lambda rows: passes.append(len(rows)) or real(rows)
    )
    return passes


def test_the_decoder_numbers_topics_in_the_order_first_met_across_chunks() -> None:
    decoder = EntryDecoder()
    ai_health = TOPIC_SEP.join(["AI", "Health"])
    for topics in (["AI", ai_health, "AI"], ["", ai_health], ["AI"]):
        texts = [json.dumps([None] * len(topics))] * len(Entry._fields)
        texts[Entry._fields.index("topics")] = json.dumps(topics)
        entries = decoder.decode(len(topics), texts)
        assert [entry.topics for entry in entries] == topics
    assert decoder.topic_numbers == {"AI": 0, ai_health: 1, "": 2}
    assert [code for chunk in decoder.topic_codes for code in chunk] == [0, 1, 0, 2, 1, 0]
    assert [len(chunk) for chunk in decoder.topic_codes] == [3, 2, 1]


def test_a_loaded_lists_topic_views_are_picked_from_the_loads_numbers(
    long_lists: None, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = source.load(apart=True)
    assert collection._loaded_codes is not None
    passes = _never_numbered(collection, monkeypatch)
    for key in SortKey:
        for reverse in (False, True):
            for topic in ("AI", "Health", "Space", "Chips"):
                shown = collection.in_topic(key, reverse, topic)
                assert shown == _expected(collection, key, reverse, topic), (key, reverse, topic)
    assert passes == []
    assert collection._loaded_codes is None  # picked once by the date order, then let go


def test_renamed_topics_or_hidden_entries_are_numbered_as_before(
    long_lists: None, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their entries are no longer the list as loaded: the load's numbers are not taken."""
    source.names = TopicNames({"Space": "Astronomy"})
    renamed = source.load(apart=True)
    assert renamed._loaded_codes is None
    assert renamed.in_topic(SortKey.DATE, False, "Astronomy") == _expected(
        renamed, SortKey.DATE, False, "Astronomy"
    )
    assert renamed.in_topic(SortKey.DATE, False, "Space") == []
    source.names = TopicNames()
    source.hiding = HideRules(["topic:Health"])
    hiding = source.load(apart=True)
    assert hiding._loaded_codes is None and len(hiding.hidden or []) == 40
    assert hiding.in_topic(SortKey.QUALITY, True, "AI") == _expected(
        hiding, SortKey.QUALITY, True, "AI"
    )
    assert hiding.in_topic(SortKey.DATE, False, "Health") == []


def test_a_short_lists_numbers_are_not_taken(source: Source) -> None:
    """Below the size sorted in arrays the orders are numbered by a pass (numpy may not even
    be imported yet): the load's numbers would only be held."""
    decoder = EntryDecoder()
    entries = source.index.entries_apart(decoder=decoder)
    collection = Collection(entries)
    collection.topics_numbered(decoder.topic_numbers, decoder.topic_codes)
    assert collection._loaded_codes is None and collection._distinct_topics is None
    assert collection.in_topic(SortKey.DATE, True, "Space") == _expected(
        collection, SortKey.DATE, True, "Space"
    )


def test_numbers_that_do_not_match_the_entries_are_ignored(
    long_lists: None, source: Source
) -> None:
    collection = source.load()
    collection.topics_numbered({"AI": 0}, [array("i", [0])])
    assert collection._loaded_codes is None and collection._distinct_topics is None
    assert collection.in_topic(SortKey.DATE, False, "AI") == _expected(
        collection, SortKey.DATE, False, "AI"
    )


def test_a_date_orders_positions_asked_for_twice_at_once_are_found_once(
    long_lists: None, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second thread waits for the first's positions: it found none and fell back to a pass
    over the date order's scattered entries."""
    entries = source.load().entries
    rows = Rows.in_date_order(entries)
    found: list[int] = []
    real = ordering.date_order

    def slow_date_order(published):
        found.append(1)
        time.sleep(0.3)
        return real(published)

    monkeypatch.setattr(ordering, "date_order", slow_date_order)
    answers: list[object] = []
    threads = [threading.Thread(target=lambda: answers.append(rows._source)) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert found == [1]
    assert len(answers) == 2 and all(answer is not None for answer in answers)
    assert answers[0] is answers[1]
