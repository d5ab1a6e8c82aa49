"""The whole list loaded beside the start holds each repeated string once, and little besides."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from operator import attrgetter

import pytest

from reader import index_reads
from reader.index import Index, index_path_for

PROVIDER = "A Rather Long Provider Name For Its Outlet"
TOPICS = "[Artificial Intelligence, Semiconductor Industry, Open Source Software]"

_ID = attrgetter("id")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    cache = tmp_path_factory.mktemp("cache")
    for i in range(400):
        (cache / f"article-{i:06d}.md").write_text(
            f"---\ntitle: An article whose title is of a usual length, number {i}\n"
            f"provider: {PROVIDER}\noriginalUrl: https://news.example.org/world/{i}-story\n"
            f"publishedDateTime: 2024-03-{1 + i % 28:02d}T10:{i % 60:02d}:00Z\n"
            f"quality: {i % 100}\ntopics: {TOPICS}\n---\nBody.\n",
            encoding="utf-8",
        )
    index = Index(cache, index_path_for(cache))
    index.scan(workers=1)
    yield index
    index.close()


def test_entries_apart_share_repeated_strings_across_chunks(index: Index) -> None:
    entries = index.entries_apart(chunk=7)  # dozens of chunks
    assert len(entries) == 400
    first = entries[0]
    assert first.provider == PROVIDER
    for field in ("provider", "domain", "type", "topics"):
        assert all(getattr(e, field) is getattr(first, field) for e in entries), field


def test_entries_apart_equal_the_single_read(index: Index) -> None:
    assert sorted(index.entries_apart(chunk=7), key=_ID) == sorted(index.entries(), key=_ID)


@pytest.mark.parametrize("keyed", [False, True], ids=["short list", "long list"])
def test_an_entry_loaded_apart_costs_under_its_bound(
    index: Index, keyed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short list's entry: about 270 bytes here (the tuple, URL, date and id; its title and
    path stay in the index). A long list's, whose URL stays there too and whose key's hash is
    kept (8 bytes), about 190. A copy of the provider, domain, type and topics per entry
    (decoded chunk by chunk, unshared) cost about 260 bytes more."""
    if keyed:
        monkeypatch.setattr(index_reads, "KEYS_APART_FROM", 1)
    index.entries_apart(chunk=50)  # the connection's first use out of the count
    tracemalloc.start()
    try:
        entries = index.entries_apart(chunk=50)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    per_entry = held / len(entries)
    assert per_entry < (220 if keyed else 300), f"{per_entry:.0f} bytes an entry"
