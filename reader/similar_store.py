"""The index's similarity tables: related articles and duplicate groups, kept up to date per file.

Three small structures beside the articles, all written in the same
transaction as the article rows they describe (so a crash leaves them
agreeing with the articles), and none of them holding text:

- ``similar``: a full-text index of titles and excerpts only (an external
  content table over ``articles``), where the search table's bodies would
  make every word's list long. Related candidates come from it.
- ``term_counts``: in how many articles each word appears, so a lookup knows
  which words are rare enough to say what an article is about.
- ``same_keys``: each article's :func:`reader.similarity.sameness_keys`;
  articles sharing a key are checked with :func:`reader.similarity.same_story` (each article
  reduced once to its :func:`reader.similarity.sameness`, however many pairs it is in)
  and the groups found are written to ``articles.dup_group`` (the group's
  smallest id; NULL for an article alone).

Adding or changing 100 files updates these for those files and the groups
they touch only. No Textual.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain
from math import log

from reader.duplicates import UnionFind
from reader.index_db import article_count
from reader.similarity import (
    TITLE_WEIGHT,
    Copy,
    Signature,
    is_url_key,
    key_terms,
    same,
    sameness,
    signature,
    term_weights,
    url_key,
)

KEY_INDEX = "CREATE INDEX IF NOT EXISTS same_keys_by_key ON same_keys (key)"
TABLES = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS similar USING fts5(
    title, excerpt,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    detail = column
);
CREATE TABLE IF NOT EXISTS term_counts (
    term TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS same_keys (
    id INTEGER NOT NULL,
    key INTEGER NOT NULL,
    PRIMARY KEY (id, key)
) WITHOUT ROWID;
{KEY_INDEX};
-- The keys of articles a long build stored without grouping them, see add(pending=True) and
-- reader.pending_groups: kept here until the build ends, then moved and grouped in one pass.
CREATE TABLE IF NOT EXISTS same_keys_pending (
    id INTEGER NOT NULL,
    key INTEGER NOT NULL,
    PRIMARY KEY (id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS articles_by_group ON articles (dup_group) WHERE dup_group IS NOT NULL;
"""
PROBES = [
    "SELECT rowid FROM similar LIMIT 0",
    "SELECT term, articles FROM term_counts LIMIT 0",
    "SELECT id, key FROM same_keys LIMIT 0",
]
PENDING_TABLE = "same_keys_pending"
COMMON_KEY = 50
"""A sameness key more articles than this share is boilerplate: it proposes no pair."""
SEED_TERMS = 16
"""How many of an article's rarest weighty words look for candidates."""
CANDIDATES = 50
"""How many candidates the seed words propose; these are scored in full. On smartable-ai-2020
30 to 100 find the same (benchmarks/related.py), and each costs 0.1-0.2 ms of Python."""
COMMON_SHARE = 0.02
"""A word in more than this share of articles (and more than 50) proposes no candidate (its
list is long and says little); it still counts in the score."""
TIME_SCALE_DAYS = 20.0
TIME_SHARE = 0.3
"""Articles far apart in time keep 1 - TIME_SHARE of their score; close ones all of it."""
TOPIC_BONUS = 0.05
CHUNK = 500


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(items: Sequence) -> str:
    return ",".join("?" * len(items))


# --- keeping the tables --------------------------------------------------------


def forget(conn: sqlite3.Connection, ids: Sequence[int]) -> set[int]:
    """Take articles ``ids`` (still in ``articles``) out of the tables; their old groups."""
    groups: set[int] = set()
    lost: Counter[str] = Counter()
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            f"SELECT id, title, excerpt, dup_group FROM articles WHERE id IN ({_marks(chunk)})",
            chunk,
        ).fetchall()
        conn.executemany(
            "INSERT INTO similar (similar, rowid, title, excerpt) VALUES ('delete', ?, ?, ?)",
            (row[:3] for row in rows),
        )
        for table in ("same_keys", PENDING_TABLE):
            conn.executemany(f"DELETE FROM {table} WHERE id = ?", ((row[0],) for row in rows))
        for _id, title, excerpt, group in rows:
            lost.update(key_terms(title, excerpt))
            if group is not None:
                groups.add(group)
    conn.executemany(
        "UPDATE term_counts SET articles = articles - ? WHERE term = ?",
        ((count, term) for term, count in lost.items()),
    )
    conn.execute("DELETE FROM term_counts WHERE articles <= 0")
    return groups


def add(
    conn: sqlite3.Connection,
    signatures: dict[int, Signature],
    texts: dict[int, tuple[str, str]] | None = None,
    pending: bool = False,
) -> None:
    """Put articles (already in ``articles``) into the tables, with their signatures.

    ``texts``: their titles and excerpts as stored, when the caller has them (a scan
    does): not read back. With ``pending`` their sameness keys wait in ``same_keys_pending``
    for :func:`reader.pending_groups.group_pending`, and the caller does not regroup: a build
    of many files groups them all at its end.
    """
    ids = sorted(signatures)  # in rowid order: FTS5 writes its pending terms out otherwise
    if texts is None:
        texts = {}
        for chunk in _chunks(ids):
            for at, title, excerpt in conn.execute(
                f"SELECT id, title, excerpt FROM articles WHERE id IN ({_marks(chunk)})", chunk
            ):
                texts[at] = (title, excerpt)
    conn.executemany(
        "INSERT INTO similar (rowid, title, excerpt) VALUES (?, ?, ?)",
        [(at, *texts[at]) for at in ids if at in texts],
    )
    gained = Counter(chain.from_iterable(sig.terms for sig in signatures.values()))  # in C
    conn.executemany(
        "INSERT INTO term_counts (term, articles) VALUES (?, ?)"
        " ON CONFLICT (term) DO UPDATE SET articles = articles + excluded.articles",
        gained.items(),
    )
    conn.executemany(
        f"INSERT OR IGNORE INTO {PENDING_TABLE if pending else 'same_keys'} (id, key)"
        " VALUES (?, ?)",
        ((at, key) for at in ids for key in signatures[at].keys),
    )


def signatures_of(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Signature]:
    """Signatures computed from the stored rows (for rows stored without one)."""
    found = {}
    for chunk in _chunks(list(ids)):
        for at, url, title, excerpt in conn.execute(
            f"SELECT id, url, title, excerpt FROM articles WHERE id IN ({_marks(chunk)})", chunk
        ):
            found[at] = signature(url, title, excerpt)
    return found


def copies_of(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Copy]:
    found = {}
    for chunk in _chunks(list(ids)):
        for row in conn.execute(
            "SELECT id, url, title, excerpt, CASE WHEN provider != '' THEN provider ELSE domain"
            f" END FROM articles WHERE id IN ({_marks(chunk)})",
            chunk,
        ):
            found[row[0]] = Copy._make(row)
    return found


def _candidate_pairs(conn: sqlite3.Connection, ids: Sequence[int]) -> set[tuple[int, int]]:
    """Pairs (smaller id first), one side in ``ids``, that share their address's key or two
    text keys, none of them boilerplate (held by more than :data:`COMMON_KEY` articles).

    One text key in common is what unrelated texts sharing a stock phrase have;
    two, what copies have (a pair of texts with 80% of their shingles in common
    shares two of :data:`reader.similarity.TEXT_KEYS` with a chance of 97%).
    """
    keys: set[int] = set()
    for chunk in _chunks(list(ids)):
        keys.update(
            row[0]
            for row in conn.execute(
                f"SELECT key FROM same_keys WHERE id IN ({_marks(chunk)})", chunk
            )
        )
    holders: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(list(keys)):
        for key, at in conn.execute(
            "SELECT key, id FROM same_keys WHERE key IN (SELECT key FROM same_keys"
            f" WHERE key IN ({_marks(chunk)}) GROUP BY key HAVING count(*) BETWEEN 2 AND ?)",
            [*chunk, COMMON_KEY],
        ):
            holders[key].append(at)
    wanted = set(ids)
    shared: Counter[tuple[int, int]] = Counter()
    for key, members in holders.items():
        weight = 2 if is_url_key(key) else 1
        for a in members:
            if a in wanted:
                for b in members:
                    if b != a and (b not in wanted or a < b):
                        shared[(a, b) if a < b else (b, a)] += weight
    return {pair for pair, count in shared.items() if count >= 2}


def regroup(
    conn: sqlite3.Connection, ids: Iterable[int], stale_groups: Iterable[int] = ()
) -> set[int]:
    """Recompute the duplicate groups that articles ``ids`` (new or changed) and the groups
    they left (``stale_groups``) belong to; every other group stays as it is.

    Returns the ids whose group changed, so a loaded list can re-read them too.
    """
    touched = set(ids)
    stale = list(set(stale_groups))
    for chunk in _chunks(stale):
        touched.update(
            row[0]
            for row in conn.execute(
                f"SELECT id FROM articles WHERE dup_group IN ({_marks(chunk)})", chunk
            )
        )
    if not touched:
        return set()
    pairs = _candidate_pairs(conn, sorted(touched))
    facts = {
        at: sameness(copy) for at, copy in copies_of(conn, {a for p in pairs for a in p}).items()
    }
    found = UnionFind()
    root, join, parent = found.root, found.join, found.parent
    for at in touched:
        root(at)
    for a, b in sorted(pairs):
        if a in facts and b in facts and same(facts[a], facts[b]):
            join(a, b)
    # An untouched article joined here brings its whole existing group along.
    outside = [at for at in parent if at not in touched]
    old_groups: dict[int, int] = {}
    for chunk in _chunks(outside):
        for at, group in conn.execute(
            f"SELECT id, dup_group FROM articles WHERE id IN ({_marks(chunk)})", chunk
        ):
            if group is not None:
                old_groups[at] = group
    groups = sorted(set(old_groups.values()))
    for chunk in _chunks(groups):
        for at, group in conn.execute(
            f"SELECT id, dup_group FROM articles WHERE dup_group IN ({_marks(chunk)})", chunk
        ):
            join(at, group)
    return write_groups(conn, group_of(found))


def group_of(found: UnionFind) -> dict[int, int | None]:
    """Each article ``found`` holds, with its group (None for one alone)."""
    root = found.root
    sizes = Counter(root(at) for at in list(found.parent))
    return {at: (root(at) if sizes[root(at)] > 1 else None) for at in list(found.parent)}


def write_groups(conn: sqlite3.Connection, wanted: dict[int, int | None]) -> set[int]:
    """Give each article in ``wanted`` its group: the ids whose group changed."""
    before: dict[int, int | None] = {}
    for chunk in _chunks(list(wanted)):
        before.update(
            conn.execute(
                f"SELECT id, dup_group FROM articles WHERE id IN ({_marks(chunk)})", chunk
            ).fetchall()
        )
    changed = {at for at, group in wanted.items() if at in before and before[at] != group}
    conn.executemany(
        "UPDATE articles SET dup_group = ? WHERE id = ?", ((wanted[at], at) for at in changed)
    )
    return changed


# --- reading -------------------------------------------------------------------


def _log_weight(weight: float) -> float:
    return 1.0 + math.log(weight) if weight > 0 else 0.0


def _candidates(
    conn: sqlite3.Connection, seeds: Sequence[str], query: dict[str, float], article_id: int
) -> list[int]:
    """The articles sharing the most (and weightiest) of the ``seeds``, best first.

    Each word's list of articles (in titles, which weigh more, and anywhere) is
    read and the shares added up in one statement that SQLite runs on its own,
    without the interpreter lock the UI needs: FTS5's own ranking would score
    every match with bm25 before sorting (7,000 matches, 100-200 ms at 100,000
    articles), and adding up in Python held the lock for most of the look-up.
    """
    parts: list[str] = []
    params: list[object] = []
    for term in seeds:
        for column, factor in (("", 1.0), ("title : ", TITLE_WEIGHT - 1.0)):
            parts.append("SELECT rowid AS id, ? AS share FROM similar WHERE similar MATCH ?")
            params += [query[term] * factor, f'{column}"{term}"']
    statement = (
        f"SELECT id FROM ({' UNION ALL '.join(parts)}) WHERE id != ?"
        " GROUP BY id ORDER BY sum(share) DESC, id LIMIT ?"
    )
    return [row[0] for row in conn.execute(statement, [*params, article_id, CANDIDATES])]


def related(
    conn: sqlite3.Connection, article_id: int, limit: int = 10, total: int | None = None
) -> list[tuple[int, float]]:
    """The articles most like ``article_id``, best first, as (id, score); never the article
    itself nor its duplicates. ``total`` is the number of articles, when the caller knows it."""
    row = conn.execute(
        "SELECT a.title, a.excerpt, a.published, a.topics, a.dup_group, substr(s.body, 1, 4000)"
        " FROM articles a LEFT JOIN search s ON s.rowid = a.id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return []
    title, excerpt, published, topics, group, body = row
    weights = term_weights(title, excerpt, body or "")
    if not weights:
        return []
    n = total if total is not None else article_count(conn)
    counts: dict[str, int] = {}
    terms = list(weights)
    for chunk in _chunks(terms):
        counts.update(
            conn.execute(
                f"SELECT term, articles FROM term_counts WHERE term IN ({_marks(chunk)})", chunk
            ).fetchall()
        )
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in counts.items()}
    query = {t: _log_weight(weights[t]) * idf[t] for t in idf}
    if not query:
        return []
    cap = max(COMMON_SHARE * n, 50)
    seeds = sorted((t for t in query if counts[t] <= cap), key=lambda t: (-query[t], t))
    if not seeds:
        seeds = sorted(query, key=lambda t: (counts[t], t))[:4]
    candidates = _candidates(conn, seeds[:SEED_TERMS], query, article_id)
    if not candidates:
        return []
    query_norm = math.sqrt(sum(v * v for v in query.values()))
    own_topics = set(topics.split("\x1f")) if topics else set()
    scored = []
    for at, c_title, c_excerpt, c_published, c_topics, c_group in conn.execute(
        "SELECT id, title, excerpt, published, topics, dup_group FROM articles"
        f" WHERE id IN ({_marks(candidates)})",
        candidates,
    ):
        if group is not None and c_group == group:
            continue
        other = {t: 1.0 + log(v) for t, v in term_weights(c_title, c_excerpt).items()}
        norm = math.sqrt(sum(v * v for v in other.values())) or 1.0
        dot = sum(v * query[t] * idf[t] for t, v in other.items() if t in query)
        score = dot / (query_norm * norm)
        their_topics = set(c_topics.split("\x1f")) if c_topics else set()
        if own_topics and their_topics:
            score += TOPIC_BONUS * len(own_topics & their_topics) / len(own_topics | their_topics)
        if published is not None and c_published is not None:
            days = abs(published - c_published) / 86400
            score *= 1 - TIME_SHARE + TIME_SHARE * math.exp(-days / TIME_SCALE_DAYS)
        scored.append((score, at))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(at, score) for score, at in scored[:limit]]


def ids_for_urls(conn: sqlite3.Connection, urls: Iterable[str]) -> dict[str, int]:
    """The cached article at each of ``urls`` (compared after normalisation), when there is one."""
    wanted: dict[int, list[str]] = defaultdict(list)
    for url in urls:
        if (key := url_key(url)) is not None:
            wanted[key].append(url)
    found: dict[str, int] = {}
    keys = list(wanted)
    for chunk in _chunks(keys):
        for key, at in conn.execute(
            f"SELECT key, min(id) FROM same_keys WHERE key IN ({_marks(chunk)}) GROUP BY key",
            chunk,
        ):
            for url in wanted[key]:
                found[url] = at
    return found
