"""The views over the cache (``reader.library``): sorting, topics, filtering, samples."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BAD_ARTICLES, GOOD_ARTICLES, copy_articles, write_article

import reader.library as library_module
from reader.entry import TOPIC_SEP, Entry
from reader.library import Collection, SortKey, Source, sort_entries
from reader.paths import SAMPLES_DIR, resolve
from reader.scopes import Counts, topic_counts


def entry(
    path: str,
    published: float | None = None,
    quality: int | None = None,
    *,
    title: str = "",
    provider: str = "",
    domain: str = "",
    topics: tuple[str, ...] = (),
    type: str = "article",
) -> Entry:
    return Entry(
        path,
        title or path,
        published,
        quality,
        None,
        provider,
        domain,
        None,
        type,
        TOPIC_SEP.join(topics),
    )


def order(rows: list[Entry]) -> list[str]:
    return [row.path for row in rows]


DAY = 86400.0
ENTRIES = [
    entry("old", 1 * DAY, 50),
    entry("undated-high", None, 90),
    entry("new", 3 * DAY, 50),
    entry("mid", 2 * DAY, None),
    entry("undated-none", None, None),
    entry("newest-low", 4 * DAY, 5),
    entry("undated-50", None, 50),
]


# --- sorting ---------------------------------------------------------------------


def test_date_sort_is_newest_first_with_undated_last() -> None:
    rows = sort_entries(ENTRIES, SortKey.DATE)
    assert order(rows)[:4] == ["newest-low", "new", "mid", "old"]
    assert set(order(rows)[4:]) == {"undated-high", "undated-none", "undated-50"}


def test_quality_sort_is_highest_first_no_quality_last_ties_newest_first() -> None:
    rows = sort_entries(ENTRIES, SortKey.QUALITY)
    assert order(rows) == [
        "undated-high",  # 90
        "new",
        "old",
        "undated-50",  # 50: newest first, undated last
        "newest-low",  # 5
        "mid",
        "undated-none",  # no quality: newest first among them too
    ]


@pytest.mark.parametrize("key", list(SortKey))
def test_reverse_flips_the_known_values_and_keeps_unknowns_last(key: SortKey) -> None:
    forward = sort_entries(ENTRIES, key)

    def known(e: Entry) -> bool:
        return (e.published if key is SortKey.DATE else e.quality) is not None

    backward = sort_entries(ENTRIES, key, reverse=True)
    known_forward = [e for e in forward if known(e)]
    unknown_forward = [e for e in forward if not known(e)]
    assert unknown_forward, "the fixture must hold entries without a value"
    assert backward == known_forward[::-1] + unknown_forward
    collection = Collection(list(ENTRIES))
    assert collection.sorted(key) == forward
    assert collection.sorted(key, True) == backward
    assert collection.sorted(key) == forward  # the cached orders do not alias each other


@pytest.mark.parametrize("seed", range(6))
def test_cached_reverse_orders_equal_a_fresh_reverse_sort(seed: int) -> None:
    """The reverse order is derived from the forward one; ties, all-unknown and empty included."""
    import random

    rng = random.Random(seed)
    size = [0, 1, 40, 40, 200, 200][seed]
    dates = [None, None, 1.0, 2.0, 3.0] if seed % 2 else [5.0, 6.0]  # odd seeds: many unknowns
    qualities = [None, 10, 10, 50] if seed != 3 else [None]  # seed 3: no quality at all
    rows = [entry(f"e{n}", rng.choice(dates), rng.choice(qualities)) for n in range(size)]
    for key in SortKey:
        collection = Collection(list(rows))
        assert collection.sorted(key, True) == sort_entries(rows, key, reverse=True)
        assert collection.sorted(key) == sort_entries(rows, key)


def test_sorting_does_not_reorder_the_input() -> None:
    entries = list(ENTRIES)
    sort_entries(entries, SortKey.QUALITY, reverse=True)
    assert entries == ENTRIES


def test_sort_key_toggles() -> None:
    assert SortKey.DATE.other is SortKey.QUALITY
    assert SortKey.QUALITY.other is SortKey.DATE
    assert SortKey("quality") is SortKey.QUALITY


# --- topics ---------------------------------------------------------------------


def test_topics_count_most_first_ties_by_name() -> None:
    entries = [
        entry("a", topics=("Robotics", "AI")),
        entry("b", topics=("AI",)),
        entry("c", topics=("Zoology", "AI", "Biology")),
        entry("d", topics=("Robotics",)),
        entry("e"),
    ]
    assert [(name, total) for name, total, _ in Counts(entries, set(), set()).topics()] == [
        ("AI", 3),
        ("Robotics", 2),
        ("Biology", 1),
        ("Zoology", 1),
    ]
    assert Counts([], set(), set()).topics() == []


# --- view: topic and text --------------------------------------------------------


@pytest.fixture
def collection() -> Collection:
    return Collection(
        [
            entry(
                "ferries",
                3 * DAY,
                40,
                title="Harbour city pilots autonomous ferries",
                provider="Example News",
                topics=("Robotics", "Transport"),
            ),
            entry(
                "ethics",
                2 * DAY,
                70,
                title="Panel on machine ethics",
                provider="Ethics Weekly",
                topics=("AI Ethics",),
            ),
            entry(
                "speech",
                1 * DAY,
                10,
                title="Speech benchmark released",
                provider="Example Lab",
                topics=("AI", "Speech"),
            ),
            entry(
                "demo",
                None,
                90,
                title="Démo complète",
                provider="Démo Studio",
                topics=("AI",),
                type="video",
            ),
        ]
    )


def test_view_by_topic_matches_whole_topics_only(collection: Collection) -> None:
    assert order(collection.view(SortKey.DATE, topic="AI")) == ["speech", "demo"]  # not "AI Ethics"
    assert order(collection.view(SortKey.DATE, topic="AI Ethics")) == ["ethics"]
    assert collection.view(SortKey.DATE, topic="Nope") == []
    assert len(collection.view(SortKey.DATE, topic=None)) == 4


def test_view_by_text_without_an_index_searches_title_and_provider(collection: Collection) -> None:
    """Without full-text search (no index), words match titles and providers; see test_search for
    FTS."""

    def find(text: str) -> set[str]:
        return set(order(collection.view(SortKey.DATE, text=text)))

    assert find("ferries") == {"ferries"}  # title
    assert find("weekly") == {"ethics"}  # provider
    assert find("EXAMPLE") == {"ferries", "speech"}  # case-insensitive
    assert find("example lab") == {"speech"}  # every word must match
    assert find("speech news") == set()  # ... in the same article
    assert find("harbour  FERRIES   example") == {
        "ferries"
    }  # words from different fields, any spacing
    assert find("démo") == {"demo"}
    assert find("DÉMO STUDIO") == {"demo"}  # case-insensitive beyond ASCII
    assert find("") == find("   ") == {"ferries", "ethics", "speech", "demo"}
    assert find("zebra") == set()


def test_view_combines_topic_text_and_order(collection: Collection) -> None:
    assert order(collection.view(SortKey.QUALITY, topic="AI")) == ["demo", "speech"]
    assert order(collection.view(SortKey.QUALITY, reverse=True, topic="AI")) == ["speech", "demo"]
    assert order(collection.view(SortKey.DATE, topic="AI", text="benchmark")) == ["speech"]
    assert collection.view(SortKey.DATE, topic="Robotics", text="benchmark") == []


def test_view_by_type(collection: Collection) -> None:
    assert order(collection.view(SortKey.DATE, text="type:video")) == ["demo"]
    assert order(collection.view(SortKey.DATE, text="TYPE:Video")) == ["demo"]
    articles = ["ferries", "ethics", "speech"]
    assert order(collection.view(SortKey.DATE, text="type:article")) == articles
    lowest_first = ["speech", "ferries", "ethics"]
    assert order(collection.view(SortKey.QUALITY, True, text="type:article")) == lowest_first
    assert order(collection.view(SortKey.DATE, topic="AI", text="type:video")) == ["demo"]
    assert order(collection.view(SortKey.DATE, text="type:video studio")) == ["demo"]
    ranked = collection.view(SortKey.DATE, text="type:video studio", relevance=True)
    assert order(ranked) == ["demo"]
    assert collection.view(SortKey.DATE, topic="Robotics", text="type:video") == []
    assert collection.view(SortKey.DATE, text="type:podcast") == []


# --- Source: the cache, or the samples --------------------------------------------


def test_source_reads_the_cache(good_cache: Path) -> None:
    source = Source(resolve(good_cache))
    try:
        result = source.scan()
        collection = source.load()
        assert not source.is_samples
        assert source.root == good_cache
        assert len(collection) == len(list(GOOD_ARTICLES.glob("*.md"))) == source.index.count()
        assert result.changed
        first = collection.entries[0]
        assert source.path_of(first) == good_cache / first.path and source.path_of(first).is_file()
        assert (good_cache / ".newsreader" / "index.sqlite3").is_file()
    finally:
        source.index.close()


@pytest.mark.parametrize("state", ["empty", "missing", "only-bad-files"])
def test_source_switches_to_samples_when_the_cache_has_no_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    samples = tmp_path / "samples"
    copy_articles(GOOD_ARTICLES, samples)
    monkeypatch.setattr(library_module, "SAMPLES_DIR", samples)
    cache = tmp_path / "cache"
    if state != "missing":
        cache.mkdir()
    if state == "only-bad-files":
        copy_articles(BAD_ARTICLES, cache)
    source = Source(resolve(cache))
    try:
        source.scan()
        assert source.is_samples
        assert source.root == samples
        assert len(source.load()) == len(list(samples.glob("*.md")))
        assert not (samples / ".newsreader").exists()  # samples are indexed in memory
        assert source.scan().parsed == 0  # staying on the samples: no second switch
        assert source.is_samples
    finally:
        source.index.close()


def test_source_stays_on_the_cache_when_it_has_one_article(cache: Path) -> None:
    write_article(cache, "only.md", title="The only one")
    source = Source(resolve(cache))
    try:
        source.scan()
        assert not source.is_samples
        assert [e.title for e in source.load().entries] == ["The only one"]
    finally:
        source.index.close()


def test_bundled_samples_all_load(cache: Path) -> None:
    files = list(SAMPLES_DIR.glob("*.md"))
    if not files:
        pytest.skip("reader/samples/ holds no sample articles yet")
    source = Source(resolve(cache))
    try:
        source.scan()
        collection = source.load()
        assert source.is_samples
        assert source.index.skipped() == [], "every bundled sample must load"
        assert len(collection) == len(files)
        assert topic_counts(collection.entries), "samples should carry topics for the sidebar"
        assert all(entry.title for entry in collection.entries)
    finally:
        source.index.close()
