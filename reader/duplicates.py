"""Which articles are the same story: one address after normalisation, or near-identical text.

The same story reaches a cache several times: the same page with and
without tracking parameters, over http and https, with and without ``www.``;
or a wire story that several providers print with the same words. Both are
found here, as groups of positions in a list of :class:`Story` values. No
Textual: the list, the detail pane and ``newsreader list`` will share it.

Text is compared as sets of word shingles (three words in a row): two
stories are near-identical when their sets overlap by ``threshold`` (Jaccard)
or more. Candidate pairs come from an inverted index over the shingles, and
shingles that very many stories share (boilerplate) are not used to find
them, so the cost follows the number of true near-pairs, not the square of
the list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

WORD = re.compile(r"\w+")
TRACKING = re.compile(r"utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid|ref_src|_ga")
"""Query parameters that say where a reader came from, not which page it is."""
SHINGLE_WORDS = 3
MIN_SHINGLES = 8
"""Texts shorter than this many shingles are too short to call two stories the same."""
COMMON_SHINGLE = 50
"""A shingle in more stories than this is boilerplate: it proposes no pair (the others still
count towards the overlap of a pair found through them)."""
THRESHOLD = 0.8


@dataclass(frozen=True)
class Story:
    """What deciding sameness needs of one article."""

    url: str | None
    text: str
    """Title and excerpt (and body when there is one)."""
    provider: str = ""
    """Who published it: near-identical text counts only between different providers."""


def normal_url(url: str) -> str:
    """``url`` as two copies of one page compare: https, host without ``www.`` or default port,
    no fragment, no tracking parameters, the others sorted, no trailing ``/``."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        scheme = "https"
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING.fullmatch(key.lower())
    )
    return urlunsplit((scheme, host, parts.path.rstrip("/"), urlencode(query), ""))


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The text's runs of :data:`SHINGLE_WORDS` words, without case."""
    words = WORD.findall(text.casefold())
    return frozenset(
        tuple(words[at : at + SHINGLE_WORDS]) for at in range(len(words) - SHINGLE_WORDS + 1)
    )


class UnionFind:
    """Numbers joined into groups (union-find); each group is named by its smallest member."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def root(self, at: int) -> int:
        """The smallest member of ``at``'s group (``at`` joins as a group of its own if new)."""
        parent = self.parent
        parent.setdefault(at, at)
        while parent[at] != at:
            parent[at] = parent[parent[at]]
            at = parent[at]
        return at

    def join(self, a: int, b: int) -> None:
        """Make ``a``'s group and ``b``'s one."""
        a, b = self.root(a), self.root(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def duplicate_groups(stories: Sequence[Story], threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups (of two or more positions, each in order) of ``stories`` that are the same story."""
    found = UnionFind()
    root, join = found.root, found.join

    first_at: dict[str, int] = {}
    for at, story in enumerate(stories):
        if story.url:
            join(first_at.setdefault(normal_url(story.url), at), at)

    sets = [shingles(story.text) for story in stories]
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for at, found in enumerate(sets):
        if len(found) >= MIN_SHINGLES:
            for shingle in found:
                postings[shingle].append(at)
    for at, found in enumerate(sets):
        if len(found) < MIN_SHINGLES:
            continue
        candidates = {
            other
            for shingle in found
            if len(ats := postings[shingle]) <= COMMON_SHINGLE
            for other in ats
            if other > at
        }
        for other in sorted(candidates):
            if stories[other].provider.casefold() == stories[at].provider.casefold():
                continue
            union = len(found | sets[other])  # exact, common shingles included
            if len(found & sets[other]) >= threshold * union:
                join(at, other)

    groups: dict[int, list[int]] = defaultdict(list)
    for at in range(len(stories)):
        groups[root(at)].append(at)
    return [members for members in groups.values() if len(members) > 1]
