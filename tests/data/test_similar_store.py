"""Related articles and duplicate groups as the index keeps them: known answers on a hand-made
cache, and the same answers whether the index was built at once or file by file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.index import Index, index_path_for
from reader.index_changes import apply_paths

WIRE = (
    "Regulators in the port city approved a plan on Tuesday to replace the ageing ferry fleet "
    "with battery-electric vessels by 2030, citing lower running costs and cleaner air for the "
    "neighbourhoods along the harbour front."
)

ARTICLES = {
    "qubits-1.md": (
        "Quantum computer corrects its own qubit errors",
        "Researchers kept logical qubits alive longer with surface code error correction.",
        "2024-03-01T10:00:00Z",
        ["Quantum"],
    ),
    "qubits-2.md": (
        "Error correction milestone for superconducting qubits",
        "A surface code on superconducting qubits lowered logical error rates for the first time.",
        "2024-03-03T10:00:00Z",
        ["Quantum"],
    ),
    "qubits-3.md": (
        "Why qubit error correction matters",
        "Logical qubits need error correction before quantum computers can run long programs.",
        "2024-03-05T10:00:00Z",
        ["Quantum"],
    ),
    "bread-1.md": (
        "Sourdough starter tips for beginners",
        "Feed the starter flour and water daily; a warm kitchen makes the dough rise faster.",
        "2024-03-02T10:00:00Z",
        ["Baking"],
    ),
    "bread-2.md": (
        "The science of sourdough fermentation",
        "Wild yeast and bacteria in a sourdough starter ferment the dough and give bread its tang.",
        "2024-03-04T10:00:00Z",
        ["Baking"],
    ),
    "ferries.md": (
        "Port city votes for electric ferries",
        "The harbour will see battery ferries by 2030, the council said.",
        "2024-03-02T12:00:00Z",
        ["Transport"],
    ),
}


def write(
    root: Path,
    name: str,
    title: str,
    excerpt: str,
    date: str,
    topics: list[str],
    url: str | None = None,
    provider: str = "Example News",
) -> Path:
    path = root / name
    lines = [
        "---",
        f'title: "{title}"',
        f'excerpt: "{excerpt}"',
        f"publishedDateTime: {date}",
        f"sourceUrl: {url or 'https://news.example.org/' + name.removesuffix('.md')}",
        "provider:",
        f'  name: "{provider}"',
        "topics:",
        *(f"  - {topic}" for topic in topics),
        "---",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def wire(cache: Path, name: str, title: str, date: str, provider: str, text: str = WIRE) -> None:
    """One printing of the ferry wire story (a Transport article)."""
    write(cache, name, title, text, date, ["Transport"], provider=provider)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    root = tmp_path / "cache"
    root.mkdir()
    for name, fields in ARTICLES.items():
        write(root, name, *fields)
    return root


def open_index(root: Path) -> Index:
    index = Index(root, index_path_for(root))
    index.scan(workers=1)
    return index


def by_path(index: Index) -> dict[str, object]:
    return {entry.path: entry for entry in index.entries()}


def related_paths(index: Index, path: str, limit: int = 10) -> list[str]:
    entries = by_path(index)
    ids = {entry.id: entry.path for entry in entries.values()}
    return [ids[at] for at, _score in index.related(entries[path].id, limit)]


def test_the_most_related_articles_are_the_ones_on_the_same_subject(cache: Path) -> None:
    index = open_index(cache)
    found = related_paths(index, "qubits-1.md")
    assert set(found[:2]) == {"qubits-2.md", "qubits-3.md"}
    assert "qubits-1.md" not in found
    assert set(related_paths(index, "bread-1.md")[:1]) == {"bread-2.md"}


def test_related_scores_come_best_first_and_the_limit_holds(cache: Path) -> None:
    index = open_index(cache)
    entry = by_path(index)["qubits-2.md"]
    found = index.related(entry.id, limit=2)
    assert len(found) == 2
    assert found[0][1] >= found[1][1] > 0


def test_an_article_with_no_words_in_common_has_no_related_items(cache: Path) -> None:
    write(cache, "odd.md", "Zyzzyva", "Xylophone quokka.", "2024-03-02T10:00:00Z", ["Misc"])
    index = open_index(cache)
    assert related_paths(index, "odd.md") == []


def test_copies_of_one_page_under_several_addresses_are_one_group(cache: Path) -> None:
    write(
        cache,
        "a.md",
        "City budget passes",
        "The council passed the budget.",
        "2024-03-02T10:00:00Z",
        ["City"],
        url="https://www.paper.example/budget?utm_source=rss",
    )
    write(
        cache,
        "b.md",
        "Budget approved by council",
        "Late vote on spending.",
        "2024-03-02T11:00:00Z",
        ["City"],
        url="http://paper.example/budget/",
        provider="Other",
    )
    entries = by_path(open_index(cache))
    assert entries["a.md"].group is not None
    assert (
        entries["a.md"].group
        == entries["b.md"].group
        == min(entries["a.md"].id, entries["b.md"].id)
    )
    assert entries["qubits-1.md"].group is None


def test_a_wire_story_from_two_providers_is_one_group_but_not_from_one(cache: Path) -> None:
    wire(
        cache, "wire-1.md", "Port city backs electric ferries", "2024-03-02T10:00:00Z", "Agency One"
    )
    wire(
        cache,
        "wire-2.md",
        "Port city backs electric ferries",
        "2024-03-02T10:30:00Z",
        "Agency Two",
        text=WIRE + " More soon.",
    )
    wire(
        cache, "wire-3.md", "Port city backs electric ferries", "2024-03-02T11:00:00Z", "Agency One"
    )
    entries = by_path(open_index(cache))
    assert entries["wire-1.md"].group == entries["wire-2.md"].group is not None
    # The same provider twice is two of its own stories, unless a copy of another joins them.
    assert entries["wire-3.md"].group == entries["wire-1.md"].group
    # Sharing the subject and topic is not being the same story.
    assert entries["ferries.md"].group is None


def test_one_provider_printing_similar_text_twice_is_not_grouped(cache: Path) -> None:
    wire(cache, "p1.md", "Ferry plan", "2024-03-02T10:00:00Z", "Agency One")
    wire(cache, "p2.md", "Ferry plan update", "2024-03-03T10:00:00Z", "Agency One")
    entries = by_path(open_index(cache))
    assert entries["p1.md"].group is None and entries["p2.md"].group is None


def test_related_never_lists_the_article_s_own_copies(cache: Path) -> None:
    wire(
        cache, "wire-1.md", "Port city backs electric ferries", "2024-03-02T10:00:00Z", "Agency One"
    )
    wire(
        cache, "wire-2.md", "Port city backs electric ferries", "2024-03-02T10:30:00Z", "Agency Two"
    )
    index = open_index(cache)
    found = related_paths(index, "wire-1.md")
    assert "wire-2.md" not in found
    assert found[0] == "ferries.md"


def test_addresses_find_the_cached_article_after_normalisation(cache: Path) -> None:
    index = open_index(cache)
    entries = by_path(index)
    wanted = {
        "http://news.example.org/qubits-2?utm_campaign=x": "qubits-2.md",
        "https://www.news.example.org/bread-1/": "bread-1.md",
        "https://news.example.org/not-here": None,
    }
    found = index.ids_for_urls(wanted)
    for url, path in wanted.items():
        assert found.get(url) == (entries[path].id if path else None)


def test_a_new_copy_joins_the_story_and_the_untouched_original_is_reported(cache: Path) -> None:
    index = open_index(cache)
    write(
        cache,
        "copy.md",
        "Quantum computer corrects its own qubit errors",
        "Researchers kept logical qubits alive longer.",
        "2024-03-01T12:00:00Z",
        ["Quantum"],
        url="http://www.news.example.org/qubits-1?utm_source=feed",
        provider="Mirror",
    )
    changes = apply_paths(index, ["copy.md"])
    assert set(changes.touched) == {"copy.md", "qubits-1.md"}
    entries = by_path(index)
    assert entries["copy.md"].group == entries["qubits-1.md"].group == entries["qubits-1.md"].id
    # The copy goes: the original stands alone again, and is reported as changed.
    (cache / "copy.md").unlink()
    changes = apply_paths(index, ["copy.md"])
    assert set(changes.touched) == {"copy.md", "qubits-1.md"}
    assert by_path(index)["qubits-1.md"].group is None


def test_a_scan_reports_originals_whose_group_changed(cache: Path) -> None:
    index = open_index(cache)
    write(
        cache,
        "copy.md",
        "Sourdough copy",
        "Another address of the same page.",
        "2024-03-02T12:00:00Z",
        ["Baking"],
        url="https://news.example.org/bread-2#top",
    )
    result = index.scan(workers=1)
    assert set(result.touched) == {"copy.md", "bread-2.md"}


def tables(index: Index) -> tuple:
    conn: sqlite3.Connection = index.conn
    counts = sorted(conn.execute("SELECT term, articles FROM term_counts"))
    paths = dict(conn.execute("SELECT id, path FROM articles"))
    keys = sorted((paths[at], key) for at, key in conn.execute("SELECT id, key FROM same_keys"))
    groups = {}
    for path, group in conn.execute("SELECT path, dup_group FROM articles"):
        groups[path] = None if group is None else paths[group]
    return counts, keys, groups


def test_file_by_file_changes_leave_the_same_tables_as_a_fresh_build(
    cache: Path, tmp_path: Path
) -> None:
    index = open_index(cache)
    # Add copies, change a text, remove a file: each applied on its own.
    wire(
        cache, "wire-1.md", "Port city backs electric ferries", "2024-03-02T10:00:00Z", "Agency One"
    )
    apply_paths(index, ["wire-1.md"])
    wire(
        cache, "wire-2.md", "Port city backs electric ferries", "2024-03-02T10:30:00Z", "Agency Two"
    )
    apply_paths(index, ["wire-2.md"])
    write(
        cache,
        "qubits-3.md",
        "Sourdough again",
        "Starter, flour, water and patience.",
        "2024-03-05T10:00:00Z",
        ["Baking"],
    )
    (cache / "bread-1.md").unlink()
    apply_paths(index, ["qubits-3.md", "bread-1.md"])
    write(
        cache,
        "wire-1.md",
        "Something else entirely",
        "A different story now.",
        "2024-03-02T10:00:00Z",
        ["Transport"],
        provider="Agency One",
    )
    apply_paths(index, ["wire-1.md"])

    fresh_root = tmp_path / "fresh"
    fresh_root.mkdir()
    for path in cache.glob("*.md"):
        (fresh_root / path.name).write_bytes(path.read_bytes())
    fresh = open_index(fresh_root)
    assert tables(index) == tables(fresh)
    assert related_paths(index, "qubits-1.md") == related_paths(fresh, "qubits-1.md")


def test_removing_every_file_empties_the_similarity_tables(cache: Path) -> None:
    index = open_index(cache)
    for path in list(cache.glob("*.md")):
        path.unlink()
    index.scan(workers=1)
    conn = index.conn
    assert conn.execute("SELECT count(*) FROM term_counts").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM same_keys").fetchone()[0] == 0
    assert (
        conn.execute("SELECT count(*) FROM similar WHERE similar MATCH 'qubits'").fetchone()[0] == 0
    )
