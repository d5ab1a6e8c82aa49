"""Find the article in a web page and give it back as safe Markdown.

trafilatura is the main extractor (the best single open-source extractor on
public benchmarks), asked for precision and without reader comments.
readability-lxml is the second opinion: when trafilatura finds little, or
when readability's text holds nearly all of trafilatura's and much more
(trafilatura stopped short of the end of the story), readability's is
taken. Both hand over HTML, which :mod:`reader.html_markdown` turns into
Markdown under the same safety rules as feed content. Scores on a
benchmark of real pages are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

from reader.article_text import markdown_to_text
from reader.html_markdown import html_to_markdown

MIN_WORDS = 20
"""Fewer words than this is a menu or a search box, not an article."""
FEW_WORDS = 50
"""A result with fewer words than this is "little": the other extractor is asked."""
CONTAINED = 0.9
"""Share of trafilatura's 4-word shingles that readability's text must also hold..."""
LONGER = 1.5
"""...while being this many times longer, for readability's text to be preferred."""

_WORDS = re.compile(r"\w+")


class NoArticle(Exception):
    """No article text was found on the page; ``str()`` says so in one line."""


@dataclass(frozen=True)
class Extracted:
    """An article's text as Markdown, and which extractor found it."""

    markdown: str
    extractor: str


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORDS.findall(text.casefold())
    return Counter(tuple(words[i : i + 4]) for i in range(max(0, len(words) - 3)))


def _with_trafilatura(page: bytes | str, url: str | None) -> str:
    import trafilatura

    html = trafilatura.extract(
        page,
        url=url,
        output_format="html",
        favor_precision=True,
        include_comments=False,
        include_links=True,
        include_images=False,
        include_tables=True,
    )
    return html_to_markdown(html or "", url)


def _with_readability(page: bytes | str, url: str | None) -> str:
    from readability import Document

    try:
        html = Document(page, url=url).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - a page readability cannot parse has no article for it
        return ""
    return html_to_markdown(html or "", url)


def choose(first: str, second: str) -> int:
    """Which of two extractions (as plain text) to keep: 0 for ``first``, 1 for ``second``."""
    first_words, second_words = len(_WORDS.findall(first)), len(_WORDS.findall(second))
    if first_words < FEW_WORDS:
        return 1 if second_words > first_words else 0
    mine = _shingles(first)
    shared = sum((mine & _shingles(second)).values())
    if shared >= CONTAINED * sum(mine.values()) and second_words > LONGER * first_words:
        return 1
    return 0


def extract_article(page: bytes | str, url: str | None = None) -> Extracted:
    """The article of ``page`` (fetched from ``url``); :class:`NoArticle` when there is none."""
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are for crawlers
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    found = [
        Extracted(_with_trafilatura(page, url), "trafilatura"),
        Extracted(_with_readability(page, url), "readability"),
    ]
    best = found[choose(*(markdown_to_text(f.markdown) for f in found))]
    if len(_WORDS.findall(markdown_to_text(best.markdown))) < MIN_WORDS:
        raise NoArticle("no article text found on the page")
    return best
