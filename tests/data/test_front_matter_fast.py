"""The fast YAML path (``reader.front_matter``): yaml_rs only where it reads as PyYAML does.

Every case parses the same text twice, through the fast path and through
PyYAML alone, and the two articles (or the two skip reasons) must be equal.
The risky forms must really reach PyYAML, so these tests fail if the check
that sends them there is loosened.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import BAD_ARTICLES, GOOD_ARTICLES

from reader import front_matter
from reader.articles import Article, ArticleError, parse_text

needs_yaml_rs = pytest.mark.skipif(front_matter.yaml_rs is None, reason="yaml_rs not installed")

ORDINARY = [
    "title: \"Quoted: with a colon, and # hash\"\nexcerpt: 'it''s single'",
    "title: Plain title with words like yes and no in it\nquality: 33\nheat: -1",
    "title: T\npublishedDateTime: 2020-09-26T15:48:00Z\npublished: false",
    "title: T\npublishedDateTime: 2020-09-26T15:48:00.123456789+05:30",
    "title: T\npublishedDateTime: 2020-09-26 15:48:00 -5",
    "title: T\npublishedDateTime: 2020-09-26",
    "title: T\ntopics:\n  - Computer Vision\n  - AI\ntags: single",
    "title: T\nprovider:\n  name: 9to5Mac\n  domain: 9to5mac.com\n  images:\n"
    '    - url: "https://x.example/logo.png"',
    'title: "caf\\u00e9 \\x41 \\U0001F600 日本語"\nexcerpt: "line\\nbreak"',
    "title: Multi\n  line plain\n\n  with a paragraph",
    'title: "multi\n  line quoted"',
    "title: T\nquality: 1.5\nheat: .5\nexcerpt: 0",
    "title: T\nquality: ~\nheat: null\ncategory:",
    "title: True\nexcerpt: 12",
    "title: T\noriginalUrl: https://x.example/a-1?b=c&d=e#f",
    "title: T\n2: a numeric key\ntrue: a boolean one",
    "title: T # a comment\nexcerpt: x#y",
]
RISKY = [
    "title: yes\nexcerpt: on",
    "title: T\npublished: No",
    "title: T\nquality: 012",
    "title: T\nquality: 0o12",
    "title: T\nquality: 1e3",
    "title: T\nquality: 1.5e3",
    "title: T\nquality: 1_000",
    "title: T\nexcerpt: 12:30",
    "title: T\nexcerpt: 12:30:00",
    "title: T\nquality: .NaN\nheat: -.inf",
    "title: T\nquality: .naN",
    "title: T\npublishedDateTime: 2020-13-45",
    "title: T\npublishedDateTime: 2020-02-30T10:00:00Z",
    "title: T\npublishedDateTime: 2020-01-01T10:00Z",
    "title: T\npublishedDateTime: 2020-01-01T10:00:00.",
    "title: !custom T",
    "title: !!python/object:os.system T",
    "title: !!binary aGVsbG8=",
    "title: !!str 12",
    "title: &a T\nexcerpt: *a",
    "title: T\ntitle: U",
    "title: T\n1: one\ntrue: the same key to Python",
    "base: &b {quality: 5}\n<<: *b\ntitle: T",
    "title: T\n<<: {quality: 5}",
    "title: T\nexcerpt: =",
    "title: T\nquality: " + "1" * 5000,
    "title: T\n? [a, b]\n: 1",
    "title: T\n[a, b]: 1",
    "title: T\ntopics: [yes, 012, a?b]",
    "title: T\nyes: 1",
    "title: T\n2020-01-01: a date key\n~: a null one",
    "title: T\nexcerpt: |\n",
    "title: T\nexcerpt: >-\n  folded\n  text",
    "title: T\nexcerpt: \ttab",
    "title: T\nexcerpt: a\u2028b",
    "title: T\n%YAML 1.1",
    "title: T\n...\nexcerpt: after",
]


def article_or_reason(text: str) -> Article | str:
    try:
        return parse_text(text)
    except ArticleError as exc:
        return f"skip: {exc}"


def both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """The article (or skip reason) through the fast path, then through PyYAML alone."""
    with monkeypatch.context() as patch:
        patch.setattr(front_matter, "FAST", True)
        fast = article_or_reason(text)
    with monkeypatch.context() as patch:
        patch.setattr(front_matter, "FAST", False)
        slow = article_or_reason(text)
    return fast, slow


def document(fm: str, body: str = "Body text.") -> str:
    return f"---\n{fm}\n---\n{body}\n"


@pytest.mark.parametrize("fm", ORDINARY + RISKY)
def test_fast_path_reads_as_pyyaml(fm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both_ways(document(fm), monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("fm", ORDINARY + RISKY)
def test_crlf_and_control_characters_read_as_pyyaml(
    fm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\ufeff" + document(fm + "\ncategory: a\u0097b\x1b[31m").replace("\n", "\r\n")
    fast, slow = both_ways(text, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("path", sorted([*GOOD_ARTICLES.iterdir(), *BAD_ARTICLES.iterdir()]))
def test_fixture_files_read_as_pyyaml(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    fast, slow = both_ways(text, monkeypatch)
    assert fast == slow


@needs_yaml_rs
def test_risky_forms_go_to_pyyaml_and_ordinary_ones_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without this, the equality tests above could pass with the fast path never taken."""
    calls: list[str] = []
    real = yaml.load

    def spy(text: str, Loader: object) -> object:  # noqa: N803 - PyYAML's own name
        calls.append(text)
        return real(text, Loader=Loader)  # noqa: S506 - the safe Loader it was given

    monkeypatch.setattr(front_matter.yaml, "load", spy)
    monkeypatch.setattr(front_matter, "FAST", True)
    for fm in ORDINARY:
        article_or_reason(document(fm))
        assert not calls, f"went to PyYAML: {fm!r}"
    for fm in RISKY:
        article_or_reason(document(fm))
        assert calls, f"did not go to PyYAML: {fm!r}"
        calls.clear()


CHARS = list("abxyz 019:#-?,[]{}'\"\\&*|>%@`~=<._+/\n") + ["é", "😀", "  ", "yes", "012", "1e3"]
ATOMS = [*(fm.split(": ", 1)[-1] for fm in ORDINARY + RISKY), "12:30", "-.5", "_1", "0x1F"]


def random_document(rng: random.Random) -> str:
    """A front matter of random keys, scalars, quoted texts and nested blocks."""

    def scalar() -> str:
        pick = rng.random()
        text = "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 10)))
        if pick < 0.5:
            return rng.choice(ATOMS)
        if pick < 0.7:
            return '"' + text + '"'
        if pick < 0.85:
            return "'" + text + "'"
        return text

    def value(depth: int, indent: int) -> str:
        pick = rng.random()
        if depth > 2 or pick < 0.6:
            text = scalar().replace("\n", "\n" + " " * (indent + 2))
            return " " + text if text else ""
        if pick < 0.8:
            return "".join(
                "\n" + " " * indent + "-" + value(depth + 1, indent + 2)
                for _ in range(rng.randint(1, 3))
            )
        return "".join(
            "\n"
            + " " * (indent + 2)
            + rng.choice(["a", "b", "yes", "1", "'q'"])
            + ":"
            + value(depth + 1, indent + 2)
            for _ in range(rng.randint(1, 3))
        )

    keys = ["excerpt", "topics", "quality", "heat", "provider", "related", "a", "on", "012"]
    return "title: T\n" + "\n".join(k + ":" + value(0, 0) for k in rng.sample(keys, 4))


def same_data(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same_data, a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("seed", range(4))
def test_random_documents_load_as_pyyaml(seed: int) -> None:
    """Data, types and errors, key order included, for random documents."""
    rng = random.Random(seed)
    for _ in range(500):
        text = random_document(rng)
        results = []
        for fast in (True, False):
            try:
                results.append(front_matter.load(text, fast=fast))
            except Exception as exc:  # noqa: BLE001 - the error's kind is compared
                results.append(type(exc))
        assert same_data(*results), text


@pytest.mark.parametrize(
    "nested",
    ["a:\n" + "- " * 200_000 + "x", "a: " + "[" * 200_000, "a: " + "{b: " * 100_000 + "1"],
    ids=["dashes", "brackets", "braces"],
)
def test_deep_nesting_is_a_skip_not_a_crash(nested: str, tmp_path: Path) -> None:
    """libyaml and yaml_rs recurse per level and end the process past ~15,000 levels; in a child
    process, so that a crash fails this test instead of the whole run."""
    path = tmp_path / "deep.md"
    path.write_text(document("title: T\n" + nested), encoding="utf-8")
    code = (
        "import sys\nfrom pathlib import Path\nfrom reader.articles import load_article, "
        "ArticleError\ntry:\n    load_article(Path(sys.argv[1]))\nexcept ArticleError as e:\n"
        "    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "front matter is nested too deep"


def test_moderate_nesting_still_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    fm = "title: T\na:\n" + "- " * 400 + "x\nb: " + "[" * 400 + "]" * 400
    fast, slow = both_ways(document(fm), monkeypatch)
    assert fast == slow and isinstance(fast, Article)


def test_an_alias_bomb_is_never_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Aliases go to PyYAML, which shares one node instead of copying it 9**12 times."""
    fm = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for name in "bcdefghijklm":
        fm += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        previous = name
    started = time.monotonic()
    fast, slow = both_ways(document(fm + f"title: T\ntopics: *{previous}"), monkeypatch)
    as_title = article_or_reason(document(fm + f"title: *{previous}"))
    assert time.monotonic() - started < 10  # generous: it takes a few milliseconds
    assert fast == slow and isinstance(fast, Article) and fast.topics == ()
    assert as_title == "skip: no usable title"


def test_everything_works_without_yaml_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(front_matter, "yaml_rs", None)
    monkeypatch.setattr(front_matter, "FAST", True)
    article = parse_text(document("title: T\npublished: yes\nquality: 012\ntopics:\n  - AI"))
    assert article.is_published is True and article.quality == 10 and article.topics == ("AI",)
    assert article_or_reason(document("title: [")).startswith("skip: front matter is not valid")
