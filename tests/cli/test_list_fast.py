"""``newsreader list`` read from part of the index prints what the whole cache would.

:func:`reader.list_rows.listed` answers from the head of an order (``--limit``)
or from what a query's words match; its rows, their folding (``+N``) and each
row's copies must be those of the whole collection, hidden articles, renamed
topics and duplicate groups included.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from conftest import RunCli, imported_modules, write_article

from reader.config import load_config
from reader.library import Source
from reader.list_command import duplicate_urls, plain_row, record
from reader.list_rows import listed
from reader.ordering import SortKey
from reader.paths import Locations, resolve

CONFIG = (
    'hide = ["provider:hidden", "title:secret"]\n[topics]\nrename = {"Machine Learning" = "AI"}\n'
)
WORDS = ["harbour", "vaccine", "orbit", "budget", "glacier"]
TOPICS = [["AI"], ["ai"], ["Machine Learning", "Science"], ["Sport"], [], ["Science"]]
PROVIDERS = ["Daily One", "Hidden Wire", "Second Post", "Third Times"]


def _fill(cache: Path, n: int = 360, seed: int = 7) -> None:
    """Articles sharing dates (ties) and qualities, some with neither; every seventh has a copy
    at the same address with tracking parameters (a duplicate group), some of them hidden."""
    rng = random.Random(seed)
    for i in range(n):
        fields: dict = {
            "title": f"Story {i} {rng.choice(WORDS)} {'secret' if i % 23 == 0 else 'news'}",
            "originalUrl": f"https://news{i % 5}.example/{i}",
            "provider": {"name": rng.choice(PROVIDERS), "domain": f"news{i % 5}.example"},
            "topics": rng.choice(TOPICS),
        }
        if rng.random() > 0.1:
            fields["publishedDateTime"] = (
                f"2024-02-{rng.randint(1, 9):02d}T{rng.randint(0, 3):02d}:00:00Z"
            )
        if rng.random() > 0.25:
            fields["quality"] = rng.choice([10, 20, 30, 40])
        write_article(cache, f"a{i:03d}.md", "Body.", **fields)
        if i % 7 == 0:
            copy = dict(fields, originalUrl=f"http://news{i % 5}.example/{i}?utm_source=rss")
            copy["provider"] = {"name": rng.choice(PROVIDERS), "domain": f"news{i % 5}.example"}
            copy["publishedDateTime"] = f"2024-02-{rng.randint(1, 9):02d}T05:00:00Z"
            write_article(cache / "copies", f"c{i:03d}.md", "Body.", **copy)


@pytest.fixture
def filled(cache: Path) -> Path:
    config = resolve().feeds_config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(CONFIG, encoding="utf-8")
    _fill(cache)
    return cache


def _source(cache: Path, show_hidden: bool = False) -> Source:
    locations = Locations(cache, resolve().config, resolve().data)
    hide = () if show_hidden else load_config(locations.feeds_config_path).config.hide
    source = Source(locations, hide)
    source.scan_index()
    return source


def _printed(source: Source, collection, rows, grouped: bool) -> list[str]:
    out = []
    for entry in rows:
        copies = collection.copies(entry)
        out.append(plain_row(entry, len(copies) if grouped else 0))
        out.append(json.dumps(record(entry, source.path_of(entry), duplicate_urls(copies))))
    return out


def _whole(source, key, reverse, query, marks, grouped, limit):
    collection = source.load()
    rows = collection.view(key, reverse, None, query, read=marks[0], starred=marks[1])
    rows = collection.groups.collapse(rows) if grouped else rows
    return collection, rows if limit is None else rows[:limit]


QUERIES = ["", "topic:ai", "topic:Science quality:>15", "harbour", "glacier topic:AI", "is:unread"]


@pytest.mark.parametrize("query", QUERIES)
def test_listed_rows_are_the_whole_caches(filled: Path, query: str) -> None:
    source = _source(filled)
    marks = ({"https://news1.example/1"}, set()) if "is:" in query else (None, None)
    for key, reverse, grouped in itertools.product(SortKey, (False, True), (True, False)):
        for limit in (0, 1, 5, 40, None):
            whole = _whole(source, key, reverse, query, marks, grouped, limit)
            part = listed(source, key, reverse, query, marks, grouped, limit)
            if part is None:
                assert limit is None and "harbour" not in query  # only these need everything
                continue
            printed = _printed(source, *part, grouped)
            assert printed == _printed(source, *whole, grouped), (key, reverse, grouped, limit)


def test_the_fixture_has_what_the_fast_path_must_get_right(filled: Path) -> None:
    collection = _source(filled).load()
    assert collection.hidden is not None and len(collection.hidden) > 10
    assert sum(len(m) > 1 for m in collection.groups.members.values()) > 10
    assert not any("Machine Learning" in e.topics for e in collection.entries)


def test_a_narrow_query_reads_a_longer_head_then_everything(filled: Path) -> None:
    source = _source(filled)
    # Few rows pass: a head of 100 rows cannot decide 30 of them, a longer one does.
    query = "topic:Sport quality:40"
    part = listed(source, SortKey.DATE, False, query, (None, None), True, 30)
    whole = _whole(source, SortKey.DATE, False, query, (None, None), True, 30)
    assert part is not None and [e.path for e in part[1]] == [e.path for e in whole[1]]


def test_cli_list_prints_the_whole_caches_rows(run_cli: RunCli, filled: Path) -> None:
    source = _source(filled)
    for args, query, limit in (
        (["--limit", "12"], "", 12),
        (["--limit", "7", "--sort", "quality", "--reverse"], "", 7),
        (["glacier", "--limit", "3"], "glacier", 3),
    ):
        key = SortKey.QUALITY if "quality" in args else SortKey.DATE
        collection, rows = _whole(
            source, key, "--reverse" in args, query, (None, None), True, limit
        )
        result = run_cli("--cache-dir", filled, "list", *args)
        assert result.returncode == 0, result.stderr
        expected = [plain_row(e, len(collection.copies(e))) for e in rows]
        assert result.stdout.splitlines() == expected
    result = run_cli("--cache-dir", filled, "list", "orbit", "--json")
    collection, rows = _whole(source, SortKey.DATE, False, "orbit", (None, None), True, None)
    expected = [
        json.dumps(record(e, source.path_of(e), duplicate_urls(collection.copies(e)))) for e in rows
    ]
    assert [json.dumps(json.loads(line)) for line in result.stdout.splitlines()] == expected


def test_a_file_changed_since_the_last_index_is_listed(run_cli: RunCli, filled: Path) -> None:
    assert run_cli("--cache-dir", filled, "list", "--limit", "1").returncode == 0
    write_article(filled, "zz-new.md", "Body.", title="Brand new", publishedDateTime="2030-01-01")
    result = run_cli("--cache-dir", filled, "list", "--limit", "2")
    assert result.returncode == 0 and "Brand new" in result.stdout.splitlines()[0]


def test_a_change_is_listed_from_part_of_the_index_without_loading_it_all(
    filled: Path, monkeypatch
) -> None:
    """At a million, loading every entry after a fetch took 5 s: the index as the scan left it
    answers as it does when nothing changed."""
    from click.testing import CliRunner

    from reader.cli import main

    loads, load = [], Source.load
    monkeypatch.setattr(
        Source, "load", lambda self, *a, **k: loads.append(a) or load(self, *a, **k)
    )
    indexing = CliRunner().invoke(main, ["--cache-dir", str(filled), "list", "--limit", "2"])
    assert indexing.exit_code == 0 and len(indexing.stdout.splitlines()) == 2  # a first index too
    assert not loads
    write_article(filled, "zz-new.md", "Body.", title="Brand new", publishedDateTime="2030-01-01")
    copy = {"title": "Brand new copy", "originalUrl": "https://news1.example/1?utm_source=x"}
    write_article(filled, "zz-copy.md", "Body.", publishedDateTime="2030-01-02", **copy)
    result = CliRunner().invoke(main, ["--cache-dir", str(filled), "list", "--limit", "2"])
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()
    assert "Brand new copy" in first and first.endswith("+1")  # folded with news1's story 1
    assert "Brand new" in second and "copy" not in second
    assert not loads


def test_mark_takes_a_query_s_few_matches_from_the_index_as_the_whole_cache_has_them(
    filled: Path, monkeypatch
) -> None:
    """``mark read WORD`` at a million loaded every entry: 10 s and 880 MB for 123,000 matches."""
    from click.testing import CliRunner

    from reader.cli import main
    from reader.entry import entry_keys
    from reader.state import StateStore

    source = _source(filled)
    whole = _whole(source, SortKey.DATE, False, "harbour", (None, None), False, None)[1]
    source.index.close()
    loads, load = [], Source.load
    monkeypatch.setattr(
        Source, "load", lambda self, *a, **k: loads.append(a) or load(self, *a, **k)
    )
    result = CliRunner().invoke(main, ["--cache-dir", str(filled), "mark", "read", "harbour"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"marked {len(whole)} articles read"
    assert not loads
    store = StateStore(resolve().state_path)
    try:
        assert store.read == set(entry_keys(whole))  # hidden ones and every copy as the whole has
    finally:
        store.close()


def test_list_does_not_import_textual(run_cli: RunCli, filled: Path) -> None:
    imported = imported_modules(run_cli, "--cache-dir", filled, "list", "--limit", "1")
    assert "reader.list_rows" in imported
    assert not any(name == "textual" or name.startswith("textual.") for name in imported)
