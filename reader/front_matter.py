"""Front matter read exactly as PyYAML's safe loader reads it, six times faster when it can be.

PyYAML takes ~0.8 ms for a typical front matter, most of a file's parse, and
a cold index parses every file. ``yaml_rs`` (Rust) parses the same text in
~0.14 ms, but it reads YAML 1.2 where PyYAML reads 1.1: ``yes``/``on`` are
strings to it, ``012`` is twelve, ``1e3`` a float, ``12:30`` a string, tags
are ignored, duplicate keys refused, ``<<`` not merged. So it is used only
when the text has none of those forms, which two checks make sure of:

- :func:`_risky`, regexes over the text (false alarms are fine, misses are
  not), looking where a value can start: tags, anchors and aliases, flow
  collections, block scalars, explicit keys, 1.1's booleans and ``<<``,
  number-like words other than plain decimals and PyYAML's date shapes; and
  anywhere: tabs, control characters, NEL and U+2028 (line breaks to
  PyYAML), directives and document markers, lines nested deep;
- :func:`_as_pyyaml_reads`, over yaml_rs's result: no string that PyYAML
  would read plain as something else (``2020-01-01T10:00:00.``, ``12:30``),
  no other type than PyYAML's, keys only strings, integers or booleans.

Anything else, and anything yaml_rs refuses, is read by PyYAML (C loader)
with its usual errors. Without yaml_rs installed, PyYAML reads everything.
Neither builds Python objects from tags.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import frontmatter
import yaml
from yaml.resolver import Resolver

from reader.sanitize import is_plain

try:
    import yaml_rs
except ImportError:  # optional: everything works with PyYAML alone
    yaml_rs = None

FAST = yaml_rs is not None
"""Whether yaml_rs may be tried; tests turn it off to compare with PyYAML alone."""

MAX_DEPTH = 1000
"""A front matter whose brackets nest this deep, or whose lines start with twice this many
spaces or ``-``/``?``/``:`` indicators, is refused: libyaml recurses once per level and ends
the whole process (a segfault) somewhere past 20,000 levels, which a 2 MiB file can reach."""

_FAST_DEPTH_RUN = 100
"""yaml_rs recurses too (it crashes past ~15,000 levels): deeper than this, PyYAML reads it."""

_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster


class Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps an impossible date (``2020-13-45``) as text instead of failing the
    file."""


def _lenient_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)

# The number and date shapes both parsers read alike (the rest, like 012 or 1e3, they do not).
_SAME_NUMBER = r"""(?:
    [-+]?(?:0|[1-9][0-9]{0,99})(?:\.[0-9]*)?              # 12, -1, 0.5, 3. (PyYAML
                                                          # refuses ints past 4,300 digits)
  | \.[0-9]+                                              # .5
  | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}                        # a date, and maybe a time:
    (?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?
  )[ \t]*(?:$|\#|:(?:[ \t]|$))"""
# A node the two read differently (the text is searched with a "\n" first).
_RISKY_NODE = rf"""(?=[-+._0-9!&*\[{{|>?:<=yYnNoO])(?:
      [!&*]                             # a tag, an anchor or an alias
    | [\[{{]                            # a flow collection: plain words end differently in
                                        # them ([a?b], [:x], {{a:b}})
    | [|>]                              # a block scalar: empty or last ones end differently
    | [?:](?:[ \t]|$)                   # an explicit key or an empty one
    | (?:(?i:yes|no|on|off)|<<|=)[ \t]*+(?:$|\#|:(?:[ \t]|$))  # YAML 1.1's booleans, a merge
    | (?!{_SAME_NUMBER})(?:             # a number or date read differently (012, 1e3, _1):
        [0-9]{{4}}-[0-9]                # a date of another shape
      | [-+]?\.(?i:inf|nan)             # .NaN, .iNf: only some spellings are PyYAML's
      | [-+]?[._0-9][-+._0-9a-fA-FoOxX:]*[ \t]*(?:$|\#|:(?:[ \t]|$))  # a number-like word
      )                                 # (9to5Google or 11Alive are words to both)
    )"""
# Where a node can start in block context: after a line's indentation, or after a block
# indicator and a space. Two patterns, as each starts with what the regex engine finds fast.
_RISKY_AFTER_INDENT = re.compile(rf"\n[ \t]*+{_RISKY_NODE}", re.MULTILINE | re.VERBOSE)
_RISKY_AFTER_INDICATOR = re.compile(rf"[:?-][ \t]++{_RISKY_NODE}", re.MULTILINE | re.VERBOSE)
_RISKY_LINE = re.compile(rf"\n(?:%|---|\.\.\.|[ ?:-]{{{_FAST_DEPTH_RUN}}})")
"""A directive, a document's start or end, a line nested deep."""
_RISKY_CHAR = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
"""Tabs (yaml_rs allows some PyYAML refuses), controls, NEL and U+2028 (line breaks to PyYAML)."""
_DEEP_LINE = re.compile(rf"\n[ \t?:-]{{{2 * MAX_DEPTH}}}")
_BRACKET = re.compile(r"[\[\]{}]")
_RETYPED = re.compile(
    "|".join(
        dict.fromkeys(
            f"(?:{regexp.pattern})"
            for found in Resolver.yaml_implicit_resolvers.values()
            for tag, regexp in found
            if tag != "tag:yaml.org,2002:str"
        )
    ),
    re.VERBOSE,
)
"""PyYAML's own patterns for the plain scalars it reads as something other than a string."""
_RETYPED_FIRST = frozenset(first for first in Resolver.yaml_implicit_resolvers if first)
_SCALARS = frozenset((int, float, bool, type(None), dt.date, dt.datetime))
"""What both parsers make of the plain scalars :func:`_risky` lets through."""


class TooDeepError(ValueError):
    """A front matter nested deeper than :data:`MAX_DEPTH`: refused before any parser."""


def _check_depth(lines: str) -> None:
    """Raise :class:`TooDeepError` for ``lines`` (the text after a "\n") nested deep enough to
    crash a YAML parser."""
    if _DEEP_LINE.search(lines):
        raise TooDeepError("front matter is nested too deep")
    if lines.count("[") + lines.count("{") < MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKET.finditer(lines):  # brackets in strings count too: never fewer levels
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth >= MAX_DEPTH:
            raise TooDeepError("front matter is nested too deep")


def _risky(lines: str) -> bool:
    """Whether ``lines`` (the text after a "\n") may hold a form that yaml_rs reads otherwise
    than PyYAML, or reads where PyYAML refuses."""
    if (
        not is_plain(lines, "\n")
        and not lines.replace("\n", "").isprintable()
        and _RISKY_CHAR.search(lines)
    ):
        return True
    return bool(
        _RISKY_LINE.search(lines)
        or _RISKY_AFTER_INDENT.search(lines)
        or _RISKY_AFTER_INDICATOR.search(lines)
    )


def _as_pyyaml_reads(data: Any, reads: frozenset[str] | None = None) -> bool:
    """Whether yaml_rs's ``data`` holds nothing that PyYAML would have read otherwise: no
    string PyYAML would read plain as something else, keys only strings, ints or booleans.

    With ``reads``, only the values of those top-level keys are looked at (every key
    still is): see :func:`load`.
    """
    if reads is not None and type(data) is dict:
        top = data
        for key in top:
            if type(key) is str:
                if key[:1] in _RETYPED_FIRST and _RETYPED.match(key):
                    return False
            elif type(key) not in (int, bool):
                return False
        return all(_as_pyyaml_reads(top[key]) for key in reads if key in top)
    stack = [data]
    pop, extend, retyped = stack.pop, stack.extend, _RETYPED.match
    while stack:
        value = pop()
        kind = type(value)
        if kind is str:
            if value[:1] in _RETYPED_FIRST and retyped(value):
                return False
        elif kind is dict:
            for key in value:
                if type(key) is str:
                    if key[:1] in _RETYPED_FIRST and retyped(key):
                        return False
                elif type(key) not in (int, bool):  # None, dates, tuples: PyYAML may differ
                    return False
            extend(value.values())
        elif kind is list:
            extend(value)
        elif kind not in _SCALARS:  # a datetime.time for 12:30:00, say
            return False
    return True


def load(text: str, *, fast: bool | None = None, reads: frozenset[str] | None = None) -> Any:
    """The YAML document in ``text`` as PyYAML's :class:`Loader` reads it.

    ``fast`` (default :data:`FAST`) allows yaml_rs where its reading is the
    same. Raises ``yaml.YAMLError`` as PyYAML does, and :class:`TooDeepError`.

    ``reads``: the only top-level keys whose values the caller reads (the
    index's parse leaves out ``related``, often most of the text); the values
    of others are not checked, and may be typed otherwise than PyYAML would.
    Whether the text is read at all stays the same: the plain scalars PyYAML
    fails to build (``0b_``, ``=``, ``<<``) start where :func:`_risky` looks,
    and the strings the check finds otherwise (quoted ``"12:30"``, say) PyYAML
    reads without failing.
    """
    lines = "\n" + text
    _check_depth(lines)
    if (FAST if fast is None else fast) and yaml_rs is not None and not _risky(lines):
        try:
            data = yaml_rs.loads(text, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
        except Exception:  # noqa: BLE001 - whatever yaml_rs refuses, PyYAML reads or explains
            data = None
        if isinstance(data, dict) and _as_pyyaml_reads(data, reads):
            return data
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader


_BOUNDARY = frontmatter.YAMLHandler.FM_BOUNDARY


def _split(text: str) -> tuple[str, str]:
    """``YAMLHandler.split``: the text between the first two boundary lines, and what follows.

    The same matches as its ``FM_BOUNDARY.split(text, 2)``, found three times
    sooner: that regex is tried at every character, this only where a line
    starts with ``---``. Raises ``ValueError`` when there are not two.
    """
    found: list[re.Match[str]] = []
    at = 0
    while len(found) < 2:
        at = text.find("---", at)
        if at < 0:
            raise ValueError("no front matter boundary")
        if (at == 0 or text[at - 1] == "\n") and (match := _BOUNDARY.match(text, at)):
            found.append(match)
            at = match.end()
        else:
            at += 1
    first, second = found
    return text[first.end() : second.start()], text[second.end() :]


def parse(text: str, handler: Handler) -> tuple[dict[Any, Any], str]:
    """``frontmatter.parse(text, handler=handler)``: the front matter's mapping and the rest.

    Every file of a cold index is split here, so the library's wrapper and
    its regex split (:func:`_split`) are done without; what comes out is the same.
    """
    text = text.strip()
    try:
        fm, content = _split(text)
    except ValueError:
        return {}, text
    data = handler.load(fm)
    return (dict(data) if isinstance(data, dict) else {}), content.strip()


class Handler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, reading through :func:`load`."""

    def __init__(self, fast: bool | None = None, reads: frozenset[str] | None = None) -> None:
        super().__init__()
        self.fast = fast
        self.reads = reads
        """See :func:`load`."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load(fm, fast=self.fast, reads=self.reads)
