"""Which files in a feed's folder are the program's own, and what pruning needs of each.

A file is the program's own only when all of this holds:

- it is a ``*.md`` file directly in ``<cache>/feeds/<domain>/``, and a
  regular file (``lstat``: a link, whatever it points at, is not), in a
  folder that is itself no link;
- if the ledger recorded it (:mod:`reader.feeds.ledger`), it still has the
  size and modification time it had just after the program wrote it: one
  edited since is the user's;
- if the ledger does not know it (written before the ledger existed), it
  carries the writer's own marks: a 16-hex-digit stable id as its name,
  ``category: news`` and ``provider.domain`` equal to its folder.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reader.articles import parse_datetime
from reader.feeds.ledger import Ledger, mark_of
from reader.feeds.store import FEEDS_DIR, ID_CHARS
from reader.feeds.text import line
from reader.safe_open import read_regular_head
from reader.sanitize import web_url

WRITTEN_NAME = re.compile(rf"[0-9a-f]{{{ID_CHARS}}}\.md\Z")
"""The name the writer gives a file: its stable id."""
_HEAD_BYTES = 64 * 1024
_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every value a string: no type surprises
_TOP_FIELDS = frozenset({"category", "publishedDateTime", "originalUrl", "webUrl", "sourceUrl"})
_PROVIDER_CHARS = 300  # as the feeds' status keeps the provider name


@dataclass(frozen=True)
class Candidate:
    """One of a feed's own article files."""

    path: Path
    relative: str
    """Relative to the cache, ``/`` separated: the ledger's name and the index's."""
    key: str
    """What its read and starred marks are keyed by (its URL, else its path)."""
    when: float
    """Its ``publishedDateTime`` as a POSIX timestamp, else the file's modification time."""
    provider: str
    info: os.stat_result


def own_files(cache: Path, domain: str, ledger: Ledger) -> tuple[list[Candidate], str]:
    """The program's own article files in one feed folder, and a warning when it cannot be read."""
    folder = cache / FEEDS_DIR / domain
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return [], ""  # a link to a folder elsewhere: nothing in it was written here
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if entry.name.endswith(".md"))
    except FileNotFoundError:
        return [], ""
    except OSError as exc:
        return [], f"cannot read {folder}: {exc.strerror or exc}"
    found = []
    for name in names:
        path = folder / name
        relative = f"{FEEDS_DIR}/{domain}/{name}"
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        recorded = ledger.get(relative)
        if recorded is not None and recorded != mark_of(info):
            continue  # changed since the program wrote it: the user's now
        if recorded is None and not WRITTEN_NAME.match(name):
            continue
        data = front_matter(path, own_layout=recorded is not None)
        if data is None:
            continue
        provider = data.get("provider")
        provider = provider if isinstance(provider, dict) else {}
        written_here = data.get("category") == "news" and provider.get("domain") == domain
        if recorded is None and not written_here:
            continue
        published = parse_datetime(data.get("publishedDateTime"))
        found.append(
            Candidate(
                path=path,
                relative=relative,
                key=_url(data) or relative,
                when=published.timestamp() if published is not None else info.st_mtime,
                provider=line(provider.get("name"))[:_PROVIDER_CHARS],
                info=info,
            )
        )
    return found, ""


def front_matter(path: Path, *, own_layout: bool) -> dict[str, Any] | None:
    """A file's front matter, every value a string; None when it has none that parses.

    ``own_layout``: the file is as the writer wrote it (the ledger says so),
    so the few fields pruning needs are read from their lines, some 30 times
    faster than parsing the YAML; any other file is parsed in full.
    """
    try:
        text = read_regular_head(path, _HEAD_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    if own_layout:
        return _own_fields(text[4:end])
    try:
        data = yaml.load(text[4 : end + 1], Loader=_Loader)  # noqa: S506 - BaseLoader is safe
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _own_fields(block: str) -> dict[str, Any]:
    """The fields pruning needs, from front matter laid out as ``yaml.safe_dump`` writes it."""
    data: dict[str, Any] = {}
    provider: dict[str, str] | None = None
    for row in block.split("\n"):
        if provider is not None and row.startswith("  "):
            key, found, value = row[2:].partition(":")
            if found and key in ("name", "domain"):
                provider[key] = _scalar(value.strip())
            continue
        provider = None
        key, found, value = row.partition(":")
        if key == "provider" and not value.strip():
            provider = data["provider"] = {}
        elif found and key in _TOP_FIELDS:
            data[key] = _scalar(value.strip())
    return data


def _scalar(value: str) -> str:
    """A one-line YAML scalar as text (quoted ones unquoted by YAML itself)."""
    if value[:1] not in ("'", '"'):
        return value
    try:
        loaded = yaml.load(value, Loader=_Loader)  # noqa: S506 - BaseLoader is safe
    except yaml.YAMLError:
        return ""
    return loaded if isinstance(loaded, str) else ""


def _url(data: dict[str, Any]) -> str | None:
    """The URL the index keys the article by (the same fields, in the same order)."""
    return (
        web_url(data.get("originalUrl"))
        or web_url(data.get("webUrl"))
        or web_url(data.get("sourceUrl"))
    )
