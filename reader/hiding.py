"""Hide rules: queries of the search language whose matches the reader leaves out. No Textual.

``hide = ["provider:example.com", 'title:"sponsored"']`` in config.toml
(read by :mod:`reader.config.hide`). A rule hides what ``newsreader list RULE``
would list: its free words through the full-text index, its qualifiers as
:mod:`reader.filtering` applies them (in C, per column). The rules are run
once on the whole cache as it is loaded, in the loading thread, then only on
the files that change (:class:`reader.library.Collection`); the list, the
sidebar's counts, saved searches and ``newsreader list`` then never see the
hidden entries, which the sidebar's Hidden line lists on their own.

A rule cannot use read or starred marks (``is:``): the rules are decided
without them, so that an article never vanishes as it is read.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import compress

from reader.entry import Entry
from reader.filtering import ROW_ID, Rows
from reader.qualifiers import Marks
from reader.query import Query, Term, fts_expression, parse_query, title_expression
from reader.topic_names import NO_RENAMES, TopicNames

Match = Callable[[str], set[int]]
"""Full-text search: an FTS5 expression -> the index row ids it matches."""

_NO_MARKS = Marks()


def rule_problem(query: Query) -> str:
    """Why a parsed rule cannot be used ("" when it can)."""
    if query.errors:
        return query.errors[0]
    if not query.words and not query.terms:
        return "an empty rule would hide every article"
    if query.needs_state:
        return "is: cannot be used: an article would vanish as it is read or starred"
    return ""


class HideRules:
    """The usable rules of a list of query strings, and which entries they hide."""

    def __init__(self, rules: Iterable[str] = (), names: TopicNames = NO_RENAMES) -> None:
        queries = [parse_query(rule) for rule in rules]
        self.queries = [_renamed(q, names) for q in queries if not rule_problem(q)]
        """The rules that can be used, with ``topic:`` names renamed as the entries' topics are."""

    def __bool__(self) -> bool:
        return bool(self.queries)

    def split(self, entries: list[Entry], match: Match | None) -> tuple[list[Entry], list[Entry]]:
        """``entries`` as (shown, hidden), each in the order given.

        ``match`` finds the rules' free words (None: their text is searched
        in the titles and providers instead, as without an index). Each rule
        is a mask over the list, the loops in C (see :meth:`Rows.mask`), over
        only the rows the index finds when it can narrow them.
        """
        if not self.queries or not entries:
            return entries, []
        rows = Rows(entries)  # its columns are made once, for every rule
        found: set[int] = set()  # positions: the usual rule finds few, so this stays small
        for query in self.queries:
            found.update(_positions(rows, query, match))
        if not found:
            return entries, []
        at = sorted(found)
        shown: list[Entry] = []
        for start, end in zip([-1, *at], [*at, len(entries)]):
            shown += entries[start + 1 : end]  # the runs between hidden ones, copied in C
        return shown, list(map(entries.__getitem__, at))


NO_RULES = HideRules()


def _renamed(query: Query, names: TopicNames) -> Query:
    """``query`` with each ``topic:`` as renamed (``topic:AI`` hides what AI was renamed to)."""
    if not names:
        return query
    terms = tuple(
        Term(t.name, names.name(str(t.value))) if t.name == "topic" else t for t in query.terms
    )
    return replace(query, terms=terms)


def _indexed(query: Query) -> str:
    """An FTS5 expression every row ``query`` finds matches ("" when there is none to use): its
    free words as ``newsreader list`` searches them, and its ``title:`` words where the index
    can narrow them (see :func:`reader.query.title_expression`)."""
    parts = [fts_expression(query.words)] if query.words else []
    titles = title_expression(query)
    return " AND ".join(parts + [titles] if titles else parts)


def _positions(rows: Rows, query: Query, match: Match | None) -> Iterable[int]:
    """The positions in ``rows`` of the entries ``query`` finds (read and starred marks aside)."""
    everywhere = range(len(rows.entries))
    expression = _indexed(query) if match is not None else ""
    ids = match(expression) if match is not None and expression else None
    if ids is not None and len(ids) * 2 < len(rows.entries):
        # Few candidates: the qualifiers are checked on those rows alone.
        kept = list(compress(everywhere, map(ids.__contains__, rows.column(ROW_ID))))
        few = Rows(list(map(rows.entries.__getitem__, kept)))
        return compress(kept, _mask(few, query, None, indexed=True))
    return compress(everywhere, _mask(rows, query, ids, indexed=match is not None))


def _mask(rows: Rows, query: Query, ids: set[int] | None, indexed: bool) -> Iterator[bool]:
    """Per row of ``rows``, whether it is in ``ids`` (None: every row) and ``query`` finds it;
    without an index (not ``indexed``), its free words are looked for in titles and providers."""
    mask = rows.mask(query, ids, _NO_MARKS)
    if query.words and not indexed:
        needles = [word.casefold() for word in query.words]
        words = (
            all(n in f"{e.title}\n{e.provider}\n{e.domain}".casefold() for n in needles)
            for e in rows.entries
        )
        mask = words if mask is None else map(operator.and_, words, mask)
    return iter([True] * len(rows.entries)) if mask is None else mask
