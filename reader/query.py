"""The search language of ``/`` and ``newsreader list QUERY``.

Free words match title, excerpt, provider and body (through the index's
full-text table); qualifiers narrow the result and combine with each other:
``topic:AI provider:rt.com is:unread is:starred after:2024-01-01
before:2024-02-01 quality:>50 type:video``. Values with spaces take quotes:
``topic:"Machine Learning"``. Anything that is not a valid qualifier is a
free word, so a typo never makes a query fail. What each qualifier means is
in :mod:`reader.qualifiers`; this module reads the text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import NamedTuple

from reader.entry import Entry
from reader.qualifiers import QUALIFIERS, Marks, TitleWords


class Term(NamedTuple):
    """One qualifier of a query, with its value as the qualifier's ``parse`` made it."""

    name: str
    """The qualifier's name in :data:`reader.qualifiers.QUALIFIERS`."""
    value: Hashable


@dataclass(frozen=True)
class Query:
    """A parsed query; an empty one matches everything."""

    words: tuple[str, ...] = ()
    """Free words, matched by full-text search."""
    terms: tuple[Term, ...] = ()
    """The qualifiers, all of which must hold, in the order typed."""
    errors: tuple[str, ...] = field(default=(), compare=False)
    """Qualifiers that were recognised but had a bad value (shown to the user)."""

    @property
    def needs_state(self) -> bool:
        """Whether read/star state is needed to evaluate it."""
        return any(QUALIFIERS[term.name].needs_state for term in self.terms)

    def values(self, name: str) -> tuple[Hashable, ...]:
        """The values of every qualifier called ``name``, in the order typed."""
        return tuple(term.value for term in self.terms if term.name == name)


def _split(text: str) -> list[str]:
    """Split on whitespace; quotes group words, and everything else is taken literally.

    Double quotes open anywhere; a single quote opens only at the start of a
    word or of a qualifier's value (``provider:'Ethics Weekly'``), so that an
    apostrophe ("it's") stays a letter. Inside quotes a backslash escapes the
    quote or a backslash (what :func:`quote_value` writes); elsewhere it is a
    plain character (``C:\\temp``). A quote not closed yet runs to the end of
    the text, so a phrase being typed already searches for what is typed.
    """
    tokens: list[str] = []
    current: list[str] = []
    in_token = False
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and text[i + 1 : i + 2] in (quote, "\\"):
                current.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
            else:
                current.append(ch)
        elif ch == '"' or (ch == "'" and (not current or current[-1] == ":")):
            quote, in_token = ch, True
        elif ch.isspace():
            if in_token:
                tokens.append("".join(current))
                current, in_token = [], False
        else:
            current.append(ch)
            in_token = True
        i += 1
    if in_token:
        tokens.append("".join(current))
    return [token for token in tokens if token]


def parse_query(text: str) -> Query:
    """Parse ``text`` into a :class:`Query`, reading qualifiers as their table entry says."""
    words: list[str] = []
    terms: list[Term] = []
    errors: list[str] = []
    for token in _split(text):
        name, sep, value = token.partition(":")
        qualifier = QUALIFIERS.get(name.casefold()) if sep and value else None
        if qualifier is None:
            words.append(token)
            continue
        try:
            parsed = qualifier.parse(value)
        except ValueError:
            if qualifier.error is None:
                words.append(token)
            else:
                errors.append(qualifier.error)
            continue
        if qualifier.last_wins:
            terms = [term for term in terms if term.name != qualifier.name]
        terms.append(Term(qualifier.name, parsed))
    # A word of punctuation alone ("-", "(", '""') has nothing full-text search could find:
    # kept, it would make the whole query match nothing.
    words = [w for w in words if any(ch.isalnum() for ch in w)]
    return Query(tuple(words), tuple(terms), tuple(errors))


def quote_value(value: str) -> str:
    """``value`` as one token of the query language (quoted when it has spaces or quotes)."""
    if value and not any(ch.isspace() or ch in "\"'\\" for ch in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fts_expression(words: tuple[str, ...], prefix_last: bool = True) -> str:
    """An FTS5 MATCH expression: every word must match; the last may be a prefix (as you type)."""
    parts = []
    for i, word in enumerate(words):
        # FTS5 ends a string at NUL
        quoted = '"' + word.replace('"', '""').replace("\x00", "") + '"'
        if prefix_last and i == len(words) - 1:
            quoted += "*"
        parts.append(quoted)
    return " AND ".join(parts)


def title_expression(query: Query) -> str:
    """An FTS5 expression every row that ``query``'s ``title:`` words find matches ("" when none
    of them can be used): the words made of ASCII letters and digits, whose index tokens are
    exact. The index narrows a million titles to a few without the interpreter (and without
    reading the titles, which stay in the index: see :func:`reader.entry.rows_apart`); their
    pattern still decides."""
    parts = []
    for words in query.values("title"):
        if isinstance(words, TitleWords) and all(w.isascii() and w.isalnum() for w in words.words):
            parts += [f'title : "{word}"' for word in words.words]
    return " AND ".join(parts)


def row_check(
    query: Query, read: set[str] | None = None, starred: set[str] | None = None
) -> Callable[[Entry], bool]:
    """Whether one entry passes every qualifier of ``query`` (its words aside).

    ``read`` and ``starred`` are the keys (see :func:`reader.entry.entry_key`)
    in each state. The reference that :mod:`reader.filtering` agrees with.
    """
    marks = Marks(read or frozenset(), starred or frozenset())
    checks = [QUALIFIERS[term.name].check(term.value, marks) for term in query.terms]
    return lambda entry: all(check(entry) for check in checks)
