"""The index's parse takes shortcuts (``complete=False``, batched hashing, fast cleaning); each
file must still give exactly the row, or the skip, that the complete parse gives."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from conftest import BAD_ARTICLES, GOOD_ARTICLES

from reader import front_matter
from reader.articles import ArticleError, load_article
from reader.duplicates import MIN_SHINGLES, shingles
from reader.entry import TOPIC_SEP
from reader.filecheck import FileInfo
from reader.index_rows import ArticleRow, ParseJob, entry_row, parse_one
from reader.similarity import TEXT_KEYS, sameness_keys, stable_hash, url_key

SEED_SHAPE = """\
---
category: news
title: "Moscow’s leading facial recognition tech to be expanded to 10 other Russian cities"
excerpt: "Russia will introduce Moscow’s controversial facial recognition camera system to 10 \
other cities around the country. The installation cost in each municipality is estimated to \
be between 100-110 million rubles ($1."
publishedDateTime: 2020-09-26T15:48:00Z
originalUrl: "https://www.rt.com/russia/501796-facial-recognition-russian-cities/"
webUrl: "https://www.rt.com/russia/501796-facial-recognition-russian-cities/"
ampWebUrl: "https://www.rt.com/russia/501796-facial-recognition-russian-cities/amp/"
cdnAmpWebUrl: "https://www-rt-com.cdn.ampproject.org/c/s/www.rt.com/russia/501796-facial-\
recognition-russian-cities/amp/"
type: article
quality: 33
heat: -1
published: false

provider:
  name: RT
  domain: rt.com

topics:
  - Computer Vision
  - AI

related:
  - title: "This Russian Facial Recognition Startup Plans To Take Its ‘Aggression Detection’ \
Tech Global With $15 Million Backing From Sovereign Wealth Funds"
    excerpt: "Russian and Middle Eastern sovereign wealth funds are banking on the FindFace \
creator to take facial and emotion recognition to the masses."
    publishedDateTime: 2020-09-22T10:19:00Z
    webUrl: "https://www.forbes.com/sites/thomasbrewster/2020/09/22/this-russian-facial/"
    ampWebUrl: "https://www.forbes.com/sites/thomasbrewster/2020/09/22/this-russian-facial/amp/"
    type: article
    provider:
      name: Forbes
      domain: forbes.com
    quality: 52
    images:
      - url: "https://thumbor.forbes.com/thumbor/fit-in/1200x0/0x0.jpg"
        width: 1200
        height: 800
        isCached: true

secured: "j/xps584tX9KvwR5itfQwVSAh3HO6LNj9IXdIKe624bSPRK8OacluamaX17wIxToNW2EijGHSbdgoU7JQ2j1+\
IeGFXrqG3RT9bE1Gura5M+hrL9vH4TROG6fOkQJ21uNKSxA1IPGO8FjI6Mgfp7RQMw/l+JpcxV4R8s2eEtkyQo3==;TTQ=="
---
"""

ODD = {
    "seed.txt": SEED_SHAPE,
    "seed_crlf_bom.md": "\ufeff" + SEED_SHAPE.replace("\n", "\r\n"),
    "related_odd.md": """---
title: Related items of every odd kind
related:
  - just a string
  - title: 0x"""
    + "f" * 4000
    + """
  - title: "  spaced   out  "
    provider: a string provider
    images: not a list
    publishedDateTime: 2020-13-45
  - {title: flow item, quality: .nan, webUrl: "javascript:alert(1)"}
  - title: yes
enclosure: {url: "https://x.example/a.mp3", length: 12}
tags: [a, b, a]
images:
  - url: "https://x.example/i.png"
    width: 1e3
---
Body with \x1b[31mcolour\x1b[0m and a tab\there.
""",
    "odd_values.md": """---
title: 12345
excerpt: "caf\\u00e9 \\u202e reversed \\x85 next line, and  double  spaces"
publishedDateTime: 2020-01-01 10:00:00 +5
quality: "77.9"
heat: 012
type: ""
provider: {name: "  Name\\twith tab ", domain: 9to5mac.com}
topics: [yes, on, 2020-01-01, "#machine-tag", ~, [nested]]
originalUrl: "HTTPS://Example.COM:443/a/?utm_source=x&b=2#frag"
---
""",
    "duplicate_keys.md": "---\ntitle: first\ntitle: second\nquality: 5\nquality: 6\n---\nbody\n",
    "long_text.md": "---\ntitle: "
    + " ".join(f"Wörd{n} Ærø naïve" for n in range(40))
    + "\nexcerpt: "
    + " ".join(f"the {n} and 1{n}" for n in range(200))
    + "\n---\n"
    + "Body line.\n" * 500,
    "short_text.md": "---\ntitle: Two words\nwebUrl: https://x.example/\n---\n",
    "no_title.md": "---\ntitle: [a list]\n---\n",
    "bad_yaml.md": "---\ntitle: 'unclosed\n---\n",
    "tag.md": "---\ntitle: !!python/object:os.system x\n---\n",
    "not_front_matter.md": "title: none\n",
}


def rows_both_ways(root: Path, name: str) -> tuple[object, object]:
    """The index's row (or skip) for a file, and the row made from a complete parse."""
    path = root / name
    info = os.stat(path)
    got = parse_one(ParseJob(str(root), name, info.st_size, info.st_mtime_ns))
    try:
        article = load_article(path)
    except ArticleError as exc:
        return got, FileInfo(name, info.st_size, info.st_mtime_ns, str(exc))
    return got, entry_row(name, info.st_size, info.st_mtime_ns, article)


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_files_give_the_row_of_a_complete_parse(name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(ODD[name].encode("utf-8", errors="surrogateescape"))
    got, expected = rows_both_ways(tmp_path, name)
    assert got == expected


@pytest.mark.parametrize("fast", [True, False], ids=["yaml_rs", "pyyaml"])
def test_fixture_files_give_the_row_of_a_complete_parse(
    fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(front_matter, "FAST", fast)
    for root in (GOOD_ARTICLES, BAD_ARTICLES):
        for path in sorted(root.iterdir()):
            got, expected = rows_both_ways(root, path.name)
            assert got == expected, path.name


def test_the_seed_shape_gives_its_row(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED_SHAPE, encoding="utf-8")
    row, _ = rows_both_ways(tmp_path, "seed.txt")
    assert isinstance(row, ArticleRow)
    assert row.title.startswith("Moscow’s leading") and row.quality == 33 and row.heat is None
    assert (row.provider, row.domain) == ("RT", "rt.com")
    assert row.topics == TOPIC_SEP.join(["Computer Vision", "AI"])
    assert row.url == "https://www.rt.com/russia/501796-facial-recognition-russian-cities/"
    assert row.published == 1601135280.0


def reference_sameness_keys(url: str | None, title: str, excerpt: str) -> tuple[int, ...]:
    """The keys as first written: one stable_hash per shingle, all sorted."""
    keys = []
    if (key := url_key(url)) is not None:
        keys.append(key)
    found = shingles(f"{title}\n{excerpt}")
    if len(found) >= MIN_SHINGLES:
        hashes = sorted(stable_hash("text " + " ".join(shingle)) & ~1 for shingle in found)
        keys += hashes[:TEXT_KEYS]
    return tuple(dict.fromkeys(keys))


def test_batched_hashing_gives_the_same_keys() -> None:
    rng = random.Random(7)
    vocabulary = ["alpha", "beta", "gamma", "delta", "Ærø", "naïve", "1", "2", "x", "日本"]
    for _ in range(300):
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 15)))
        excerpt = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 40)))
        url = rng.choice([None, "", "https://x.example/a?utm_source=y", "http://www.x.example/"])
        assert sameness_keys(url, title, excerpt) == reference_sameness_keys(url, title, excerpt)
