"""Score related-article methods against the ``related`` lists a collection's own files carry.

Usage:  python benchmarks/related.py DIR [--k 10] [--methods a,b] [--check-hidden]

Smartable's files list related articles, and many of those are other files of
the same folder: a real ground truth. Each method ranks every other article
of DIR by similarity, with the files' own ``related`` lists hidden from it;
the score is the recall of each file's in-folder related items among its top
``k`` (together with the article's duplicates, when a method finds those:
many related items are the same story from another provider). Reported per
link (all links pooled) and per article (the mean of each article's recall).

Methods: ``tfidf`` (plain TF-IDF cosine over title and excerpt, the
baseline the issue names), ``tfidf-all`` (title, excerpt and body),
``tfidf+duplicates`` (the baseline's top ``k`` together with the article's
duplicates from :mod:`reader.duplicates`), ``jaccard`` (the word sets' Jaccard
similarity, which MinHash/LSH estimate: computed exactly, it bounds what they
find), ``bm25`` (FTS5's bm25 over the index's search table, any of the
article's title and excerpt words), and ``index`` / ``index+duplicates``: the
program's own ``Index.related`` over a real index of a copy of DIR (with
the duplicate group of ``Entry.group``), so the figure is the production
code's. ``--check-hidden`` proves that index never sees the ``related`` lists;
``--set NAME=VALUE`` tries another value of a constant of
:mod:`reader.similar_store` or :mod:`reader.similarity`, and ``--half 0|1``
scores the even or odd articles only (tune on one, check on the other).
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.articles import ArticleError, parse_text  # noqa: E402
from reader.duplicates import Story, duplicate_groups, normal_url  # noqa: E402
from reader.similarity import key_terms  # noqa: E402

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
    name: str = ""
    """The file's name in the folder (how the index's rows are matched to it)."""


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
                path.name,
            )
        )
    return docs


def tokens(text: str) -> list[str]:
    return [w for w in WORD.findall(text.casefold()) if len(w) > 1 and w not in STOP]


Ranked = Callable[[int], list[int]]
"""For document ``i``, the other documents best first."""


def tfidf_ranking(texts: list[str]) -> Ranked:
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
    half: int | None = None,
) -> tuple[float, float, int]:
    """(recall over all links, mean recall over articles with links, number of links), counting
    the top ``k`` together with each article's ``duplicates``; only the articles at even (0) or
    odd (1) positions when ``half`` is given, to tune on one half and check on the other."""
    at = {doc.url: i for i, doc in enumerate(docs)}
    found = total = 0
    per_article = []
    for i, doc in enumerate(docs):
        if half is not None and i % 2 != half:
            continue
        wanted = {at[url] for url in doc.related if url in at and at[url] != i}
        if not wanted:
            continue
        top = set(ranked(i)[:k]) | (duplicates or {}).get(i, set())
        hits = len(wanted & top)
        found += hits
        total += len(wanted)
        per_article.append(hits / len(wanted))
    return found / max(total, 1), statistics.fmean(per_article or [0.0]), total


def without_related(text: str) -> str:
    """The file with its front matter's top-level ``related:`` block taken out."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if skipping:
            ends = line.rstrip() == "---" or (line.strip() and line[0] not in " \t-")
            if not ends:
                continue
            skipping = False
        if line.startswith("related:"):
            skipping = True
            continue
        kept.append(line)
    return "".join(kept)


class Built:
    """A real reader index (in memory) of a temporary copy of the folder, as the app builds it.

    The index keeps no ``related`` list (its tables hold title, excerpt,
    provider, body, topics and the similarity data): ``strip=True`` proves
    it by indexing copies with the lists taken out, which must rank the same.
    """

    def __init__(self, docs: list[Doc], folder: Path, strip: bool = False) -> None:
        from reader.index import Index

        self._tmp = tempfile.TemporaryDirectory(prefix="related-bench-")
        root = Path(self._tmp.name)
        for path in sorted(folder.glob("*.md")):
            if strip:
                with path.open(encoding="utf-8", newline="") as file:
                    text = without_related(file.read())
                with (root / path.name).open("w", encoding="utf-8", newline="") as file:
                    file.write(text)
            else:
                shutil.copyfile(path, root / path.name)
        self.docs = docs
        self.index = Index(root, None)
        self.index.scan(workers=1)
        ids = dict(self.index.conn.execute("SELECT path, id FROM articles").fetchall())
        self.ids = [ids.get(doc.name) for doc in docs]
        self.at = {at: i for i, at in enumerate(self.ids) if at is not None}

    def docs_of(self, ids: Iterable[int]) -> list[int]:
        """Doc positions of index ids (an article without a URL, not among the docs, is -1)."""
        return [self.at.get(at, -1) for at in ids]

    def related(self, i: int, k: int) -> list[int]:
        at = self.ids[i]
        return [] if at is None else self.docs_of(at for at, _ in self.index.related(at, k))

    def duplicates(self) -> dict[int, set[int]]:
        """Each doc's duplicates by the index's groups (``Entry.group``)."""
        members: dict[int, set[int]] = defaultdict(set)
        for entry in self.index.entries():
            if entry.group is not None and entry.id in self.at:
                members[entry.group].add(self.at[entry.id])
        return {i: group - {i} for group in members.values() for i in group}

    def bm25(self, i: int, k: int) -> list[int]:
        """FTS5 bm25 over the search table (title, excerpt, provider, body) with the article's
        title and excerpt words, any of them."""
        at, doc = self.ids[i], self.docs[i]
        if at is None:
            return []
        expression = " OR ".join(f'"{t}"' for t in key_terms(doc.title, doc.excerpt))
        if not expression:
            return []
        rows = self.index.conn.execute(
            "SELECT rowid FROM search WHERE search MATCH ? AND rowid != ? ORDER BY bm25(search)"
            " LIMIT ?",
            (expression, at, k),
        ).fetchall()
        return self.docs_of(row[0] for row in rows)

    def close(self) -> None:
        self.index.close()
        self._tmp.cleanup()


def jaccard_ranking(docs: list[Doc]) -> Ranked:
    """Others by the Jaccard similarity of their title and excerpt word sets: what MinHash/LSH
    estimate, computed exactly here (so an upper bound of what they can find)."""
    sets = [set(key_terms(d.title, d.excerpt)) for d in docs]
    holders: dict[str, list[int]] = defaultdict(list)
    for i, words_of in enumerate(sets):
        for word in words_of:
            holders[word].append(i)

    def ranked(i: int) -> list[int]:
        shared: Counter[int] = Counter(j for w in sets[i] for j in holders[w] if j != i)
        scores = {j: n / len(sets[i] | sets[j]) for j, n in shared.items()}
        return sorted(scores, key=lambda j: (-scores[j], j))

    return ranked


@dataclass
class Run:
    """What the methods rank: the docs, their folder, and the index when one is built."""

    docs: list[Doc]
    folder: Path
    k: int
    built: Built | None = None

    def index(self) -> Built:
        if self.built is None:
            self.built = Built(self.docs, self.folder)
        return self.built


def _index_method(run: Run) -> Ranked:
    built = run.index()
    return lambda i: built.related(i, run.k)


def _bm25_method(run: Run) -> Ranked:
    built = run.index()
    return lambda i: built.bm25(i, run.k)


METHODS: dict[str, tuple[Callable[[Run], Ranked], Callable[[Run], dict[int, set[int]]] | None]] = {
    "tfidf": (lambda run: tfidf_ranking([f"{d.title}\n{d.excerpt}" for d in run.docs]), None),
    "tfidf-all": (
        lambda run: tfidf_ranking([f"{d.title}\n{d.excerpt}\n{d.body}" for d in run.docs]),
        None,
    ),
    "tfidf+duplicates": (
        lambda run: tfidf_ranking([f"{d.title}\n{d.excerpt}" for d in run.docs]),
        lambda run: duplicates_of(run.docs),
    ),
    "jaccard": (lambda run: jaccard_ranking(run.docs), None),
    "bm25": (_bm25_method, None),
    "index": (_index_method, None),
    "index+duplicates": (_index_method, lambda run: run.index().duplicates()),
}


def set_constants(assignments: list[str]) -> None:
    """``NAME=VALUE`` overrides of the constants of reader.similar_store / reader.similarity (to
    measure a change before making it)."""
    from reader import similar_store, similarity

    for assignment in assignments:
        name, _, value = assignment.partition("=")
        module = similar_store if hasattr(similar_store, name) else similarity
        if not hasattr(module, name):
            raise SystemExit(f"no constant {name}")
        setattr(module, name, type(getattr(module, name))(value))


def check_hidden(docs: list[Doc], folder: Path, k: int) -> bool:
    """Whether the index ranks the same with every file's ``related`` list taken out."""
    plain, stripped = Built(docs, folder), Built(docs, folder, strip=True)
    try:
        return all(plain.related(i, k) == stripped.related(i, k) for i in range(len(docs)))
    finally:
        plain.close()
        stripped.close()


def ceiling(docs: list[Doc], k: int) -> float:
    """The pooled recall of a method that ranks every wanted item first: an article with more
    than ``k`` in-folder links cannot have them all found."""
    at = {doc.url: i for i, doc in enumerate(docs)}
    sizes = [len({at[u] for u in d.related if u in at} - {i}) for i, d in enumerate(docs)]
    return sum(min(k, n) for n in sizes) / max(sum(sizes), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a collection whose files carry related lists")
    parser.add_argument("--k", type=int, default=10, help="how many computed items count")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a constant"
    )
    parser.add_argument("--half", type=int, choices=(0, 1), help="score even or odd articles only")
    parser.add_argument(
        "--check-hidden", action="store_true", help="prove the index never reads related lists"
    )
    args = parser.parse_args()
    set_constants(args.set)
    docs = load(args.folder)
    print(f"{len(docs)} articles with a URL in {args.folder.name}")
    if args.check_hidden:
        same = check_hidden(docs, args.folder, args.k)
        print("related lists hidden: " + ("yes, same rankings without them" if same else "NO"))
    print(f"| method | recall@{args.k} (links) | recall@{args.k} (articles) | links | time |")
    print("|---|---|---|---|---|")
    run = Run(docs, args.folder, args.k)
    for name in args.methods.split(","):
        method, duplicates_for = METHODS[name]
        started = time.perf_counter()
        ranked = method(run)
        duplicates = duplicates_for(run) if duplicates_for else None
        links_recall, article_recall, links = score(docs, ranked, args.k, duplicates, args.half)
        took = time.perf_counter() - started
        print(f"| {name} | {links_recall:.3f} | {article_recall:.3f} | {links} | {took:.2f} s |")
    best = ceiling(docs, args.k)
    print(f"best possible recall@{args.k} (links): {best:.3f} (k per article at most)")
    groups = duplicate_groups([Story(d.url, f"{d.title}\n{d.excerpt}", d.provider) for d in docs])
    print(f"duplicate groups: {len(groups)}, {sum(len(g) for g in groups)} articles")
    if run.built is not None:
        found = run.built.duplicates()
        print(f"index duplicate groups: {len(found)} articles in a group")
        run.built.close()


if __name__ == "__main__":
    main()
