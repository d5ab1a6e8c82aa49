"""``hide``: queries of the search language whose matches are hidden everywhere.

``hide = ["provider:example.com", 'title:"sponsored"']`` at the top level. A
rule the query language cannot use (a bad qualifier value, nothing to match,
``is:``) is a problem at its index and is left out; the others stay. What the
rules hide is decided in :mod:`reader.hiding`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reader.config.model import Problem
from reader.hiding import rule_problem
from reader.query import parse_query

_WANTS_LIST = 'wants a list of search queries, like ["provider:example.com"]'


def parse_hide(document: Mapping[str, Any], problems: list[Problem]) -> tuple[str, ...]:
    """The usable hide rules as query strings, in the order written."""
    rules = document.get("hide", [])
    if not isinstance(rules, list):
        problems.append(Problem(("hide",), _WANTS_LIST))
        return ()
    kept: list[str] = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, str):
            problems.append(Problem(("hide", index), "wants a search query in quotes"))
            continue
        reason = rule_problem(parse_query(rule))
        if reason:
            problems.append(Problem(("hide", index), f"{rule!r} left out: {reason}"))
        else:
            kept.append(rule)
    return tuple(kept)
