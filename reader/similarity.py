"""What two articles have in common, as numbers: the words that weigh, and keys for sameness.

Computed once per file when it is indexed (in the parser processes, see
:mod:`reader.index_rows`), so that finding related articles and duplicates
later only reads small precomputed values. Plain Python, no Textual.

- :func:`key_terms`: an article's distinct words (title and excerpt), which
  the index counts to know how rare each word is across the cache.
- :func:`term_weights`: how much each word says about the article; the title
  counts three times, the body (or downloaded full text) half, so that a
  word in the headline outweighs one in the tenth paragraph.
- :func:`sameness_keys`: a hash of the normalised address and a few MinHash-style
  keys of the text; two articles that share a key are *candidates* for being
  the same story, confirmed by :func:`same_story`.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections import Counter
from functools import partial
from hashlib import blake2b
from typing import NamedTuple

from reader.duplicates import MIN_SHINGLES, SHINGLE_WORDS, THRESHOLD, normal_url, shingles

WORD = re.compile(r"\w+")
STOP = frozenset(
    """a about after all also an and any are as at be been being but by can could did do does
    for from had has have he her his how i if in into is it its just like may more most much
    my new no not now of on one only or other our out over said says she so some such than
    that the their them then there these they this those to too up us was we were what when
    where which while who why will with would you your""".split()
)
TITLE_WEIGHT = 3.0
EXCERPT_WEIGHT = 1.0
BODY_WEIGHT = 0.5
BODY_WORDS = 150
"""Only the start of a body counts: it says what the story is, the rest adds noise and time."""
TEXT_KEYS = 4
"""How many of the smallest shingle hashes stand for a text (bottom-k MinHash): two texts
that share 80% of their shingles share two of them with a chance of about 97%."""


class Signature(NamedTuple):
    """What the index keeps of one article for relatedness and sameness."""

    terms: tuple[str, ...]
    """Distinct words of title and excerpt (counted into the index's word rarity)."""
    keys: tuple[int, ...]
    """:func:`sameness_keys`."""


def words(text: str) -> list[str]:
    """The text's words that carry meaning: lower case, no accents, no stop words or numbers."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return [
        word
        for word in WORD.findall(text.casefold())
        if len(word) > 1 and word not in STOP and not word.isdigit()
    ]


def key_terms(title: str, excerpt: str) -> tuple[str, ...]:
    """The distinct words of title and excerpt, sorted (what the index's word counts count)."""
    return tuple(sorted(set(words(title)) | set(words(excerpt))))


def term_weights(title: str, excerpt: str, body: str = "") -> Counter[str]:
    """Each word's weight in the article: title words count most, body words least."""
    weights: Counter[str] = Counter()
    for word in words(title):
        weights[word] += TITLE_WEIGHT
    for word in words(excerpt):
        weights[word] += EXCERPT_WEIGHT
    if body:
        for word in words(" ".join(body.split(maxsplit=BODY_WORDS)[:BODY_WORDS])):
            weights[word] += BODY_WEIGHT
    return weights


def stable_hash(text: str) -> int:
    """A signed 64-bit hash that is the same in every process and run (SQLite's INTEGER)."""
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def url_key(url: str | None) -> int | None:
    """The key two copies of one page share (see :func:`reader.duplicates.normal_url`); odd,
    where text keys are even, so that a shared key says which kind it is."""
    if not url:
        return None
    return stable_hash("url " + normal_url(url)) | 1


def is_url_key(key: int) -> bool:
    """Whether ``key`` is an address's (:func:`url_key`) rather than a text's."""
    return key & 1 == 1


def sameness_keys(url: str | None, title: str, excerpt: str) -> tuple[int, ...]:
    """The address's key, and the smallest hashes of the text's shingles (texts long enough)."""
    keys = []
    if (key := url_key(url)) is not None:
        keys.append(key)
    found = shingles(f"{title}\n{excerpt}")
    if len(found) >= MIN_SHINGLES:
        keys += [key & ~1 for key in _smallest_hashes(["text " + " ".join(s) for s in found])]
    return tuple(dict.fromkeys(keys))


_HASH = partial(blake2b, digest_size=8)


def _smallest_hashes(texts: list[str]) -> list[int]:
    """The :data:`TEXT_KEYS` smallest :func:`stable_hash` of ``texts``, in order.

    The same numbers as ``sorted(map(stable_hash, texts))[:TEXT_KEYS]``, a
    fifth of the time: the loop over ~46 shingles a file stays in C (every
    file of a cold index goes through here).
    """
    digests = b"".join(map(blake2b.digest, map(_HASH, map(str.encode, texts))))
    return sorted(struct.unpack(f">{len(texts)}q", digests))[:TEXT_KEYS]


def signature(url: str | None, title: str, excerpt: str) -> Signature:
    """Everything :mod:`reader.similar_store` keeps of one article.

    The same as ``Signature(key_terms(...), sameness_keys(...))``, a third
    sooner: every file of a cold index comes here, and both halves start from
    the same words. Title and excerpt are read once, as the shingles read them
    (joined by a line break, which no word crosses); for ASCII text those are
    also the words :func:`words` finds before leaving out stop words and
    numbers (other text is reduced first, so it takes the long way). The
    shingles are made as the strings that are hashed, in a set: the same set,
    as words hold no space.
    """
    text = f"{title}\n{excerpt}"
    found = WORD.findall(text.casefold())
    if text.isascii():
        terms = tuple(
            sorted({w for w in found if len(w) > 1 and w not in STOP and not w.isdigit()})
        )
    else:
        terms = key_terms(title, excerpt)
    keys = []
    if (key := url_key(url)) is not None:
        keys.append(key)
    if SHINGLE_WORDS == 3:
        texts = {f"text {a} {b} {c}" for a, b, c in zip(found, found[1:], found[2:])}
    else:  # pragma: no cover - the general form, should the shingle's length change
        texts = {
            "text " + " ".join(found[at : at + SHINGLE_WORDS])
            for at in range(len(found) - SHINGLE_WORDS + 1)
        }
    if len(texts) >= MIN_SHINGLES:
        keys += [key & ~1 for key in _smallest_hashes(list(texts))]
    return Signature(terms, tuple(dict.fromkeys(keys)))


class Copy(NamedTuple):
    """What deciding that two articles are the same story needs of each."""

    id: int
    url: str | None
    title: str
    excerpt: str
    provider: str


class Sameness(NamedTuple):
    """What :func:`same_story` compares of one article, worked out once however many pairs it is
    in (a key shared by 50 articles makes over a thousand pairs)."""

    url: str | None
    provider: str
    shingles: frozenset[tuple[str, ...]]


def sameness(copy: Copy) -> Sameness:
    """The normalised address, the provider without case, and the text's shingles."""
    return Sameness(
        normal_url(copy.url) if copy.url else None,
        copy.provider.casefold(),
        shingles(f"{copy.title}\n{copy.excerpt}"),
    )


def same(a: Sameness, b: Sameness, threshold: float = THRESHOLD) -> bool:
    """:func:`same_story` for articles already reduced to their :func:`sameness`."""
    if a.url and b.url and a.url == b.url:
        return True
    if a.provider == b.provider:
        return False
    first, second = a.shingles, b.shingles
    if min(len(first), len(second)) < MIN_SHINGLES:
        return False
    shared = len(first & second)
    return shared >= threshold * (len(first) + len(second) - shared)


def same_story(a: Copy, b: Copy, threshold: float = THRESHOLD) -> bool:
    """Same address after normalisation, or near-identical text from two different providers.

    Articles that merely share a topic or a few phrases are not the same story:
    it takes ``threshold`` of their word shingles in common.
    """
    return same(sameness(a), sameness(b), threshold)
