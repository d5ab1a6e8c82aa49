"""What there is to read of an article: its body, its full text, or its excerpt.

One place decides, so the detail pane, the reader view and ``newsreader
show`` always show the same text: the file's own body when it has one,
else the full text downloaded for its URL (kept by
:class:`reader.fulltext.store.FullTextStore`), else the excerpt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.enclosure import describe, to_front_matter
from reader.entry import offered_topics
from reader.fulltext.store import FullText, FullTextStore

if TYPE_CHECKING:
    from reader.articles import Article

_WORD = re.compile(r"\w+")
_BLANK_LINES = re.compile(r"\n{3,}")

_IMAGE_LINK = re.compile(r"\[image(?:: [^\]]*)?\]\((?:<[^>]*>|[^)\s]*)\)")
_PLAIN_LINK = re.compile(r"\[([^\]]*)\]\((?:<[^>]*>|[^)\s]*)\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`{1,3})(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_FENCE = re.compile(r"^```.*$", re.MULTILINE)


def markdown_to_text(markdown: str) -> str:
    """The words of a Markdown body: links as their text, images and link targets left
    out, Markdown syntax removed (for pagers, pipes, search and comparisons)."""
    text = _PLAIN_LINK.sub(r"\1", _IMAGE_LINK.sub("", markdown))
    text = _FENCE.sub("", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


FILE, FULLTEXT, EXCERPT = "file", "fulltext", "excerpt"
"""Where a body came from (``body_source`` in ``show --format json``)."""


@dataclass(frozen=True)
class ArticleText:
    """An article's readable text as Markdown, and where it came from."""

    markdown: str
    source: str
    """:data:`FILE`, :data:`FULLTEXT` or :data:`EXCERPT`."""
    fulltext: FullText | None = None
    """What the full-text store knows of the URL (a failure's reason, say), if anything."""

    @property
    def text(self) -> str:
        """The words alone: no link targets, no image URLs, no Markdown syntax."""
        return markdown_to_text(self.markdown)


def article_text(article: Article, store: FullTextStore | None) -> ArticleText:
    """The text to show for ``article`` (see the module's order)."""
    known = store.get(article.url) if store is not None else None
    if article.body.strip():
        return ArticleText(article.body.strip(), FILE, known)
    if known is not None and known.ok:
        return ArticleText(known.markdown, FULLTEXT, known)
    return ArticleText(article.excerpt, EXCERPT, known)


def _published(article: Article) -> str | None:
    if article.published is None:
        return None
    return article.published.isoformat().replace("+00:00", "Z")


def as_json(article: Article, text: ArticleText) -> str:
    """One JSON object for ``show --format json``."""
    record = {
        "title": article.title,
        "url": article.url,
        "published": _published(article),
        "provider": article.provider.name,
        "domain": article.provider.domain,
        "type": article.type,
        "quality": article.quality,
        "topics": list(article.topics),
        "excerpt": article.excerpt,
        "body": text.markdown,
        "text": text.text,
        "body_source": text.source,
        "path": str(article.path) if article.path else None,
        "enclosure": to_front_matter(article.enclosure) if article.enclosure else None,
    }
    return json.dumps(record, ensure_ascii=False)


def _header(article: Article) -> list[tuple[str, str]]:
    fields = [("Title", article.title)]
    if article.provider.name or article.provider.domain:
        fields.append(("Source", article.provider.name or article.provider.domain))
    published = _published(article)
    if published:
        fields.append(("Published", published))
    if article.url:
        fields.append(("URL", article.url))
    if article.enclosure is not None:
        media = article.enclosure
        fields.append(("Media", f"{describe(media, article.type)} · {media.url}"))
    if topics := offered_topics(article.topics):  # machine tags stay in the file only
        fields.append(("Topics", ", ".join(topics)))
    return fields


def as_markdown(article: Article, text: ArticleText) -> str:
    """The article as Markdown: its fields as a header, then the body."""
    lines = [f"# {article.title}", ""]
    lines += [f"- **{name}:** {value}" for name, value in _header(article)[1:]]
    return "\n".join(lines).rstrip() + "\n\n" + text.markdown.strip() + "\n"


def as_text(article: Article, text: ArticleText) -> str:
    """The same as plain text, for pagers and pipes."""
    lines = [article.title, "=" * min(len(article.title), 80), ""]
    lines += [f"{name}: {value}" for name, value in _header(article)[1:]]
    return "\n".join(lines).rstrip() + "\n\n" + text.text.strip() + "\n"


WORDS_PER_MINUTE = 230
"""An adult's usual silent reading speed, for the reader view's "N min read"."""

_LINK = re.compile(
    r"(?<!\\)\[(?P<label>(?:\\.|[^\]\\])*)\]\((?P<url><[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\)"
    r"|<(?P<auto>https?://[^>\s]+|mailto:[^>\s]+)>"
)
"""An inline link ``[label](url "title")`` (the URL may hold one level of parentheses, as
Markdown allows), or an autolink ``<https://...>``."""


@dataclass(frozen=True)
class NumberedLinks:
    """A body whose links are numbered in the text, and the links in that order."""

    markdown: str
    """The body with each ``[text](url)`` written ``text [n]``."""
    links: tuple[str, ...]
    """Link ``n`` is ``links[n - 1]``; a URL linked twice keeps its first number."""


def number_links(markdown: str, first: tuple[str, ...] = ()) -> NumberedLinks:
    """Number the links of ``markdown`` for a reader who types a number to open one.

    ``first`` (an enclosure's URL) takes the first numbers, before the text's own links.
    """
    links: list[str] = list(dict.fromkeys(first))

    def number(url: str) -> int:
        if url not in links:
            links.append(url)
        return links.index(url) + 1

    def replace(match: re.Match[str]) -> str:
        if match.group("auto"):
            return f"{match.group('auto')} \\[{number(match.group('auto'))}\\]"
        label, url = match.group("label"), match.group("url").strip("<>")
        if not url:
            return label
        return f"{label} \\[{number(url)}\\]" if label else f"\\[{number(url)}\\]"

    text = _LINK.sub(replace, markdown)
    return NumberedLinks(text, tuple(links))


def reading_minutes(text: str) -> int:
    """Minutes a reader needs for ``text`` (at least one), counting words by their spaces."""
    return max(1, round(len(text.split()) / WORDS_PER_MINUTE))


PREVIEW_CHARS = 2000
"""The detail pane shows this much of a body; the reader view shows all of it."""


def preview(markdown: str, limit: int = PREVIEW_CHARS) -> tuple[str, int]:
    """The start of ``markdown`` for a pane that must stay quick, cut after a paragraph.

    Returns the preview and how many words were left out (0 when it is whole).
    """
    if len(markdown) <= limit:
        return markdown, 0
    cut = markdown.rfind("\n\n", 0, limit)
    if cut < limit // 2:
        cut = markdown.rfind(" ", 0, limit)
    cut = cut if cut > 0 else limit
    return markdown[:cut].rstrip(), len(_WORD.findall(markdown[cut:]))


_FENCE_LINE = re.compile(r"^\s{0,3}(```|~~~)")


def markdown_blocks(markdown: str) -> list[str]:
    """``markdown`` cut at blank lines into blocks (paragraphs, headings, lists, fenced code).

    A fenced code block stays whole even where it holds blank lines, so each
    block renders on its own as it would within the whole text (a loose
    list's items become one-item lists, drawn the same).
    """
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if _FENCE_LINE.match(line):
            fenced = not fenced
        if line.strip() or fenced:
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current).rstrip())
    return blocks
