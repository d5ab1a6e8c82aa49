"""What the last fetch of each feed did, for ``newsreader feeds list`` and the refresh schedule.

Besides the last result it keeps what :mod:`reader.feeds.schedule` needs:
the failures in a row (the back-off), and what the server asked for
(``Retry-After``: not before; ``Cache-Control: max-age``: fresh until).

Kept in a small JSON file of its own beside the HTTP state
(``feed_status.json``), not inside :class:`~reader.feeds.http.HttpState`:
that file is thrown away whenever its ``STATE_VERSION`` is bumped (to force
a full download) and drops a feed that sends no validators, while a feed's
history must survive both. Keyed by cache like the HTTP state, since the
article counts it helps find belong to one cache. Every field is optional
when read, so a file from an older version (or a hand-edited one) still reads.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reader.atomic import write_text
from reader.feeds.text import line

STATUS_FILE = "feed_status.json"
_TEXT_CHARS = 300
_MAX_FAILURES = 1000


@dataclass(frozen=True)
class FeedStatus:
    """The last fetch of one feed, and what it taught us about the feed."""

    title: str = ""
    """The feed's own title at the last fetch that read it."""
    domain: str = ""
    """The folder under ``<cache>/feeds`` its articles are written to."""
    provider: str = ""
    """The provider name its articles were written with (tells apart feeds sharing a folder)."""
    fetched_at: dt.datetime | None = None
    """When the last fetch of it ended (UTC)."""
    ok: bool = False
    """Whether that fetch succeeded (a 304 Not Modified counts)."""
    result: str = ""
    """``ok: 12 new``, ``not modified``, or the one-line reason it failed."""
    failures: int = 0
    """Fetches that failed in a row, up to the last one (0 after a success): the back-off."""
    not_before: dt.datetime | None = None
    """When its server (429/503 with ``Retry-After``) allows asking again, if it said."""
    fresh_until: dt.datetime | None = None
    """Until when its last answer said it stays fresh (``Cache-Control: max-age``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "domain": self.domain,
            "provider": self.provider,
            "fetched_at": iso(self.fetched_at),
            "ok": self.ok,
            "result": self.result,
            "failures": self.failures,
            "not_before": iso(self.not_before),
            "fresh_until": iso(self.fresh_until),
        }

    @classmethod
    def from_json(cls, data: object) -> FeedStatus:
        """Whatever of ``data`` is usable; anything missing or odd is left empty."""
        if not isinstance(data, dict):
            return cls()

        def text(name: str) -> str:
            value = data.get(name)
            return line(value)[:_TEXT_CHARS] if isinstance(value, str) else ""

        ok, failures = data.get("ok"), data.get("failures")
        if isinstance(failures, bool) or not isinstance(failures, int):
            failures = 0
        return cls(
            title=text("title"),
            domain=text("domain"),
            provider=text("provider"),
            fetched_at=_parse_time(data.get("fetched_at")),
            ok=ok if isinstance(ok, bool) else False,
            result=text("result"),
            failures=min(max(failures, 0), _MAX_FAILURES),
            not_before=_parse_time(data.get("not_before")),
            fresh_until=_parse_time(data.get("fresh_until")),
        )


def iso(when: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, to the second (as ``list --json`` prints dates)."""
    if when is None:
        return None
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


class StatusStore:
    """The :class:`FeedStatus` of each feed of one cache, in one JSON file."""

    def __init__(self, path: Path, cache: Path) -> None:
        self.path = path
        self._cache_key = str(cache.expanduser().absolute())
        self._changed: dict[str, FeedStatus] = {}
        self._known = self._read().get(self._cache_key, {})

    def _read(self) -> dict[str, dict[str, Any]]:
        """The file's ``caches`` table; empty when absent, unreadable or not ours."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        caches = data.get("caches") if isinstance(data, dict) else None
        if not isinstance(caches, dict):
            return {}
        return {key: value for key, value in caches.items() if isinstance(value, dict)}

    def get(self, url: str) -> FeedStatus:
        """What is known of ``url`` (empty when it was never fetched into this cache)."""
        if url in self._changed:
            return self._changed[url]
        return FeedStatus.from_json(self._known.get(url))

    def record(
        self,
        url: str,
        *,
        ok: bool,
        result: str,
        title: str | None = None,
        domain: str | None = None,
        provider: str | None = None,
        when: dt.datetime | None = None,
        retry_after: float | None = None,
        max_age: float | None = None,
    ) -> None:
        """Remember one fetch of ``url``; what it did not learn (a failure) stays as it was.

        A failure adds one to the feed's failures in a row (a success resets
        them); ``retry_after`` (a failure) and ``max_age`` (a success) are
        seconds from ``when``, already capped by the caller.
        """
        before = self.get(url)
        when = when or dt.datetime.now(dt.UTC)
        failures = 0 if ok else min(before.failures + 1, _MAX_FAILURES)
        not_before = None
        if not ok and retry_after is not None:
            not_before = when + dt.timedelta(seconds=retry_after)
        fresh_until = None
        if ok and max_age:
            fresh_until = when + dt.timedelta(seconds=max_age)
        self._changed[url] = replace(
            before,
            title=before.title if title is None else line(title)[:_TEXT_CHARS],
            domain=before.domain if domain is None else domain,
            provider=before.provider if provider is None else line(provider)[:_TEXT_CHARS],
            fetched_at=when,
            ok=ok,
            result=line(result)[:_TEXT_CHARS],
            failures=failures,
            not_before=not_before,
            fresh_until=fresh_until,
        )

    def save(self) -> None:
        """Write the changes atomically; raises OSError when that is impossible.

        The file is read again first and only the feeds recorded by this run
        are replaced, so two fetches at once (the reader and the CLI) keep
        each other's results.
        """
        if not self._changed:
            return
        caches = self._read()
        feeds = caches.setdefault(self._cache_key, {})
        feeds.update({url: status.to_json() for url, status in self._changed.items()})
        data = {"version": 1, "caches": caches}
        write_text(self.path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        self._known = feeds
        self._changed.clear()
