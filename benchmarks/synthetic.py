"""The synthetic cache the benchmarks run on: N seed-format articles in 100 folders.

Made once per size in a work folder and kept between runs (a marker file says
it is complete); the same seed gives the same articles on every machine.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
from pathlib import Path

TOPICS = [
    "AI",
    "Computer Vision",
    "Machine Learning",
    "Robotics",
    "Climate",
    "Energy",
    "Space",
    "Health",
    "Markets",
    "Security",
    "Open Source",
    "Transport",
    "Science",
    "Policy",
    "Education",
    "Agriculture",
    "Semiconductors",
    "Cloud",
    "Mobile",
    "Gaming",
    "Biotech",
    "Startups",
    "Privacy",
    "Quantum",
]
PROVIDERS = [(f"Outlet {i}", f"outlet{i}.example") for i in range(300)]
SYLLABLES = (
    "ba be bi bo ca co da de di do fa fe ga go ha he ka ki la le li lo ma me mi mo na ne no"
    " pa pe po ra re ri ro sa se si so ta te ti to va ve vi za"
).split()


def _vocabulary(size: int = 6000) -> tuple[list[str], list[float]]:
    """Made-up words with Zipf-like frequencies, like the words of real news text."""
    rng = random.Random(7)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words, list(itertools.accumulate(1 / (rank + 1) for rank in range(size)))


WORDS, CUM_WEIGHTS = _vocabulary()
SEARCH_WORD = WORDS[40]
"""A fairly common word, typed letter by letter for the search figure."""
# --- the synthetic cache ------------------------------------------------------------------


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=CUM_WEIGHTS, k=n)).capitalize()


def _article(rng: random.Random, i: int, start: dt.datetime) -> str:
    title = f"{_sentence(rng, rng.randint(5, 12))} {i}"
    name, domain = rng.choice(PROVIDERS)
    when = start + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 3))
    url = f"https://{domain}/news/{i}-{rng.randint(1000, 9999)}"
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    lines = [
        "---",
        "category: news",
        f'title: "{title}"',
        f'excerpt: "{_sentence(rng, rng.randint(25, 50))}."',
        f"publishedDateTime: {when:%Y-%m-%dT%H:%M:%SZ}",
        f'originalUrl: "{url}"',
        f'webUrl: "{url}"',
        f'ampWebUrl: "{url}/amp/"',
        "type: article",
    ]
    if rng.random() > 0.05:
        lines.append(f"quality: {rng.randint(1, 180)}")
    lines += [
        f"heat: {rng.choice([-1, rng.randint(0, 200)])}",
        "published: false",
        "",
        "provider:",
        f"  name: {name}",
        f"  domain: {domain}",
        "",
        "topics:",
    ]
    lines += [f"  - {t}" for t in topics]
    lines += ["", "related:"]
    for _ in range(rng.randint(0, 5)):
        rname, rdomain = rng.choice(PROVIDERS)
        rwhen = when - dt.timedelta(hours=rng.randint(1, 200))
        lines += [
            f'  - title: "{_sentence(rng, rng.randint(5, 12))}"',
            f'    excerpt: "{_sentence(rng, 20)}."',
            f"    publishedDateTime: {rwhen:%Y-%m-%dT%H:%M:%SZ}",
            f'    webUrl: "https://{rdomain}/story/{rng.randint(1, 10**9)}"',
            "    type: article",
            "    provider:",
            f"      name: {rname}",
            f"      domain: {rdomain}",
            f"    quality: {rng.randint(1, 150)}",
        ]
    lines += ["", 'secured: "' + "x" * 200 + '"', "---", ""]
    return "\n".join(lines)


def make_cache(root: Path, count: int) -> Path:
    """Write ``count`` articles in 100 folders below ``root`` (kept between runs)."""
    marker = root / f".complete-v2-{count}"
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(20261126)
    start = dt.datetime(2023, 1, 1)
    for i in range(count):
        folder = root / f"batch{i % 100:03d}"
        if i < 100:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"article-{i:06d}.md").write_text(_article(rng, i, start), encoding="utf-8")
    marker.touch()
    return root
