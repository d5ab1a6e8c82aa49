"""The index's SQL: its tables, the version that says when to rebuild them, and its queries.

Kept apart from :mod:`reader.index` so that the layout of a row is read in one
place, and the index's code stays short enough to read. No Textual.
"""

from __future__ import annotations

from reader.index_db import COUNT_TABLE
from reader.index_rows import stored_fields
from reader.prefix_terms import INDEXED_PREFIXES
from reader.similar_store import PROBES as SIMILAR_PROBES
from reader.similar_store import TABLES as SIMILAR_TABLES

SCHEMA_VERSION = 9
"""Bump when the table layout or what the parser stores changes: old indexes are rebuilt."""

# What the list needs of every article; the excerpt and body stay on disk (search uses FTS).
COLUMNS = (
    "path, title, published, quality, heat, provider, domain, url, type, topics, id, dup_group"
)


def bulk_query(apart: frozenset[str] = frozenset(), keyed: bool = False) -> str:
    """Every row's fields as one JSON array per column (NULL for the columns ``apart``); with
    ``keyed``, the paths of the rows without a URL only (null for the others): what their
    keys are, see :meth:`reader.entry.EntryDecoder.decode`."""
    columns = []
    for column in COLUMNS.split(", "):
        if column in apart:
            columns.append("NULL")
        elif column == "path" and keyed:
            columns.append("json_group_array(CASE WHEN url IS NULL OR url = '' THEN path END)")
        elif column == "published":  # '%!.17g' keeps every bit (JSON's rendering: 15 digits)
            columns.append(
                "'[' || group_concat(CASE WHEN published IS NULL THEN 'null'"
                " ELSE printf('%!.17g', published) END) || ']'"
            )
        else:
            columns.append(f"json_group_array({column})")
    return "SELECT count(*), " + ", ".join(columns) + " FROM articles"


BULK_QUERY = bulk_query()

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    title TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    published REAL,
    quality INTEGER,
    heat INTEGER,
    provider TEXT NOT NULL,
    domain TEXT NOT NULL,
    url TEXT,
    type TEXT NOT NULL,
    topics TEXT NOT NULL,
    dup_group INTEGER
);
-- Prefix indexes from one letter: the first key typed in a search matches nearly every row,
-- and without one FTS5 merges a list per word starting with that letter (5x slower).
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    title, excerpt, provider, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '{" ".join(str(n) for n in range(1, INDEXED_PREFIXES + 1))}'
);
-- The list's two orders, newest (best) first with ties in id order, so that the first screen
-- is read from the index without loading every row (see IndexReads.page).
CREATE INDEX IF NOT EXISTS articles_by_date ON articles (published DESC, id);
CREATE INDEX IF NOT EXISTS articles_by_quality ON articles (quality DESC, published DESC, id);
CREATE TABLE IF NOT EXISTS skipped (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    reason TEXT NOT NULL
);
-- Folder times of the check that trusts them (config.toml's check = "folders"), see
-- reader.filecheck.FolderTimes. Added within version 9: made on an index that lacks it.
CREATE TABLE IF NOT EXISTS folders (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL
) WITHOUT ROWID;
{SIMILAR_TABLES}
PRAGMA user_version = {SCHEMA_VERSION};
"""
COUNTED = f"""
CREATE TABLE IF NOT EXISTS {COUNT_TABLE} (n INTEGER NOT NULL);
INSERT INTO {COUNT_TABLE} SELECT count(*) FROM articles
    WHERE NOT EXISTS (SELECT 1 FROM {COUNT_TABLE});
CREATE TRIGGER IF NOT EXISTS articles_counted_in AFTER INSERT ON articles
BEGIN UPDATE {COUNT_TABLE} SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS articles_counted_out AFTER DELETE ON articles
BEGIN UPDATE {COUNT_TABLE} SET n = n - 1; END;
"""
"""The article count, kept by triggers in the same transaction as every insert and delete:
``count(*)`` reads a whole order index (some 4,000 pages at a million articles: 7 ms when they
are in memory, 0.36 s from the disk, as on the first start of the day), this one page. The
triggers cost about 1.6 s per million rows stored. Added within version 9: made, and counted
once, on an index that lacks it (see :func:`reader.index_db.prepare`)."""
PROBES = [  # every column used must be there: an unversioned or foreign file is rebuilt too
    f"SELECT {COLUMNS}, size, mtime_ns FROM articles LIMIT 0",
    "SELECT path, size, mtime_ns, reason FROM skipped LIMIT 0",
    "SELECT rowid, title, excerpt, provider, body FROM search LIMIT 0",
    *SIMILAR_PROBES,
]
INSERT_ARTICLE = "INSERT INTO articles ({}) VALUES ({})".format(
    ", ".join(stored_fields()), ", ".join("?" * len(stored_fields()))
)
