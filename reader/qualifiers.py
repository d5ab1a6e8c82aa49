"""Every search qualifier, defined once: how its value is read and which rows it keeps.

A qualifier is one :class:`Qualifier` in :data:`QUALIFIERS`. Everything the
reader does with one is derived from that entry: :func:`reader.query.parse_query`
reads ``name:value`` with its ``parse``; the per-row check
(:meth:`Qualifier.check`) and the bulk filter of a whole list
(:meth:`Qualifier.mask`, used by :mod:`reader.filtering`) both run its
``steps`` on a row's value in its :class:`Column`. Adding a qualifier is one
entry here and its test.

Typing a search filters 100,000 rows per keystroke, so steps are builtins
where they can be (``set.__contains__``, ``functools.partial`` of an
``operator`` function): ``map`` then runs them with no Python code per row.
Other steps run once per distinct value of their column (a few hundred
providers, some thousand topic sets) and rows are looked up in the result.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import attrgetter
from types import BuiltinFunctionType, MethodWrapperType
from typing import Any, NamedTuple

from reader.entry import TOPIC_SEP, Entry, entry_key, entry_keys, titles_of
from reader.pieces import pieces

Step = Callable[[Any], Any]
"""One function of a qualifier's chain: a column value (or the previous step's result) in."""

MISSING = math.nan
"""A missing number or date in a column: every comparison with it is false, as it must be."""


class Marks(NamedTuple):
    """The read and starred entry keys (:func:`reader.entry.entry_key`) that ``is:`` looks at."""

    read: set[str] | frozenset[str] = frozenset()
    starred: set[str] | frozenset[str] = frozenset()
    version: Hashable | None = None
    """Changes whenever ``read`` or ``starred`` do (None: not known). With it, a long list
    keeps the masks of ``is:`` between two keys of a search (see :mod:`reader.filtering`)."""


@dataclass(frozen=True, eq=False)
class Column:
    """One value per row that qualifiers look at, for one row or a whole list."""

    name: str
    of: Callable[[Entry], Hashable]
    """The value of one row: the reference that :attr:`of_rows` agrees with."""
    of_rows: Callable[[list[Entry]], list]
    """The values of every row, with the loop in C."""
    eager: bool = False
    """Made ahead, in a worker, for the sorted orders: the qualifiers on it are the most typed."""


def _number(name: str) -> Column:
    get = attrgetter(name)

    def of_rows(rows: list[Entry]) -> list:
        values = list(map(get, pieces(rows)))
        return values if None not in values else [MISSING if v is None else v for v in values]

    return Column(name, lambda e: MISSING if get(e) is None else get(e), of_rows, eager=True)


def _casefolded(rows: list[Entry], name: str) -> list[str]:
    """The field ``name`` of every row, casefolded once per distinct value (sharing the results)."""
    values = list(map(attrgetter(name), rows))
    folded = {value: value.casefold() for value in set(values)}
    return list(map(folded.__getitem__, values))


def _folded(name: str) -> Column:
    return Column(name, lambda e: getattr(e, name).casefold(), lambda rows: _casefolded(rows, name))


KEY = Column("key", entry_key, entry_keys, eager=True)
QUALITY = _number("quality")
PUBLISHED = _number("published")
TYPE = _folded("type")
TITLE = Column(
    "title",
    lambda e: e.title.casefold(),
    # titles are distinct: no sharing; those left in the index are asked for all at once
    lambda rows: list(map(str.casefold, titles_of(rows))),
)
TOPICS = _folded("topics")
"""The joined topics, casefolded (casefolding the parts one by one gives the same)."""
_PROVIDER = attrgetter("provider", "domain")
PROVIDER = Column("provider", _PROVIDER, lambda rows: list(map(_PROVIDER, rows)))
"""The provider name and domain as written: their steps casefold once per distinct pair (few
hundred), which costs far less than casefolding 100,000 rows."""


def _in_c(step: Step) -> bool:
    """Whether ``step`` is a builtin, so that ``map`` runs it with no Python code per row."""
    if isinstance(step, partial):
        step = step.func
    return isinstance(step, (BuiltinFunctionType, MethodWrapperType))


def _run(steps: Iterable[Step], value: Any) -> bool:
    for step in steps:
        value = step(value)
    return bool(value)


@dataclass(frozen=True, eq=False)
class Qualifier:
    """One ``name:value`` of the search language."""

    name: str
    """What is typed before the colon (in any case)."""
    column: Column
    parse: Callable[[str], Hashable]
    """The typed value -> what :attr:`steps` take; raises ValueError for a value it cannot use."""
    steps: Callable[[Any, Marks], tuple[Step, ...]]
    """For a parsed value: functions applied in turn to a row's column value; true keeps the row."""
    error: str | None = None
    """Shown for a value :attr:`parse` refuses; without one such a token is a free word."""
    last_wins: bool = False
    """A later one replaces an earlier one, instead of both applying."""
    needs_state: bool = False
    """It looks at read or starred marks."""

    def check(self, value: Hashable, marks: Marks) -> Callable[[Entry], bool]:
        """Whether one entry passes this qualifier with ``value`` (the per-row reference)."""
        steps, of = self.steps(value, marks), self.column.of
        return lambda entry: _run(steps, of(entry))

    def mask(self, value: Hashable, column: list, marks: Marks) -> Iterator[Any]:
        """Per row of ``column`` (this qualifier's column of a list), whether the row passes."""
        steps = self.steps(value, marks)
        if not all(map(_in_c, steps)):
            # Decided once per distinct value, then looked up per row in C.
            passing = {v for v in set(column) if _run(steps, v)}
            steps = (passing.__contains__,)
        kept: Iterator[Any] = iter(column)
        for step in steps:
            if isinstance(step, partial) and len(step.args) == 1 and not step.keywords:
                # The same as map(step, kept), without partial's own call per row.
                kept = map(step.func, repeat(step.args[0]), kept)
            else:
                kept = map(step, kept)
        return kept


# --- the qualifiers ---------------------------------------------------------------------------


def _has_topic(wanted: str, folded_topics: str) -> bool:
    return wanted in folded_topics and wanted in folded_topics.split(TOPIC_SEP)


def _in_provider(wanted: str, pair: tuple[str, str]) -> bool:
    return wanted in pair[0].casefold() or wanted in pair[1].casefold()


def _is_source(wanted: str, pair: tuple[str, str]) -> bool:
    """The whole provider name (a feed's articles carry its title) or domain, not a part."""
    return wanted == pair[0].casefold() or wanted == pair[1].casefold()


STATES = ("unread", "read", "starred")


class TitleWords(NamedTuple):
    """What ``title:`` looks for: words, whole and in turn, in any case."""

    words: tuple[str, ...]
    """Casefolded, as typed."""
    pattern: re.Pattern[str]
    """Finds them in a casefolded title: ``title:ai`` does not find "said"."""


def _title_words(value: str) -> TitleWords:
    """The pattern starts with the first word itself and looks behind it only then, so the regex
    engine's fast scan for a literal does most of the work (five times faster on 100,000 titles
    than a look-behind first)."""
    words = tuple(value.casefold().split())
    if not words:
        raise ValueError(value)
    escaped = list(map(re.escape, words))
    first = f"{escaped[0]}(?<!\\w{escaped[0]})"
    return TitleWords(words, re.compile(r"\s+".join([first, *escaped[1:]]) + r"(?!\w)"))


def _state(value: str) -> str:
    state = value.casefold()
    if state not in STATES:
        raise ValueError(value)
    return state


def _state_steps(state: str, marks: Marks) -> tuple[Step, ...]:
    if state == "unread":
        return marks.read.__contains__, operator.not_
    return ((marks.read if state == "read" else marks.starred).__contains__,)


def _day(value: str) -> float:
    """Midnight UTC of an ISO date, as a timestamp."""
    day = dt.date.fromisoformat(value)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()


_COMPARE = re.compile(r"^(>=|<=|>|<|=)?\s*(-?\d+)$")
_BOUND_FIRST = {
    ">": operator.lt,
    ">=": operator.le,
    "<": operator.gt,
    "<=": operator.ge,
    "=": operator.eq,
}
"""``v > n`` is ``n < v``: the operator that takes the typed number first (for ``partial``)."""


def _comparison(value: str) -> tuple[str, int]:
    match = _COMPARE.match(value)
    if not match:
        raise ValueError(value)
    return match.group(1) or "=", int(match.group(2))


_DATE_ERROR = "{}: wants a date like 2024-01-31"

QUALIFIERS: dict[str, Qualifier] = {
    q.name: q
    for q in (
        Qualifier("topic", TOPICS, str, lambda topic, _: (partial(_has_topic, topic.casefold()),)),
        Qualifier(
            "provider", PROVIDER, str, lambda part, _: (partial(_in_provider, part.casefold()),)
        ),
        Qualifier("source", PROVIDER, str, lambda name, _: (partial(_is_source, name.casefold()),)),
        Qualifier("is", KEY, _state, _state_steps, needs_state=True),
        Qualifier(
            "after",
            PUBLISHED,
            _day,
            lambda day, _: (partial(operator.le, day),),
            error=_DATE_ERROR.format("after"),
            last_wins=True,
        ),
        Qualifier(
            "before",
            PUBLISHED,
            _day,
            lambda day, _: (partial(operator.gt, day),),
            error=_DATE_ERROR.format("before"),
            last_wins=True,
        ),
        Qualifier(
            "quality",
            QUALITY,
            _comparison,
            lambda cmp, _: (partial(_BOUND_FIRST[cmp[0]], cmp[1]),),
            error="quality: wants a number, e.g. quality:>50",
        ),
        Qualifier("type", TYPE, str, lambda kind, _: (partial(operator.eq, kind.casefold()),)),
        Qualifier("title", TITLE, _title_words, lambda t, _: (t.pattern.search, operator.truth)),
    )
}
"""Every qualifier, by name. ``is:`` values: :data:`STATES`; ``quality:`` takes ``>``, ``>=``,
``<``, ``<=`` or ``=`` (the default) and an integer; dates are UTC days; ``title:`` finds whole
words (``title:"sponsored content"`` a phrase), in any case."""
