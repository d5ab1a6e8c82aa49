"""A topic's carriers, found when first asked for, match whole topic names only."""

from __future__ import annotations

import pytest

from reader import collection as collection_module
from reader.collection import Collection
from reader.entry import TOPIC_SEP, Entry, has_topic
from reader.ordering import SortKey

JOINED = [
    "AI",
    "FAIR",
    "AI" + TOPIC_SEP + "Web",
    "Web 3.0",
    "Web 3",
    "",
    "Web" + TOPIC_SEP + "FAIR",
]


def _entries() -> list[Entry]:
    return [
        Entry(f"a{i}.md", f"T{i}", float(i), i % 3, None, "P", "p", None, "article", joined, i)
        for i, joined in enumerate(JOINED * 5)
    ]


@pytest.mark.parametrize("topic", ["AI", "FAIR", "Web", "Web 3", "Web 3.0", "A", "missing"])
def test_a_topic_inside_another_name_is_not_carried_by_it(topic: str) -> None:
    collection = Collection(_entries())
    collection.warm(SortKey.DATE)
    collection.warm(SortKey.QUALITY)
    for key in SortKey:
        expected = [e for e in collection.sorted(key) if has_topic(e, topic)]
        assert collection.in_topic(key, False, topic) == expected


def test_carriers_stay_right_once_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collection_module, "CARRIERS_KEPT", 2)
    collection = Collection(_entries())
    for _ in range(3):
        for topic in ["AI", "Web", "FAIR", "A"]:
            got = collection.view(SortKey.DATE, False, None, f"topic:{topic}")
            assert got == [e for e in collection.sorted(SortKey.DATE) if has_topic(e, topic)]
    assert len(collection._carriers) <= 2
