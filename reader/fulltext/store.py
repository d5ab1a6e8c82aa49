"""Extracted full texts, and failures, kept in the cache's dot-folder by URL.

One small JSON file per URL under ``<cache>/.newsreader/fulltext/``, named
by a hash of the URL, written atomically. A failure is kept too, with its
one-line reason, so a page that cannot be read is not fetched again on
every visit (``X`` and ``fulltext --retry`` ask again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from reader.atomic import write_text
from reader.paths import OWN_DIR_NAME
from reader.safe_open import read_regular_file
from reader.sanitize import clean, clean_line

FOLDER = "fulltext"

MAX_FILE_BYTES = 32 * 1024 * 1024
"""A stored text larger than this is not ours (pages are capped at 5 MiB): it is not read."""


@dataclass(frozen=True)
class FullText:
    """What is known of one URL's page: its article as Markdown, or why there is none."""

    url: str
    markdown: str = ""
    error: str = ""
    """The one-line reason the last attempt failed ("" when it succeeded)."""
    extractor: str = ""
    fetched: str = ""
    """When it was fetched, ISO 8601 UTC."""

    @property
    def ok(self) -> bool:
        """Whether an article text was found."""
        return not self.error and bool(self.markdown)


class FullTextStore:
    """The full texts of one cache."""

    def __init__(self, cache: Path) -> None:
        self.folder = cache / OWN_DIR_NAME / FOLDER

    def _path(self, url: str) -> Path:
        return (
            self.folder / f"{hashlib.sha256(url.encode('utf-8', 'replace')).hexdigest()[:32]}.json"
        )

    def get(self, url: str | None) -> FullText | None:
        """What is stored for ``url``; None when nothing is (or it cannot be read)."""
        if not url:
            return None
        try:
            raw = read_regular_file(self._path(url), limit=MAX_FILE_BYTES)
            data = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError):  # also a FIFO or device in its place: never opened
            return None
        if not isinstance(data, dict) or data.get("url") != url:
            return None  # a hash collision or a foreign file: not this URL's text
        return FullText(
            url=url,
            markdown=clean(str(data.get("markdown") or "")),
            error=clean_line(str(data.get("error") or "")),
            extractor=clean_line(str(data.get("extractor") or "")),
            fetched=clean_line(str(data.get("fetched") or "")),
        )

    def texts(self, urls: list[str]) -> dict[str, str]:
        """The Markdown texts found for ``urls`` (failures left out), by URL.

        The folder is listed once, so asking for many URLs of which few have a
        text (a scan of a big cache) costs one listing, not a failed open each.
        """
        if not urls:
            return {}
        try:
            present = set(os.listdir(self.folder))
        except OSError:
            return {}
        found = {}
        for url in urls:
            if self._path(url).name in present and (known := self.get(url)) and known.ok:
                found[url] = known.markdown
        return found

    def put(self, result: FullText) -> FullText:
        """Keep ``result`` (stamped with the time now); raises OSError when it cannot be written."""
        stamped = FullText(
            url=result.url,
            markdown=result.markdown,
            error=result.error,
            extractor=result.extractor,
            fetched=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        data = {
            "url": stamped.url,
            "markdown": stamped.markdown,
            "error": stamped.error,
            "extractor": stamped.extractor,
            "fetched": stamped.fetched,
        }
        write_text(self._path(result.url), json.dumps(data, ensure_ascii=False) + "\n")
        return stamped
