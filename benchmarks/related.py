"""Score related-article methods against the ``related`` lists a collection's own files carry.

Usage:  python benchmarks/related.py DIR [--k 10]

Smartable's files list related articles, and many of those are other files of
the same folder: a real ground truth. Each method ranks every other article
of DIR by similarity, with the files' own ``related`` lists hidden from it;
the score is the recall of each file's in-folder related items among its top
``k`` (together with the article's duplicates, when a method finds those:
many related items are the same story from another provider). Reported per
link (all links pooled) and per article (the mean of each article's recall).

Methods so far: ``tfidf`` (plain TF-IDF cosine over title and excerpt, the
baseline the issue names), ``tfidf-all`` (title, excerpt and body), and
``tfidf+duplicates`` (the baseline's top ``k`` together with the article's
duplicates from :mod:`reader.duplicates`).
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.articles import ArticleError, parse_text  # noqa: E402
from reader.duplicates import Story, duplicate_groups, normal_url  # noqa: E402

WORD = re.compile(r"\w+")
STOP = frozenset(
    "a an and are as at be but by for from has have in is it its of on or that the this to was"
    " were will with we you your they their our not can more than new how what why who which"
    " s 2019 2020".split()
)


@dataclass(frozen=True)
class Doc:
    """One file: its URL, its text fields and the URLs its own ``related`` list names."""

    url: str
    title: str
    excerpt: str
    body: str
    related: frozenset[str]
    provider: str = ""


def load(folder: Path) -> list[Doc]:
    """Every article file of ``folder`` that has a URL (the others cannot be matched)."""
    docs = []
    for path in sorted(folder.glob("*.md")):
        try:
            article = parse_text(path.read_text(encoding="utf-8"), path)
        except (ArticleError, UnicodeDecodeError, OSError):
            continue
        if not article.url:
            continue
        related = frozenset(normal_url(item.url) for item in article.related if item.url)
        docs.append(
            Doc(
                normal_url(article.url),
                article.title,
                article.excerpt,
                article.body,
                related,
                article.provider.name or article.provider.domain,
            )
        )
    return docs


def tokens(text: str) -> list[str]:
    return [w for w in WORD.findall(text.casefold()) if len(w) > 1 and w not in STOP]


def tfidf_ranking(texts: list[str]) -> Callable[[int], list[int]]:
    """A function giving, for document ``i``, the others best first by TF-IDF cosine."""
    counts = [Counter(tokens(text)) for text in texts]
    df = Counter(term for c in counts for term in c)
    n = len(texts)
    vectors = []
    for c in counts:
        weights = {
            t: (1 + math.log(f)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, f in c.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings[term].append((i, weight))

    def ranked(i: int) -> list[int]:
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vectors[i].items():
            for j, other in postings[term]:
                if j != i:
                    scores[j] += weight * other
        return sorted(scores, key=lambda j: (-scores[j], j))

    return ranked


METHODS: dict[str, Callable[[list[Doc]], Callable[[int], list[int]]]] = {
    "tfidf": lambda docs: tfidf_ranking([f"{d.title}\n{d.excerpt}" for d in docs]),
    "tfidf-all": lambda docs: tfidf_ranking([f"{d.title}\n{d.excerpt}\n{d.body}" for d in docs]),
}


def duplicates_of(docs: list[Doc]) -> dict[int, set[int]]:
    """Each article's duplicates (the other members of its group)."""
    stories = [Story(d.url, f"{d.title}\n{d.excerpt}\n{d.body}", d.provider) for d in docs]
    found: dict[int, set[int]] = {}
    for group in duplicate_groups(stories):
        for at in group:
            found[at] = set(group) - {at}
    return found


def score(
    docs: list[Doc],
    ranked: Callable[[int], list[int]],
    k: int,
    duplicates: dict[int, set[int]] | None = None,
) -> tuple[float, float, int]:
    """(recall over all links, mean recall over articles with links, number of links), counting
    the top ``k`` together with each article's ``duplicates``."""
    at = {doc.url: i for i, doc in enumerate(docs)}
    found = total = 0
    per_article = []
    for i, doc in enumerate(docs):
        wanted = {at[url] for url in doc.related if url in at and at[url] != i}
        if not wanted:
            continue
        top = set(ranked(i)[:k]) | (duplicates or {}).get(i, set())
        hits = len(wanted & top)
        found += hits
        total += len(wanted)
        per_article.append(hits / len(wanted))
    return found / max(total, 1), statistics.fmean(per_article or [0.0]), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a collection whose files carry related lists")
    parser.add_argument("--k", type=int, default=10, help="how many computed items count")
    args = parser.parse_args()
    docs = load(args.folder)
    print(f"{len(docs)} articles with a URL in {args.folder.name}")
    print(f"| method | recall@{args.k} (links) | recall@{args.k} (articles) | links | time |")
    print("|---|---|---|---|---|")
    runs = [(name, method, False) for name, method in METHODS.items()]
    runs.append(("tfidf+duplicates", METHODS["tfidf"], True))
    for name, method, with_duplicates in runs:
        started = time.perf_counter()
        ranked = method(docs)
        duplicates = duplicates_of(docs) if with_duplicates else None
        links_recall, article_recall, links = score(docs, ranked, args.k, duplicates)
        took = time.perf_counter() - started
        print(f"| {name} | {links_recall:.3f} | {article_recall:.3f} | {links} | {took:.2f} s |")
    groups = duplicate_groups([Story(d.url, f"{d.title}\n{d.excerpt}", d.provider) for d in docs])
    print(f"duplicate groups: {len(groups)}, {sum(len(g) for g in groups)} articles")


if __name__ == "__main__":
    main()
