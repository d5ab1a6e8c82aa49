"""Turn the strings a feed hands us into plain, safe, one-line text.

Feeds are written by strangers: titles carry HTML, ANSI escapes and stray
C1 bytes, links can be ``javascript:``. Everything a feed says passes through
here before it is written to an article file. The general rules (what counts
as a control character, what counts as a web URL) live in
:mod:`reader.sanitize` so the article parser and the fetcher agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin

from reader.sanitize import clean_line, web_url

EXCERPT_CHARS = 400
"""Excerpts are trimmed to about this many characters, on a word boundary."""

# Every Unicode space (NBSP, line separator, ...), not only ASCII whitespace.
_WHITESPACE = re.compile(r"\s+")
# Lone surrogates (possible from JSON "\ud800") cannot be encoded as UTF-8.
_SURROGATES = re.compile("[\ud800-\udfff]")

# Elements whose text is never shown to a reader.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "title"})
# Elements that end a run of text, so "<p>a</p><p>b</p>" reads "a b", not "ab".
_BREAKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)


def line(value: object) -> str:
    """``value`` as one clean line of text: no controls, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    return _WHITESPACE.sub(" ", clean_line(_SURROGATES.sub("", value))).strip()


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden_depth += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def html_to_text(value: object) -> str:
    """The visible text of an HTML fragment as one clean line.

    Plain text goes through unchanged apart from entity decoding, so it is
    safe to call on fields that may or may not hold markup.
    """
    if not isinstance(value, str) or not value:
        return ""
    extractor = _TextExtractor()
    try:
        extractor.feed(value)
        extractor.close()
    except Exception:  # html.parser is lenient; this is only a last resort
        return line(value)
    return line("".join(extractor.parts))


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    """Trim ``text`` to about ``limit`` characters on a word boundary, adding an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def excerpt(html: object, limit: int = EXCERPT_CHARS) -> str:
    """A plain-text excerpt of an HTML summary."""
    return shorten(html_to_text(html), limit)


def absolute_web_url(value: object, base: str | None = None) -> str | None:
    """``value`` resolved against ``base`` when it is an http(s) URL, else None.

    ``javascript:``, ``data:``, ``file:`` and anything unparsable give None,
    so no such link is ever written to an article.
    """
    text = line(value)
    if not text:
        return None
    if base:
        try:
            text = urljoin(base, text)
        except ValueError:
            return None
    return web_url(text)


def unique_lines(values: Iterable[object]) -> list[str]:
    """Each value as a clean line; empties and case-blind repeats dropped, first spelling kept."""
    seen: set[str] = set()
    result: list[str] = []
    for value in values:
        text = line(value)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result
