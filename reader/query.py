"""The search language of ``/`` and ``newsreader list QUERY``.

Free words match title, excerpt, provider and body (through the index's
full-text table); qualifiers narrow the result and combine with each other:
``topic:AI provider:rt.com is:unread is:starred after:2024-01-01
before:2024-02-01 quality:>50``. Values with spaces take quotes:
``topic:"Machine Learning"``. Anything that is not a valid qualifier is a
free word, so a typo never makes a query fail.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reader.entry import Entry, entry_key, split_topics

_COMPARE = re.compile(r"^(>=|<=|>|<|=)?\s*(-?\d+)$")
COMPARISONS: dict[str, Callable[[int, int], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "=": operator.eq,
}


@dataclass(frozen=True)
class Query:
    """A parsed query; an empty one matches everything."""

    words: tuple[str, ...] = ()
    """Free words, matched by full-text search."""
    topics: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    unread: bool = False
    starred: bool = False
    after: float | None = None
    """Only articles published at or after this timestamp."""
    before: float | None = None
    """Only articles published before this timestamp."""
    quality: tuple[tuple[str, int], ...] = ()
    """(operator, value) pairs, all of which must hold."""
    errors: tuple[str, ...] = field(default=(), compare=False)
    """Qualifiers that were recognised but had a bad value (shown to the user)."""
    read: bool = False
    """Only articles marked read (``is:read``)."""

    @property
    def is_empty(self) -> bool:
        """Whether the query filters nothing."""
        return not (self.words or self.topics or self.providers or self.unread or self.starred or self.read
                    or self.after is not None or self.before is not None or self.quality)

    @property
    def needs_state(self) -> bool:
        """Whether read/star state is needed to evaluate it."""
        return self.unread or self.starred or self.read


def _date(value: str) -> float | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()


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
            if ch == "\\" and text[i + 1:i + 2] in (quote, "\\"):
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
    """Parse ``text`` into a :class:`Query`."""
    words: list[str] = []
    topics: list[str] = []
    providers: list[str] = []
    quality: list[tuple[str, int]] = []
    errors: list[str] = []
    unread = starred = read = False
    after = before = None
    for token in _split(text):
        name, sep, value = token.partition(":")
        name = name.casefold()
        if not sep or not value:
            words.append(token)
            continue
        if name == "topic":
            topics.append(value)
        elif name == "provider":
            providers.append(value)
        elif name == "is" and value.casefold() in ("unread", "starred", "read"):
            state = value.casefold()
            unread = unread or state == "unread"
            starred = starred or state == "starred"
            read = read or state == "read"
        elif name in ("after", "before"):
            stamp = _date(value)
            if stamp is None:
                errors.append(f"{name}: wants a date like 2024-01-31")
            elif name == "after":
                after = stamp
            else:
                before = stamp
        elif name == "quality":
            match = _COMPARE.match(value)
            if match:
                quality.append((match.group(1) or "=", int(match.group(2))))
            else:
                errors.append("quality: wants a number, e.g. quality:>50")
        else:
            words.append(token)
    # A word of punctuation alone ("-", "(", '""') has nothing full-text search could find:
    # kept, it would make the whole query match nothing.
    words = [w for w in words if any(ch.isalnum() for ch in w)]
    return Query(tuple(words), tuple(topics), tuple(providers), unread, starred, after, before,
                 tuple(quality), tuple(errors), read)


def quote_value(value: str) -> str:
    """``value`` as one token of the query language (quoted when it has spaces or quotes)."""
    if value and not any(ch.isspace() or ch in "\"'\\" for ch in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fts_expression(words: tuple[str, ...], prefix_last: bool = True) -> str:
    """An FTS5 MATCH expression: every word must match; the last may be a prefix (as you type)."""
    parts = []
    for i, word in enumerate(words):
        quoted = '"' + word.replace('"', '""').replace("\x00", "") + '"'  # FTS5 ends a string at NUL
        if prefix_last and i == len(words) - 1:
            quoted += "*"
        parts.append(quoted)
    return " AND ".join(parts)


def entry_filter(query: Query, read: set[str] | None = None,
                 starred: set[str] | None = None) -> Callable[[Entry], bool] | None:
    """A predicate for the qualifiers of ``query`` (None when there are none).

    ``read`` and ``starred`` are the keys (see :func:`entry_key`) in each state.
    """
    checks = entry_checks(query, read, starred)
    if not checks:
        return None
    return lambda e: all(check(e) for check in checks)


def entry_checks(query: Query, read: set[str] | None = None,
                 starred: set[str] | None = None) -> list[Callable[[Entry], bool]]:
    """One small predicate per qualifier; applying them one after another is fastest."""
    checks: list[Callable[[Entry], bool]] = []
    for topic in query.topics:
        wanted = topic.casefold()
        checks.append(lambda e, w=wanted: any(t.casefold() == w for t in split_topics(e.topics)))
    for provider in query.providers:
        wanted = provider.casefold()
        checks.append(lambda e, w=wanted: w in e.provider.casefold() or w in e.domain.casefold())
    if query.unread:
        done = read or set()
        checks.append(lambda e: entry_key(e) not in done)
    if query.read:
        marked = read or set()
        checks.append(lambda e: entry_key(e) in marked)
    if query.starred:
        stars = starred or set()
        checks.append(lambda e: entry_key(e) in stars)
    if query.after is not None:
        checks.append(lambda e, t=query.after: e.published is not None and e.published >= t)
    if query.before is not None:
        checks.append(lambda e, t=query.before: e.published is not None and e.published < t)
    for op, value in query.quality:
        checks.append(lambda e, f=COMPARISONS[op], v=value: e.quality is not None and f(e.quality, v))
    return checks
