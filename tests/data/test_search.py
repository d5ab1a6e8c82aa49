"""Full-text search through the index (``Index.search``) and ``Collection.view``: FTS5 for real."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article
from test_query import HOSTILE

from reader.index import SCHEMA_VERSION, Index, index_path_for
from reader.library import Collection, SortKey, Source
from reader.paths import resolve
from reader.query import fts_expression


@pytest.fixture
def news(cache: Path) -> Path:
    """A cache where each field holds words found nowhere else."""
    write_article(
        cache,
        "wind.md",
        "The turbines spin over the sea near Aberdeen.",
        title="Offshore wind auction",
        excerpt="Record bids from eleven consortia",
        publishedDateTime="2024-03-01T00:00:00Z",
        quality=70,
        topics=["Energy"],
        originalUrl="https://example.com/wind",
        provider={"name": "Harbour Times", "domain": "harbour.example"},
    )
    write_article(
        cache,
        "cafe.md",
        "A café in Zürich serves the crème brûlée to night-shift nurses.",
        title="Night cafés",
        publishedDateTime="2024-02-01T00:00:00Z",
        quality=40,
        topics=["Health"],
        originalUrl="https://example.com/cafe",
        provider="Gazette",
    )
    write_article(
        cache / "deep" / "er",
        "panels.md",
        "Rooftop solar panels on the landfill.",
        title="Landfill becomes a power plant",
        publishedDateTime="2024-01-01T00:00:00Z",
        quality=90,
        topics=["Energy", "Waste"],
        provider="Coop News",
    )
    for n in range(6):  # filler, so that word rarity (and so ranking) behaves as in a real cache
        write_article(
            cache,
            f"filler{n}.md",
            f"Council minutes, item {n}: budgets and roads.",
            title=f"Council meeting {n}",
            publishedDateTime=f"2023-06-0{n + 1}T00:00:00Z",
            provider="Town Hall",
        )
    return cache


@pytest.fixture
def source(news: Path) -> Iterator[Source]:
    source = Source(resolve(news))
    source.scan()
    assert not source.is_samples
    yield source
    source.index.close()


def found(source: Source, text: str, **kwargs: object) -> list[str]:
    """Paths ``text`` finds, in the order shown (date order unless ``relevance``)."""
    return [e.path for e in source.load().view(SortKey.DATE, text=text, **kwargs)]


def search(index: Index, *words: str) -> list[str]:
    return index.search(fts_expression(words))


# --- what is matched -------------------------------------------------------------


@pytest.mark.parametrize(
    "word, path",
    [
        ("auction", "wind.md"),  # title
        ("consortia", "wind.md"),  # excerpt
        ("harbour", "wind.md"),  # provider name
        ("harbour.example", "wind.md"),  # provider domain
        ("aberdeen", "wind.md"),  # body only
        ("rooftop", "deep/er/panels.md"),  # body only, in a subfolder
        ("nurses", "cafe.md"),  # body only
    ],
)
def test_words_match_title_excerpt_provider_and_body(source: Source, word: str, path: str) -> None:
    assert found(source, word) == [path]
    assert found(source, word, relevance=True) == [path]
    assert search(source.index, word) == [path]


def test_every_word_must_match_in_any_field(source: Source) -> None:
    assert found(source, "auction aberdeen harbour") == ["wind.md"]  # title + body + provider
    assert found(source, "auction nurses") == []
    assert found(source, "COUNCIL Budgets") == [
        f"filler{n}.md" for n in range(5, -1, -1)
    ]  # newest first


def test_the_last_word_is_a_prefix_as_you_type(source: Source) -> None:
    assert found(source, "solar pan") == ["deep/er/panels.md"]
    assert found(source, "solar p") == ["deep/er/panels.md"]
    assert found(source, "pan solar") == []  # only the last word is a prefix
    assert found(source, "aberd") == ["wind.md"]


def test_diacritics_and_case_are_ignored_both_ways(source: Source, cache: Path) -> None:
    assert found(source, "cafe") == ["cafe.md"]
    assert found(source, "CAFÉ") == ["cafe.md"]
    assert found(source, "zurich creme brulee") == ["cafe.md"]
    write_article(cache, "plain.md", "A plain cafe with no accent.", title="Plain", provider="P")
    source.scan()
    assert sorted(found(source, "café")) == ["cafe.md", "plain.md"]


def test_quoted_words_are_a_phrase(source: Source) -> None:
    assert found(source, '"solar panels"') == ["deep/er/panels.md"]
    assert found(source, '"panels solar"') == []


def test_words_combine_with_qualifiers(source: Source) -> None:
    assert found(source, "the topic:energy") == ["wind.md", "deep/er/panels.md"]
    assert found(source, "the topic:energy quality:>80") == ["deep/er/panels.md"]
    assert found(source, "the topic:energy before:2024-02-01") == ["deep/er/panels.md"]
    assert found(source, "the provider:harbour after:2024-01-15") == ["wind.md"]
    read = {"https://example.com/wind"}
    assert found(source, "the is:unread", read=read) == ["cafe.md", "deep/er/panels.md"]
    assert found(source, "the is:unread", read=read, relevance=True) in (
        ["cafe.md", "deep/er/panels.md"],
        ["deep/er/panels.md", "cafe.md"],
    )
    panels_key = "deep/er/panels.md"  # no URL: keyed by its path
    assert found(source, "the is:starred", starred={panels_key}, relevance=True) == [panels_key]
    assert found(source, "the", topic="Waste") == ["deep/er/panels.md"]


# --- ranking -------------------------------------------------------------------------------


def test_a_word_several_times_in_the_title_ranks_above_one_mention_in_the_body(cache: Path) -> None:
    write_article(
        cache,
        "body.md",
        "A long report on many things. " * 15
        + "One mention of hydrogen. "
        + "More filler text about other topics. " * 15,
        title="Weekly industry report",
        publishedDateTime="2024-05-02T00:00:00Z",
    )
    write_article(
        cache,
        "title.md",
        "Nothing else to see here.",
        title="Hydrogen, hydrogen, hydrogen",
        publishedDateTime="2024-05-01T00:00:00Z",
    )
    for n in range(8):
        write_article(
            cache, f"other{n}.md", f"Unrelated text number {n}.", title=f"Other story {n}"
        )
    source = Source(resolve(cache))
    try:
        source.scan()
        assert search(source.index, "hydrogen") == ["title.md", "body.md"]
        assert found(source, "hydrogen", relevance=True) == ["title.md", "body.md"]
        assert found(source, "hydrogen", relevance=True, reverse=True) == ["body.md", "title.md"]
        assert found(source, "hydrogen") == [
            "body.md",
            "title.md",
        ]  # without relevance: newest first
        assert found(source, "hydro", relevance=True) == ["title.md", "body.md"]  # as a prefix too
    finally:
        source.index.close()


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    HOSTILE
    + [
        '"',
        'solar "panels',
        "solar AND",
        "(solar",
        "solar -",
        "- solar",
        "NEAR(solar, panels)",
        "solar OR wind",
        "title:solar",
        "*solar*",
        '""',
        "'",
        "\\",
        "solar:",
        'topic:"',
        "is:",
    ],
)
def test_user_input_never_raises(source: Source, text: str) -> None:
    for relevance in (False, True):
        rows = source.load().view(SortKey.DATE, text=text, relevance=relevance)
        assert isinstance(rows, list)
        source.load().view(
            SortKey.QUALITY, True, "Energy", text, relevance=relevance, read=set(), starred=set()
        )


def test_fts_syntax_in_input_is_searched_as_text(source: Source) -> None:
    assert found(source, "solar -") == [
        "deep/er/panels.md"
    ]  # a lone dash does not empty the result
    assert found(source, "- solar (") == ["deep/er/panels.md"]
    assert found(source, "solar AND") == []  # "AND" is a word to find, not an operator
    assert found(source, "solar OR wind") == []
    assert found(source, "(solar") == ["deep/er/panels.md"]
    assert found(source, "*solar*") == ["deep/er/panels.md"]
    assert found(source, "night-shift") == ["cafe.md"]
    assert found(source, "body:landfill") == []  # not a column filter: the phrase "body landfill"
    assert found(source, "title:landfill") == ["deep/er/panels.md"]  # the qualifier, a title word
    assert len(found(source, "-")) == len(source.load())  # nothing left to search for: everything


def test_a_malformed_expression_matches_nothing_instead_of_raising(source: Source) -> None:
    for expression in ['"', "AND", "(", "solar NEAR(", "*", "title:", "\x00"]:
        assert source.index.search(expression) == []


# --- keeping the full-text rows in step with the files ------------------------------------


def rewrite(path: Path, title: str, body: str) -> None:
    """Rewrite an article with a new size and mtime, so that the next scan sees the change."""
    before = path.stat()
    write_article(path.parent, path.name, body, title=title)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 5_000_000_000))


def fts_rows(index: Index) -> int:
    return index.conn.execute("SELECT count(*) FROM search").fetchone()[0]


def test_changed_files_replace_their_search_rows(source: Source, news: Path) -> None:
    rewrite(news / "wind.md", "Tidal lagoon approved", "The barrage will power the town.")
    result = source.scan()
    assert result.parsed == 1
    assert found(source, "aberdeen") == [] and found(source, "auction") == []  # no stale hits
    assert found(source, "barrage") == ["wind.md"] and found(source, "tidal") == ["wind.md"]
    assert fts_rows(source.index) == source.index.count()


def test_removed_and_broken_files_leave_no_search_rows(source: Source, news: Path) -> None:
    (news / "wind.md").unlink()
    (news / "deep" / "er" / "panels.md").write_text(
        "no front matter any more, solar\n", encoding="utf-8"
    )
    os.utime(news / "deep" / "er" / "panels.md", ns=(0, 10**18))
    result = source.scan()
    assert result.removed == 1
    assert [s.path for s in result.skipped] == ["deep/er/panels.md"]
    assert found(source, "aberdeen") == [] and found(source, "solar") == []
    assert search(source.index, "aberdeen") == [] and search(source.index, "solar") == []
    assert fts_rows(source.index) == source.index.count() == 7
    # Fixed again, it is found again.
    write_article(news / "deep" / "er", "panels.md", "Solar again.", title="Back")
    source.scan()
    assert found(source, "solar") == ["deep/er/panels.md"]
    assert fts_rows(source.index) == source.index.count() == 8


def test_many_changes_keep_one_search_row_per_article(source: Source, news: Path) -> None:
    for round_ in range(3):
        for n in range(6):
            rewrite(news / f"filler{n}.md", f"Round {round_} story {n}", f"marker{round_} text")
        (news / f"new{round_}.md").write_text(
            f"---\ntitle: New {round_}\n---\nmarker{round_}\n", encoding="utf-8"
        )
        source.scan()
        assert len(found(source, f"marker{round_}")) == 7
        if round_:
            assert found(source, f"marker{round_ - 1}") == [f"new{round_ - 1}.md"]
        assert fts_rows(source.index) == source.index.count()
    ids = source.index.conn.execute(
        "SELECT rowid FROM search EXCEPT SELECT id FROM articles"
    ).fetchall()
    assert ids == []


# --- rebuilding the index --------------------------------------------------------------------


def test_search_works_after_the_index_is_deleted(source: Source, news: Path) -> None:
    source.index.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index_path_for(news)}{suffix}").unlink(missing_ok=True)
    rebuilt = Source(resolve(news))
    try:
        rebuilt.scan()
        assert found(rebuilt, "aberdeen") == ["wind.md"]
        assert found(rebuilt, "cafe", relevance=True) == ["cafe.md"]
    finally:
        rebuilt.index.close()


def test_search_works_after_an_old_or_damaged_index_is_rebuilt(source: Source, news: Path) -> None:
    db = index_path_for(news)
    source.index.close()
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE search")  # an index from before full-text search
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    old = Source(resolve(news))
    try:
        old.scan()
        assert found(old, "aberdeen") == ["wind.md"]
    finally:
        old.index.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    damaged = Source(resolve(news))
    try:
        damaged.scan()
        assert found(damaged, "aberdeen") == ["wind.md"]
        assert fts_rows(damaged.index) == damaged.index.count() == 9
    finally:
        damaged.index.close()


def test_an_in_memory_index_searches_too(news: Path) -> None:
    index = Index(news, None)
    try:
        index.scan()
        assert search(index, "aberdeen") == ["wind.md"]
        collection = Collection(index.entries(), index.search)
        assert [e.path for e in collection.view(SortKey.DATE, text="rooftop")] == [
            "deep/er/panels.md"
        ]
    finally:
        index.close()


def test_a_topic_spelled_several_ways_is_matched_in_every_spelling(cache: Path) -> None:
    write_article(
        cache,
        "upper.md",
        "Solar text.",
        title="Upper",
        topics=["AI"],
        publishedDateTime="2024-01-03",
    )
    write_article(
        cache,
        "lower.md",
        "Solar text.",
        title="Lower",
        topics=["ai", "Energy"],
        publishedDateTime="2024-01-02",
    )
    write_article(
        cache,
        "other.md",
        "Solar text.",
        title="Other",
        topics=["AI Ethics"],
        publishedDateTime="2024-01-01",
    )
    source = Source(resolve(cache))
    try:
        source.scan()
        for typed in ("topic:AI", "topic:ai", "topic:Ai"):
            assert found(source, typed) == ["upper.md", "lower.md"], typed
            assert found(source, f"solar {typed}") == ["upper.md", "lower.md"], typed
            assert sorted(found(source, f"solar {typed}", relevance=True)) == [
                "lower.md",
                "upper.md",
            ], typed
        assert found(source, "topic:ai topic:energy") == ["lower.md"]
        assert found(source, "topic:ENERGY") == ["lower.md"]  # one spelling: the fast exact path
        assert found(source, "topic:nope") == []
        assert found(source, "", topic="AI") == ["upper.md"]  # the sidebar's topics stay exact
    finally:
        source.index.close()


# --- downloaded full texts --------------------------------------------------------


def test_a_downloaded_full_text_is_searched_as_the_body_of_an_article_without_one(
    source: Source, news: Path
) -> None:
    from reader.fulltext.store import FullText

    write_article(news, "bare.md", title="Bare article", originalUrl="https://example.com/bare")
    source.scan()
    assert found(source, "lighthouse") == []
    text = "The **lighthouse** keeper's [log](https://records.invalid/log) of storms."
    source.index.full_texts.put(FullText("https://example.com/bare", markdown=text))
    source.index.add_full_texts({"https://example.com/bare": text})
    assert found(source, "lighthouse") == ["bare.md"]
    assert found(source, "keeper") == ["bare.md"]
    assert found(source, "records") == []  # link targets are not text
    # An article with a body of its own keeps it: a full text never replaces it.
    source.index.add_full_texts({"https://example.com/wind": "Lighthouse text."})
    assert found(source, "lighthouse") == ["bare.md"] and found(source, "aberdeen") == ["wind.md"]
    # Re-parsed (the file changed), the article is still found by its full text.
    write_article(
        news, "bare.md", title="Bare article, edited", originalUrl="https://example.com/bare"
    )
    os.utime(news / "bare.md", (1, 1))
    source.scan()
    assert found(source, "lighthouse") == ["bare.md"]


# --- the last searches' ids, kept while the index stays as it is ------------------------------


def _matches_run(index: Index) -> list[str]:
    """The full-text queries the index's connection runs from now on."""
    run: list[str] = []
    index.conn.set_trace_callback(lambda sql: run.append(sql) if "MATCH" in sql else None)
    return run


def _paths_of(index: Index, ids) -> set[str]:
    rows = index.conn.execute(
        f"SELECT path FROM articles WHERE id IN ({','.join(map(str, ids.tolist()))})"
    )
    return {path for (path,) in rows}


def test_a_search_asked_again_is_answered_without_the_index(source: Source) -> None:
    index = source.index
    run = _matches_run(index)
    first = index.match_array('"turbines"')
    again = index.match_array('"turbines"')
    assert _paths_of(index, first) == {"wind.md"}
    assert again is first and not again.flags.writeable  # shared, so nobody may change it
    assert len(run) == 1


def test_a_change_through_the_index_is_searched_again(source: Source, news: Path) -> None:
    index = source.index
    assert _paths_of(index, index.match_array('"rooftop"')) == {"deep/er/panels.md"}
    write_article(news, "more.md", "Rooftop gardens on the depot.", title="Depot gardens")
    source.scan()
    run = _matches_run(index)
    assert _paths_of(index, index.match_array('"rooftop"')) == {"deep/er/panels.md", "more.md"}
    assert len(run) == 1


def test_a_change_by_another_program_is_searched_again(source: Source) -> None:
    """Another reader or `newsreader list` writes the index file through a connection of its
    own: this connection's count of changes does not move, the file's version does."""
    index = source.index
    assert _paths_of(index, index.match_array('"nurses"')) == {"cafe.md"}
    other = sqlite3.connect(index_path_for(source.cache))
    with other:
        other.execute(
            "DELETE FROM search WHERE rowid = (SELECT id FROM articles WHERE path = 'cafe.md')"
        )
    other.close()
    assert index.match_array('"nurses"').size == 0


def test_only_the_last_few_are_kept(source: Source, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.index_reads as index_reads

    index = source.index
    one = index.match_array('"turbines"').nbytes  # each of these words matches one article
    monkeypatch.setattr(index_reads, "MATCHES_BYTES", 3 * one)
    for word in ("turbines", "nurses", "rooftop", "aberdeen"):
        index.match_array(f'"{word}"')
    run = _matches_run(index)
    for word in ("nurses", "rooftop", "aberdeen"):  # the last three: kept
        index.match_array(f'"{word}"')
    assert run == []
    index.match_array('"turbines"')  # the oldest, dropped
    assert len(run) == 1


def test_a_search_asked_again_is_the_newest(source: Source, monkeypatch: pytest.MonkeyPatch):
    """Taking a letter back and typing it again keeps both: the one asked again is not the
    first dropped."""
    import reader.index_reads as index_reads

    index = source.index
    one = index.match_array('"turbines"').nbytes
    monkeypatch.setattr(index_reads, "MATCHES_BYTES", 2 * one)
    index.match_array('"nurses"')
    index.match_array('"turbines"')  # again: the newest now, "nurses" the oldest
    index.match_array('"rooftop"')
    run = _matches_run(index)
    index.match_array('"turbines"')
    assert run == []
    index.match_array('"nurses"')
    assert len(run) == 1


def _held_by_a_store(index: Index, uncommitted: bool = False):
    """A thread holding the index's connection as a store of changed files does, until the
    returned event is set (at most 20 s); with ``uncommitted``, a matching row is written in its
    transaction meanwhile. Returns the event, the thread, and whether the lock is still held."""
    held, release, holding = threading.Event(), threading.Event(), [True]

    def store() -> None:
        with index._lock:
            if uncommitted:
                index.conn.execute("BEGIN")
                index.conn.execute(
                    "INSERT INTO search (rowid, title, excerpt, body) "
                    "VALUES (999, 'Turbines', 'turbines', '')"
                )
            held.set()
            release.wait(20)
            if uncommitted:
                index.conn.rollback()
            holding[0] = False

    thread = threading.Thread(target=store, daemon=True)
    thread.start()
    assert held.wait(5)
    return release, thread, holding


def test_a_search_typed_while_files_are_stored_does_not_wait_for_the_store(
    source: Source,
) -> None:
    """Thousands of changed files are stored with the index's connection held: a key typed
    meanwhile waited for the store (1.3 s at 100,000). It reads on a connection of its own:
    what was last committed, which is what the list shows."""
    index = source.index
    expected = _paths_of(index, index.match_array('"rooftop"'))
    release, thread, holding = _held_by_a_store(index, uncommitted=True)
    try:
        found = index.match_array('"turbines"')  # asked for the first time: not kept
        still_held = holding[0]
    finally:
        release.set()
        thread.join(10)
    assert still_held  # answered while the store still held the connection
    assert _paths_of(index, found) == {"wind.md"}  # not the store's row, uncommitted
    assert _paths_of(index, index.match_array('"rooftop"')) == expected


def test_a_search_of_an_index_in_memory_waits_for_the_store(source: Source) -> None:
    """An index kept in memory (its file cannot take writes) has no second connection: a search
    waits for the store, and then answers as usual."""
    index = source.index.in_memory("read-only place")
    release, thread, holding = _held_by_a_store(index)
    answers = []
    asking = threading.Thread(target=lambda: answers.append(index.match_array('"turbines"')))
    asking.start()
    asking.join(0.5)
    assert asking.is_alive() and answers == []  # waiting for the connection
    release.set()
    asking.join(10)
    thread.join(10)
    assert not holding[0] and _paths_of(index, answers[0]) == {"wind.md"}
