"""The cold index's parse is done sooner in places (the front matter's split, the signature):
each quicker form must give exactly what the plain one gives."""

from __future__ import annotations

import random

import frontmatter
import pytest

from reader import front_matter
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
