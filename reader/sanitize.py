"""Make untrusted text from article files safe to store and show.

Every string read from a file goes through :func:`clean` before it reaches the
model, so nothing downstream has to remember: no ANSI escape sequences, no C0
or C1 control characters, no bidirectional overrides that could reorder a
row on screen. Markup safety is the view's job (it never parses markup).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# ESC-introduced sequences (CSI, OSC, and two-byte escapes) and their 8-bit CSI.
_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]           # CSI ... final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC ... BEL or ST
    | \x1b[@-Z\\-_]                   # other two-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]           # 8-bit CSI
    """,
    re.VERBOSE,
)
# C0 controls except tab/newline, DEL, C1 controls, and bidi embedding/isolate controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Inside raw YAML we must keep \n, \r and \t: they are structure.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\r\n]+")


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def is_plain(text: str, allowed: str = "") -> bool:
    """Whether ``text`` is ASCII made only of printable characters and those in ``allowed``.

    One pass of C over the text's bytes, where ``str.isprintable`` looks up each
    character's class (a tenth of a file's parse, cleaning the text of each file
    a cold index reads), and stops at the first line break it finds.
    """
    return text.isascii() and not text.encode("ascii").translate(
        None, _PRINTABLE_ASCII + allowed.encode("ascii")
    )


def clean(text: str) -> str:
    """Remove escape sequences and control characters, keeping newlines and tabs."""
    if text.isprintable() or is_plain(text, "\t\n"):  # nothing to remove: the common case
        return text
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def clean_line(text: str) -> str:
    """:func:`clean`, then fold all whitespace to single spaces: for one-line fields."""
    if text.isprintable() and "  " not in text:  # nothing to remove or fold (no tab, no line)
        return text.strip()
    return _SPACES.sub(" ", clean(text)).strip()


def clean_raw(text: str) -> str:
    """Drop control characters a YAML parser refuses, before parsing.

    A real collection has U+0097 inside a quoted title; PyYAML rejects the
    whole document for it, so it is removed first. ESC goes too, leaving at
    worst a harmless ``[31m`` that :func:`clean` could no longer recognise;
    escape sequences are removed here whole so that does not happen.
    """
    if is_plain(text, "\n\t\r") or (
        text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()
    ):
        return text  # no control character at all: the common case, checked in C
    return _RAW_CONTROL.sub("", _ANSI.sub("", text))


def web_url(value: object) -> str | None:
    """Return ``value`` as a URL when it is an absolute http(s) URL, else None."""
    if not isinstance(value, str):
        return None
    url = clean_line(value)
    if not url or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
