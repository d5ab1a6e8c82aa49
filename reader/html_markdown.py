"""Turn an untrusted HTML fragment (a feed entry's content, later a web page's
article) into safe Markdown for an article's body.

markdownify does the conversion: it is maintained, MIT-licensed, built on
BeautifulSoup (which copes with the broken HTML feeds carry), and lets each
element's rendering be overridden, which is what the safety rules below
need. html2text, the other common choice, is GPL-licensed.

The rules: nothing executable or interactive survives (scripts, styles,
frames, forms, embeds); tracking pixels go; images become plain links
``[image: alt](url)`` so no terminal or viewer fetches them on its own;
links keep their text and survive only when they are http(s) or mailto;
relative links are made absolute against the page they came from; control
characters and escape sequences are removed from the result.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from reader.sanitize import clean, clean_line, web_url

MAX_BODY_CHARS = 512 * 1024
"""A longer body is cut at a paragraph: article files over 2 MiB are refused when read."""

DROPPED = (
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "canvas",
    "head",
    "title",
    "meta",
    "link",
    "base",
    "audio",
    "video",
    "source",
    "track",
    "map",
)
"""Elements removed with everything inside them."""

_PIXEL_SRC = re.compile(
    r"feedburner\.com/~r/|/~ff/|pixel|beacon|/track(ing)?[/?.]|stats\.wordpress\.com|"
    r"doubleclick\.net|/open\.gif|/1x1\.",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACES = re.compile(r"[ \t]+\n")


def _absolute(value: object, base: str | None) -> str | None:
    """``value`` resolved against ``base``, as written in an ``href`` or ``src``."""
    if not isinstance(value, str):
        return None
    value = clean_line(value)
    if not value:
        return None
    try:
        return urljoin(base, value) if base else value
    except ValueError:
        return None


def _is_pixel(img) -> bool:
    """A tracking pixel: 0 or 1 pixel wide or high, or served from a known counter."""
    for name in ("width", "height"):
        size = str(img.get(name) or "").strip().removesuffix("px")
        if size in ("0", "1"):
            return True
    return bool(_PIXEL_SRC.search(str(img.get("src") or "")))


def _label(text: str) -> str:
    """Link or image text that cannot break out of its brackets."""
    return clean_line(text).replace("[", "(").replace("]", ")")


class _SafeConverter(MarkdownConverter):
    """markdownify with links and images held to the rules of this module."""

    def __init__(self, base: str | None, **options) -> None:
        super().__init__(**options)
        self.base = base

    def convert_a(self, el, text, parent_tags):
        href = _absolute(el.get("href"), self.base)
        safe = web_url(href) if href else None
        if href and safe is None and urlsplit(href).scheme.lower() == "mailto":
            safe = href
        label = _label(text)
        if not safe or not label:
            return text
        return f"[{label}](<{safe}>)" if (" " in safe or ")" in safe) else f"[{label}]({safe})"

    def convert_img(self, el, text, parent_tags):
        src = web_url(_absolute(el.get("src"), self.base))
        if src is None or _is_pixel(el):
            return ""
        alt = _label(str(el.get("alt") or el.get("title") or ""))
        return f"[image: {alt}]({src})" if alt else f"[image]({src})"


def html_to_markdown(html: str, base: str | None = None) -> str:
    """``html`` as safe Markdown (see the module's rules); ``base`` resolves relative links."""
    if not html or not html.strip():
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(DROPPED):
        element.decompose()
    converter = _SafeConverter(base, heading_style="ATX", bullets="-", escape_misc=False)
    text = converter.convert_soup(soup)
    return tidy(text)


def text_to_markdown(text: str) -> str:
    """Plain text (JSON Feed's ``content_text``) as a body: cleaned, paragraphs kept."""
    return tidy(text or "")


def tidy(markdown: str) -> str:
    """No control characters, no runs of blank lines, no trailing spaces; cut when too long."""
    text = clean(markdown).replace("\r", "\n").replace("\u00a0", " ")
    text = _TRAILING_SPACES.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if len(text) > MAX_BODY_CHARS:
        cut = text.rfind("\n\n", 0, MAX_BODY_CHARS)
        text = text[: cut if cut > 0 else MAX_BODY_CHARS].rstrip() + "\n\n…"
    return text
