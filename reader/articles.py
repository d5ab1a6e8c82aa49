"""The article model and the parser for one article file.

Plain Python only (no Textual): the index, the CLI and the tests all use it.
Parsing is lenient about what a person would forgive (odd dates, a topic
written as a string, junk in ``related``) and strict about what makes a file
unusable (no front matter, broken YAML, no title, not text, too big): those
raise :class:`ArticleError` with a one-line reason the caller records.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reader import front_matter
from reader.enclosure import Enclosure, from_front_matter
from reader.front_matter import Handler, TooDeepError
from reader.safe_open import FileTooLargeError, NotRegularFileError, read_regular_file
from reader.sanitize import clean, clean_line, clean_raw, web_url

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Files larger than this are skipped: no real article comes near it."""


class ArticleError(Exception):
    """A file that cannot be loaded as an article; ``str()`` is the one-line reason."""


@dataclass(frozen=True, slots=True)
class Provider:
    """Who published the article."""

    name: str = ""
    domain: str = ""
    logo: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """An image the article points at (never downloaded)."""

    url: str
    width: int | None = None
    height: int | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Related:
    """An item in an article's ``related`` list."""

    title: str
    excerpt: str = ""
    published: dt.datetime | None = None
    url: str | None = None
    provider: Provider = field(default_factory=Provider)
    quality: int | None = None
    type: str = "article"
    images: tuple[Image, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """One article file, cleaned and typed."""

    title: str
    path: Path | None = None
    excerpt: str = ""
    published: dt.datetime | None = None
    url: str | None = None
    amp_url: str | None = None
    cdn_amp_url: str | None = None
    type: str = "article"
    category: str = ""
    quality: int | None = None
    heat: int | None = None
    is_published: bool | None = None
    provider: Provider = field(default_factory=Provider)
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[Related, ...] = ()
    body: str = ""
    enclosure: Enclosure | None = None
    """The media file a podcast episode or video is played from (``enclosure:``), if valid."""


# --- field helpers -----------------------------------------------------------


def _text(value: Any) -> str:
    """A one-line string from a scalar; numbers are accepted, containers are not."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (str, int, float)):
        try:
            return clean_line(str(value))
        except ValueError:  # an int past str()'s 4,300 digits (0x and 5,000 hex digits)
            return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return ""


def _int(value: Any) -> int | None:
    """An integer from an int, a float or a numeric string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value.strip()))
        except (ValueError, OverflowError):
            return None
    return None


def parse_datetime(value: Any) -> dt.datetime | None:
    """A timezone-aware datetime; naive values are taken as UTC; junk gives None."""
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            result = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if result.tzinfo is None:
        result = result.replace(tzinfo=dt.UTC)
    try:  # 9999-12-31T23:59-05:00 is year 10000 in UTC: unusable by everything downstream
        result.astimezone(dt.UTC)
    except OverflowError:
        return None
    return result


def _str_list(value: Any) -> tuple[str, ...]:
    """Topics and tags: a list of strings, or one plain string; nulls dropped."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        text = _text(item)
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _provider(value: Any, with_logo: bool = True) -> Provider:
    if isinstance(value, dict):
        logo = None
        images = value.get("images") if with_logo else None
        if isinstance(images, list):
            for image in images:
                if isinstance(image, dict) and web_url(image.get("url")):
                    logo = web_url(image.get("url"))
                    break
        return Provider(_text(value.get("name")), _text(value.get("domain")), logo)
    return Provider(name=_text(value))


def _images(value: Any) -> tuple[Image, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict) and (url := web_url(item.get("url"))):
            out.append(
                Image(
                    url, _int(item.get("width")), _int(item.get("height")), _text(item.get("title"))
                )
            )
    return tuple(out)


def _url(data: dict[str, Any]) -> str | None:
    """The URL to open: originalUrl, else webUrl, else sourceUrl."""
    return (
        web_url(data.get("originalUrl"))
        or web_url(data.get("webUrl"))
        or web_url(data.get("sourceUrl"))
    )


def _related(value: Any) -> tuple[Related, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if not isinstance(item, dict):
            continue
        title = _text(item.get("title"))
        if not title:
            continue
        url = _url(item)
        out.append(
            Related(
                title=title,
                excerpt=_text(item.get("excerpt")),
                published=parse_datetime(item.get("publishedDateTime")),
                url=url,
                provider=_provider(item.get("provider")),
                quality=_int(item.get("quality")),
                type=_text(item.get("type")) or "article",
                images=_images(item.get("images")),
            )
        )
    return tuple(out)


def _heat(value: Any) -> int | None:
    heat = _int(value)
    return None if heat is None or heat < 0 else heat


# --- parsing -----------------------------------------------------------------


# ``parse`` (python-frontmatter's, done sooner) rather than its ``loads``: ``loads`` passes the
# metadata as keyword arguments, so a field named ``content`` or a numeric key broke the file.
_YAML = Handler()
_INDEX_YAML = Handler(
    reads=frozenset(
        {"title", "excerpt", "publishedDateTime", "originalUrl", "webUrl", "sourceUrl", "type"}
        | {"quality", "heat", "published", "provider", "topics"}
    )
)
"""For ``complete=False``: the fields :func:`parse_text` reads then (see ``front_matter.load``)."""


def parse_text(text: str, path: Path | None = None, *, complete: bool = True) -> Article:
    """Build an :class:`Article` from the text of a file, or raise :class:`ArticleError`.

    ``complete=False`` leaves out what the index does not keep (related items,
    images, the provider's logo, tags, category, the enclosure and the AMP
    addresses): a third of the work of a file once its YAML is read. What is
    kept, and whether the file is a skip, are the same either way.
    """
    text = clean_raw(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.startswith("---"):
        raise ArticleError("no front matter (the file must start with a '---' line)")
    try:
        data, content = front_matter.parse(text, _YAML if complete else _INDEX_YAML)
    except TooDeepError as exc:
        raise ArticleError(str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ArticleError(
            f"front matter is not valid YAML{where}: {clean_line(str(problem))}"
        ) from None
    except (ValueError, TypeError) as exc:  # a safety net: one odd value must not escape as a crash
        raise ArticleError(f"front matter cannot be read: {clean_line(str(exc))[:80]}") from None
    if not isinstance(data, dict) or not data:
        raise ArticleError("front matter is empty or not a mapping")
    title = _text(data.get("title"))
    if not title:
        raise ArticleError("no usable title")
    flag = data.get("published")
    return Article(
        title=title,
        path=path,
        excerpt=_text(data.get("excerpt")),
        published=parse_datetime(data.get("publishedDateTime")),
        url=_url(data),
        type=_text(data.get("type")) or "article",
        quality=_int(data.get("quality")),
        heat=_heat(data.get("heat")),
        is_published=flag if isinstance(flag, bool) else None,
        provider=_provider(data.get("provider"), with_logo=complete),
        topics=_str_list(data.get("topics")),
        body=clean(content).strip(),
        **(_the_rest(data) if complete else {}),
    )


def _the_rest(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of an :class:`Article` that only a complete parse fills."""
    return {
        "amp_url": web_url(data.get("ampWebUrl")) or web_url(data.get("ampUrl")),
        "cdn_amp_url": web_url(data.get("cdnAmpWebUrl")) or web_url(data.get("cdnAmpUrl")),
        "category": _text(data.get("category")),
        "tags": _str_list(data.get("tags")),
        "images": _images(data.get("images")),
        "related": _related(data.get("related")),
        "enclosure": from_front_matter(data.get("enclosure")),
    }


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a file as UTF-8 text, refusing what is not a regular, small, text file.

    The file is opened through :mod:`reader.safe_open`: a FIFO, socket or
    device named ``*.md`` is refused with its kind, never opened to wait on.
    A symlink to a regular file is read wherever it points.
    """
    try:
        raw = read_regular_file(path, limit=MAX_FILE_BYTES)
    except FileNotFoundError:
        reason = "broken symlink" if os.path.islink(path) else "file vanished"
        raise ArticleError(reason) from None
    except FileTooLargeError as exc:
        raise ArticleError(str(exc.strerror)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ArticleError("symlink loop") from None
        if isinstance(exc, NotRegularFileError):
            raise ArticleError(str(exc.strerror)) from None
        raise ArticleError(f"cannot read: {exc.strerror or exc}") from None
    return text_of(raw)


def text_of(raw: bytes) -> str:
    """A file's bytes as text, as :func:`read_text` takes them: no NUL, UTF-8."""
    if b"\x00" in raw:
        raise ArticleError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not UTF-8 text (bad byte at offset {exc.start})") from None


def load_article(path: Path, *, complete: bool = True) -> Article:
    """Read and parse one file; raise :class:`ArticleError` with the reason to skip it.

    ``complete``: see :func:`parse_text`.
    """
    return parse_text(read_text(path), path, complete=complete)
