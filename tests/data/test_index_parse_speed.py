"""The cold index's parse is done sooner in places (the front matter's split, the signature):
each quicker form must give exactly what the plain one gives."""

from __future__ import annotations

import os
import random
from pathlib import Path

import frontmatter
import pytest
from conftest import BAD_ARTICLES, GOOD_ARTICLES, copy_articles

from reader import front_matter, sanitize
from reader.articles import load_article
from reader.index import Index, index_path_for
from reader.index_rows import POOL_THRESHOLD, ArticleRow, ParseJob, parse_one
from reader.similarity import Signature, key_terms, sameness_keys, signature

PIECES = ["---", "----", "--- x", "-- -", " ", "  ", "\t", "\n", "\n\n", "a: 1", "b: [2]", "x---"]


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))


def test_the_split_finds_the_boundaries_the_library_finds() -> None:
    rng = random.Random(11)
    for _ in range(20000):
        text = random_text(rng)
        try:
            expected: tuple[str, str] | None = tuple(
                frontmatter.YAMLHandler().split(text)  # type: ignore[assignment]
            )
        except ValueError:
            expected = None
        try:
            got: tuple[str, str] | None = front_matter._split(text)
        except ValueError:
            got = None
        assert got == expected, repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: x\n---\nbody\n",
        "  \n---  \ntitle: x\n---\n\n",
        "---\ntitle: x\n",
        "---\n- a list\n---\n",
        "---\n---\n",
        "---\ntitle: x\n-----   \n\n  body --- \n---\nmore",
        "text first\n---\ntitle: x\n---\n",
    ],
)
def test_parse_gives_what_the_library_gives(text: str) -> None:
    handler = front_matter.Handler()
    assert front_matter.parse(text, handler) == frontmatter.parse(text, handler=handler)


def test_the_signature_is_its_two_halves() -> None:
    rng = random.Random(5)
    vocabulary = ["alpha", "Beta", "the", "a", "1", "22", "x", "Ærø", "naïve", "日本", "ß", "İs"]
    vocabulary += ["ﬁne", "a-b", "c_d", "\u0301e", "I", "Σ", "ς", "ǅ"]
    for _ in range(5000):
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 12)))
        excerpt = rng.choice([" ", "\n", "  ", "."]).join(
            rng.choice(vocabulary) for _ in range(rng.randint(0, 40))
        )
        url = rng.choice([None, "", "https://x.example/a?utm_source=y", "http://www.X.example/"])
        expected = Signature(key_terms(title, excerpt), sameness_keys(url, title, excerpt))
        assert signature(url, title, excerpt) == expected, (url, title, excerpt)


TRICKY = [
    '"12:30"', "'0b_'", '"2020-13-45"', '"~"', "'null'", '"yes"', '"1e3"', '"<<"', '"="',
    "12:30", "0b_", "2020-13-45", "~", "null", "yes", "1e3", "012", ".5", "-.inf", "0x1F",
    "[a, b]", "{a: 1}", "|\n      block", ">\n      folded", "&anchor x", "*anchor", "!!str 5",
    "plain words", "2020-01-01", "2020-01-01T10:00:00Z", "-1", "3.", "true", "on", "'quoted'",
]  # fmt: skip


def tricky_document(rng: random.Random) -> str:
    """A front matter whose read fields are plain, and whose other fields hold odd values."""
    related = "".join(
        f"  - title: {rng.choice(TRICKY)}\n    {rng.choice(['quality', 'x', '12:30'])}: "
        f"{rng.choice(TRICKY)}\n"
        for _ in range(rng.randint(0, 3))
    )
    return (
        "---\ntitle: A plain title\nexcerpt: An excerpt of five words\n"
        "publishedDateTime: 2021-03-04T05:06:07Z\nquality: 12\n"
        f"provider:\n  name: Outlet\n  domain: outlet.example\ntopics:\n  - AI\n"
        f"secured: {rng.choice(TRICKY)}\nrelated:\n{related}---\nbody\n"
    )


def test_odd_values_in_unread_fields_give_the_row_of_pyyaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(17)
    for number in range(400):
        name = f"{number}.md"
        (tmp_path / name).write_text(tricky_document(rng), encoding="utf-8")
        info = os.stat(tmp_path / name)
        job = ParseJob(str(tmp_path), name, info.st_size, info.st_mtime_ns)
        monkeypatch.setattr(front_matter, "FAST", True)
        fast = parse_one(job)
        monkeypatch.setattr(front_matter, "FAST", False)
        assert fast == parse_one(job), (tmp_path / name).read_text(encoding="utf-8")


def test_the_index_reads_past_odd_values_it_does_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tricky_document(random.Random(1)).replace("related:\n", 'related:\n  - title: "12:30"\n')
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    info = os.stat(tmp_path / "a.md")
    used_pyyaml: list[str] = []
    real = front_matter.yaml.load
    monkeypatch.setattr(
        front_matter.yaml, "load", lambda *a, **k: used_pyyaml.append("") or real(*a, **k)
    )
    row = parse_one(ParseJob(str(tmp_path), "a.md", info.st_size, info.st_mtime_ns))
    assert isinstance(row, ArticleRow) and row.title == "A plain title"
    assert not used_pyyaml  # the quoted "12:30" in related sent only the complete parse to PyYAML
    load_article(tmp_path / "a.md")
    assert used_pyyaml


def test_cleaning_gives_what_the_regexes_give() -> None:
    """``is_plain`` only lets text through that the cleaning regexes would leave as it is."""
    rng = random.Random(23)
    alphabet = ["a", " ", "\n", "\t", "\r", "\r\n", "\x1b[31m", "\x00", "\x7f", "\x85", "é"]
    alphabet += ["\u202e", "\x9b1m", "~", "\x0b", "\x1f"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert sanitize.clean(text) == sanitize._CONTROL.sub(
            "", sanitize._ANSI.sub("", text).replace("\r\n", "\n")
        ), repr(text)
        assert sanitize.clean_raw(text) == sanitize._RAW_CONTROL.sub(
            "", sanitize._ANSI.sub("", text)
        ), repr(text)
        lines = "\n" + text
        by_regex = bool(
            (not lines.replace("\n", "").isprintable() and front_matter._RISKY_CHAR.search(lines))
            or front_matter._RISKY_LINE.search(lines)
            or front_matter._RISKY_AFTER_INDENT.search(lines)
            or front_matter._RISKY_AFTER_INDICATOR.search(lines)
        )
        assert front_matter._risky(lines) == by_regex, repr(text)


def table_rows(index: Index) -> dict[str, object]:
    """Everything a scan stores, in a fixed order (ids and times aside: files come back from
    the processes in another order, and each copy of the cache is written at its own time);
    the duplicate groups as sets of paths (a group is named by its first stored article)."""
    queries = {
        "articles": "SELECT path, size, title, excerpt, published, quality, heat, provider, domain,"
        " url, type, topics FROM articles ORDER BY path",
        "search": "SELECT a.path, s.* FROM search s JOIN articles a ON a.id = s.rowid ORDER BY 1",
        "same_keys": "SELECT path, key FROM same_keys JOIN articles USING (id) ORDER BY 1, 2",
        "term_counts": "SELECT * FROM term_counts ORDER BY term",
        "skipped": "SELECT path, size, reason FROM skipped ORDER BY path",
    }
    tables: dict[str, object] = {
        name: index.conn.execute(sql).fetchall() for name, sql in queries.items()
    }
    groups: dict[int, set[str]] = {}
    for path, group in index.conn.execute("SELECT path, dup_group FROM articles"):
        if group is not None:
            groups.setdefault(group, set()).add(path)
    tables["groups"] = sorted(sorted(paths) for paths in groups.values())
    return tables


def test_a_cold_scan_in_parser_processes_stores_what_one_here_stores(tmp_path: Path) -> None:
    """Jobs taken as they go, the quicker parse: the same tables as parsing every file here."""
    tables = []
    for workers in (1, 2):
        root = tmp_path / f"cache{workers}"
        copy_articles(GOOD_ARTICLES, root)
        copy_articles(BAD_ARTICLES, root / "bad")
        for n in range(POOL_THRESHOLD):
            (root / "many").mkdir(exist_ok=True)
            (root / "many" / f"a{n:04d}.md").write_text(
                f'---\ntitle: "Wire story {n % 7} about the port"\nexcerpt: "The port city backs'
                f' electric ferries for the {n % 3} islands, the council said on Monday."\n'
                f"publishedDateTime: 2021-01-0{n % 9 + 1}T00:00:00Z\n"
                f'provider:\n  name: "Outlet {n % 11}"\noriginalUrl: "https://x.example/{n % 50}"\n'
                f"---\nBody {n}.\n",
                encoding="utf-8",
            )
        index = Index(root, index_path_for(root))
        try:
            index.scan(workers=workers)
            tables.append(table_rows(index))
        finally:
            index.close()
    assert tables[0] == tables[1]
    assert len(tables[0]["articles"]) > POOL_THRESHOLD  # type: ignore[arg-type]
    assert tables[0]["groups"]  # copies of a story were grouped
