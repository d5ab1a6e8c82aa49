"""What keeps related-article lookups and duplicate grouping cheap (reader.similar_store): the
candidates come from the seed words' lists, and each article's sameness is worked out once."""

from __future__ import annotations

from pathlib import Path

from conftest import write_article

import reader.similar_store as similar_store
from reader.index import Index
from reader.similarity import Copy, same, same_story, sameness

FILLER = [
    ("Garden", "Tomatoes grow best with morning sun and regular watering in spring."),
    ("Cooking", "A slow braise turns cheap cuts of beef tender over an afternoon."),
    ("Cycling", "The mountain stage ended with a sprint among the climbers on the summit."),
    ("Music", "The orchestra opened its season with a symphony nobody had played in decades."),
]


def indexed(cache: Path) -> tuple[Index, dict[str, int]]:
    index = Index(cache, None)
    index.scan(workers=1)
    ids = dict(index.conn.execute("SELECT path, id FROM articles").fetchall())
    return index, ids


def test_related_finds_the_article_sharing_rare_words_first(cache: Path) -> None:
    write_article(
        cache,
        "probe.md",
        title="Quantum annealing startup raises money for superconducting qubits",
        excerpt="The startup builds annealing processors from superconducting qubits.",
        originalUrl="https://one.example/probe",
    )
    write_article(
        cache,
        "match.md",
        title="Superconducting qubits: how quantum annealing processors work",
        excerpt="Annealing machines cool superconducting circuits to find low energy states.",
        originalUrl="https://two.example/match",
    )
    for n, (title, excerpt) in enumerate(FILLER):
        write_article(
            cache, f"f{n}.md", title=title, excerpt=excerpt, originalUrl=f"https://f.example/{n}"
        )
    index, ids = indexed(cache)
    try:
        found = index.related(ids["probe.md"])
        assert found and found[0][0] == ids["match.md"]
        assert ids["probe.md"] not in [at for at, _ in found]
    finally:
        index.close()


def test_only_candidates_many_articles_are_scored(cache: Path, monkeypatch) -> None:
    for n in range(6):
        write_article(
            cache,
            f"a{n}.md",
            title=f"Glacier retreat measured by satellite survey {n}",
            excerpt="Satellite radar shows the glacier retreat speeding up.",
            originalUrl=f"https://p{n}.example/glacier",
        )
    monkeypatch.setattr(similar_store, "CANDIDATES", 2)
    index, ids = indexed(cache)
    try:
        assert len(index.related(ids["a0.md"], limit=10)) <= 2
    finally:
        index.close()


def test_sameness_is_worked_out_once_per_article_not_per_pair(cache: Path, monkeypatch) -> None:
    calls: list[int] = []
    real = similar_store.sameness

    def counted(copy: Copy):
        calls.append(copy.id)
        return real(copy)

    monkeypatch.setattr(similar_store, "sameness", counted)
    for n in range(5):  # one page under five tracking addresses: ten pairs to check
        write_article(
            cache,
            f"c{n}.md",
            title="The same page",
            excerpt=f"Copy number {n}.",
            originalUrl=f"https://news.example/page?utm_source=feed{n}",
        )
    index, _ids = indexed(cache)
    try:
        groups = {entry.group for entry in index.entries()}
        assert len(groups) == 1 and None not in groups
        assert len(calls) == len(set(calls)) == 5
    finally:
        index.close()


def test_same_agrees_with_same_story() -> None:
    text = "Wire story about the central bank raising interest rates by a quarter point today"
    a = Copy(1, "http://www.a.example/x?utm_medium=rss", "Rates up", text, "Agency")
    b = Copy(2, "https://a.example/x/", "Other title", "other text", "Paper")
    c = Copy(3, "https://c.example/y", "Rates up", text, "Paper")
    d = Copy(4, "https://d.example/z", "Rates up", text, "Agency")
    for first, second, expected in [(a, b, True), (a, c, True), (a, d, False), (b, c, False)]:
        assert same(sameness(first), sameness(second)) is expected
        assert same_story(first, second) is expected
