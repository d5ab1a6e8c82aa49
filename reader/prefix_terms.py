"""A search's last word, typed past the index's prefix lengths, asked as the words it starts.

FTS5 keeps whole lists for prefixes of up to three letters. Past them, a prefix
(``"rago"*``) makes FTS5 merge the list of every word that starts so, positions
and all, over the whole table, before the other words narrow anything; when the
prefix is itself a common word, that merge is most of a keystroke (85 ms at a
million articles, where the same words asked as ``"rago" OR "ragova" OR ...``
take 19). A row id range does not shorten it either, so the search's two halves
each did the whole merge.

So the last word is asked as an OR of the words in the index that start with
it. They are found one at a time in an ``fts5vocab`` table of instances: each
look-up stops at the first instance of the next word, a millisecond or so,
where a table of words reads each word's whole list to count it (50 ms for a
common one). The answer is the same set of rows: FTS5 folds a prefix of ASCII
letters and digits to lower case, as the words it stores are. No Textual.
"""

from __future__ import annotations

import re
import sqlite3

INDEXED_PREFIXES = 3
"""The longest prefix the ``search`` table keeps lists for (its ``prefix`` option)."""

MOST_WORDS = 32
"""The most words a prefix is asked as. Past it, the words are found in more time than they
save (a look-up each), and the prefix is asked as it is."""

VOCABULARY = "temp.search_words"
_VOCABULARY_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab(main, search, instance)"
)
_NEXT_WORD = f"SELECT term FROM {VOCABULARY} WHERE term >= ? AND term < ? LIMIT 1"

# What query.fts_expression writes: quoted words joined by AND, the last one a prefix.
_LAST_PREFIX = re.compile(r'((?:"(?:[^"]|"")*" AND )*)"([0-9A-Za-z]+)"\*')


def words_starting(conn: sqlite3.Connection, prefix: str, most: int | None = None) -> list[str]:
    """The words of the ``search`` table that start with ``prefix`` (lower-case ASCII) and are
    longer than it, in order; at most ``most`` (default :data:`MOST_WORDS`) + 1 of them (more
    than ``most``: too many).

    Raises ``sqlite3.Error`` when the vocabulary cannot be read.
    """
    most = MOST_WORDS if most is None else most
    conn.execute(_VOCABULARY_SQL)  # temporary: gone with the connection, or a rollback
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    found: list[str] = []
    at = prefix + "\x01"  # past the word itself, whose list is not read
    while len(found) <= most:
        row = conn.execute(_NEXT_WORD, (at, end)).fetchone()
        if row is None:
            break
        found.append(row[0])
        at = row[0] + "\x01"
    return found


def expanded(conn: sqlite3.Connection, expression: str) -> str:
    """``expression`` with its last word, when it is a prefix longer than the index keeps, asked
    as the words it starts; ``expression`` itself when it is not, when the words are too many,
    or when they cannot be read."""
    shape = _LAST_PREFIX.fullmatch(expression)
    if shape is None or len(shape.group(2)) <= INDEXED_PREFIXES:
        return expression
    head, prefix = shape.group(1), shape.group(2).lower()
    try:
        longer = words_starting(conn, prefix)
    except sqlite3.Error:
        return expression
    if len(longer) > MOST_WORDS:
        return expression
    # The words come from the index: quoted as FTS5 strings, whatever they hold.
    words = " OR ".join(
        '"' + word.replace('"', '""').replace("\x00", "") + '"' for word in (prefix, *longer)
    )
    return f"{head}({words})"
