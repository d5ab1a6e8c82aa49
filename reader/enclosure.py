"""A podcast's or video's media file (an enclosure), and how it is described.

One home for what an enclosure is, used by the fetcher that writes it, the
parser that reads it back from an article file (where it is untrusted: a
person or a script may have written the file), the detail pane and
``newsreader show``. Standard library only.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from reader.sanitize import clean_line, web_url

MEDIA_KINDS = ("audio", "video")
"""The article ``type`` values an enclosure gives, and the kinds of media the reader plays."""

MAX_LENGTH = 10**15
"""Sizes at or above this (a petabyte) are nonsense; they are dropped, never shown."""

_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_UNITS = ("kB", "MB", "GB", "TB")
# The media files feeds attach, by file name: a fixed table, so a guess never depends on the
# machine's mime.types (Python's own table lacks .ogg and .m4a).
_BY_EXTENSION = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/opus",
    ".flac": "audio/flac",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".mov": "video/quicktime",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A media file attached to an entry: where it is, what it is, how big."""

    url: str
    """An absolute http(s) URL: nothing else is ever kept."""
    type: str = ""
    """The MIME type (``audio/mpeg``), lower-case without parameters, or "" when unknown."""
    length: int | None = None
    """Its size in bytes, when known (a feed's ``0`` means unknown, so it is None)."""

    @property
    def kind(self) -> str:
        """``audio``, ``video``, or the MIME type's first part (``image``, ``application``)."""
        return self.type.partition("/")[0] if self.type else ""


def mime_type(value: object) -> str:
    """``value`` as a bare lower-case MIME type (``audio/mpeg``), or "" when it is none."""
    if not isinstance(value, str):
        return ""
    text = clean_line(value).split(";", 1)[0].strip().lower()
    return text if _MIME.fullmatch(text) else ""


def length(value: object) -> int | None:
    """A size in bytes from an int or a digit string; zero, negatives and junk give None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None
    if isinstance(value, int) and 0 < value < MAX_LENGTH:
        return value
    return None


def make(url: object, type_: object = "", size: object = None) -> Enclosure | None:
    """An :class:`Enclosure` when ``url`` is an absolute http(s) URL, else None.

    An absent type is guessed from the URL's file name (``.mp3`` is
    ``audio/mpeg``), as podcast apps do for feeds that leave it out.
    """
    safe = web_url(url)
    if safe is None:
        return None
    kind = mime_type(type_)
    if not kind:
        extension = posixpath.splitext(urlsplit(safe).path)[1].lower()
        kind = _BY_EXTENSION.get(extension, "")
    return Enclosure(safe, kind, length(size))


def from_front_matter(value: Any) -> Enclosure | None:
    """The ``enclosure:`` mapping of an article file, validated; anything else gives None."""
    if not isinstance(value, dict):
        return None
    return make(value.get("url"), value.get("type"), value.get("length"))


def to_front_matter(enclosure: Enclosure) -> dict[str, object]:
    """``{url, type, length}`` for an article file, leaving out what is unknown."""
    data: dict[str, object] = {"url": enclosure.url}
    if enclosure.type:
        data["type"] = enclosure.type
    if enclosure.length is not None:
        data["length"] = enclosure.length
    return data


def first_media(enclosures: tuple[Enclosure, ...]) -> Enclosure | None:
    """The first audio or video enclosure: the one an article is played with."""
    return next((e for e in enclosures if e.kind in MEDIA_KINDS), None)


def human_size(size: int) -> str:
    """``45200000`` -> ``45.2 MB`` (decimal units, as players and shops show them)."""
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in _UNITS:
        value /= 1000
        if value < 999.95 or unit == _UNITS[-1]:
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def describe(enclosure: Enclosure, kind: str = "") -> str:
    """One line for the reader: ``▶ Audio · audio/mpeg · 45.2 MB``.

    ``kind`` (the article's type) names it when the MIME type does not say.
    """
    name = enclosure.kind if enclosure.kind in MEDIA_KINDS else kind
    parts = [f"▶ {name.capitalize() if name in MEDIA_KINDS else 'Media'}"]
    if enclosure.type:
        parts.append(enclosure.type)
    if enclosure.length is not None:
        parts.append(human_size(enclosure.length))
    return " · ".join(parts)
