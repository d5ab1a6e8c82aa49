"""Loaded entries hold each repeated provider, domain, type and topic set once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.entry import Entry, entries_from_json, shared
from reader.index import Index, index_path_for


def test_shared_keeps_values_and_makes_equal_ones_one_object() -> None:
    values = json.loads('["a b", "c", "a b", "c", "a b"]')
    assert values[0] is not values[2]  # as decoded: fresh strings
    result = shared(values)
    assert result == values
    assert result[0] is result[2] is result[4] and result[1] is result[3]


def test_entries_from_json_decodes_every_field_and_drops_the_texts() -> None:
    rows = [
        ("a.md", "One", 1.5, 3, None, "P", "p.com", "u1", "article", "x\x1fy", 1, None),
        ("b.md", "Two", None, None, 2, "P", "p.com", None, "article", "x\x1fy", 2, 1),
    ]
    texts: list[str | None] = [json.dumps(list(column)) for column in zip(*rows)]
    entries = entries_from_json(2, texts)
    assert entries == [Entry(*row) for row in rows]
    assert texts == [None] * len(Entry._fields)  # released as they were decoded
    for field in ("provider", "domain", "type", "topics"):
        assert getattr(entries[0], field) is getattr(entries[1], field)


def test_entries_from_json_refuses_columns_of_different_lengths() -> None:
    texts: list[str | None] = ['["a.md"]', "[]"]
    with pytest.raises(ValueError):
        entries_from_json(1, texts)


def test_index_entries_share_repeated_strings(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"a{i}.md").write_text(
            f"---\ntitle: Article {i}\nprovider: Same Outlet\nurl: https://same.example/{i}\n"
            "topics: [AI, Science]\n---\nBody.\n",
            encoding="utf-8",
        )
    index = Index(tmp_path, index_path_for(tmp_path))
    index.scan(workers=1)
    entries = index.entries()
    assert len(entries) == 3
    assert entries[0].provider == "Same Outlet"
    assert all(e.provider is entries[0].provider for e in entries)
    assert all(e.topics is entries[0].topics for e in entries)
    index.close()
