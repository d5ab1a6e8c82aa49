"""Download one feed politely and safely: conditional GET, caps and clear errors.

Every way a download can go wrong ends in :class:`DownloadError` whose text
is a one-line reason for the user ("HTTP 404 Not Found", "timed out after
20 s"); nothing else escapes :func:`download`. The timeout is one deadline
for the whole request (connecting, redirects, headers, body) and the size
cap counts decoded bytes as they stream (:mod:`reader.netlimits`), so
neither a server that drips nor a compression bomb can hold a fetch up.
The ETag / Last-Modified of each feed are kept in a small JSON file
(:class:`HttpState`) so the next fetch can be answered with ``304 Not
Modified``. What a server says about when to come back (``Retry-After`` on
429 and 503, ``Cache-Control: max-age``) is handed up in seconds, for
:mod:`reader.feeds.schedule` to honour.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from reader import __version__
from reader.atomic import write_text
from reader.feeds.schedule import max_age_seconds, retry_after_seconds
from reader.feeds.text import line
from reader.netlimits import ACCEPT_ENCODING, BodyError, read_body

USER_AGENT = f"newsreader/{__version__} (terminal feed reader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
from reader.feeds.limits import Limits  # noqa: E402 - re-exported: the download's settings

STATE_FILE = "feed_http_state.json"
_MAX_VALIDATOR = 512


class DownloadError(Exception):
    """A feed could not be downloaded; ``str()`` is the one-line reason."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        """Seconds the server asked us to wait (429/503 with ``Retry-After``), capped."""


_RETRY_STATUSES = (429, 503)
"""The answers whose ``Retry-After`` says when to ask again (RFC 9110, RFC 6585)."""


@dataclass(frozen=True)
class Validators:
    """What the server told us last time, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """Request headers for a conditional GET."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    @classmethod
    def from_response(cls, response: httpx.Response) -> Validators:
        """The validators a response carries (header values kept only if sane)."""
        return cls(
            etag=_validator(response.headers.get("etag")),
            last_modified=_validator(response.headers.get("last-modified")),
        )


def _validator(value: str | None) -> str | None:
    if not value or len(value) > _MAX_VALIDATOR or not value.isascii() or not value.isprintable():
        return None
    return value


@dataclass(frozen=True)
class Download:
    """The outcome of one successful request."""

    url: str
    """The final URL, after redirects."""
    body: bytes | None
    """None when the server said 304 Not Modified."""
    content_type: str
    validators: Validators
    max_age: float | None = None
    """Seconds the answer stays fresh (``Cache-Control: max-age``, capped), if it said."""


def describe_error(exc: BaseException, limits: Limits) -> str:
    """A one-line, user-facing reason for an httpx or asyncio failure."""
    if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError, TimeoutError)):
        return f"timed out after {limits.timeout:g} s"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {limits.max_redirects})"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) URL (or redirected to one that is not)"
    if isinstance(exc, httpx.InvalidURL):
        return "invalid URL"
    message = line(str(exc))
    if isinstance(exc, httpx.ConnectError):
        return _connect_reason(exc, message)
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol: {message[:160] or 'no details'}"
    if isinstance(exc, httpx.DecodingError):
        return "could not decode the response body"
    if isinstance(exc, httpx.TransportError):
        return f"connection failed: {message[:160] or type(exc).__name__}"
    return f"download failed: {message[:160] or type(exc).__name__}"


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it was raised from (httpx wraps httpcore wraps the OSError)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connect_reason(exc: BaseException, message: str) -> str:
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "cannot resolve the host name (DNS)"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {line(str(cause))[:160]}"
    lowered = message.lower()
    if "name or service not known" in lowered or "name resolution" in lowered:
        return "cannot resolve the host name (DNS)"
    if "refused" in lowered:
        return "connection refused"
    return f"cannot connect: {message[:160] or type(exc).__name__}"


def make_client(limits: Limits) -> httpx.AsyncClient:
    """One client shared by all downloads of a fetch."""
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(limits.timeout),
        limits=httpx.Limits(max_connections=limits.concurrency * 2),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
    )


async def download(
    client: httpx.AsyncClient, url: str, validators: Validators, limits: Limits
) -> Download:
    """GET ``url`` within ``limits``; raise :class:`DownloadError` on any failure.

    ``limits.timeout`` is a deadline for the whole request, redirects and body
    included: a server that sends a byte a second is cut off on time.
    """
    try:
        async with asyncio.timeout(limits.timeout):
            return await _download(client, url, validators, limits)
    except DownloadError:
        raise
    except BodyError as exc:
        raise DownloadError(str(exc)) from None
    except (httpx.HTTPError, httpx.InvalidURL, TimeoutError, OSError) as exc:
        raise DownloadError(describe_error(exc, limits)) from None


async def _download(
    client: httpx.AsyncClient, url: str, validators: Validators, limits: Limits
) -> Download:
    headers = {"Accept-Encoding": ACCEPT_ENCODING, **validators.headers()}
    async with client.stream("GET", url, headers=headers) as response:
        final_url = str(response.url)
        max_age = max_age_seconds(response.headers.get("cache-control"))
        if response.status_code == 304:
            return Download(final_url, None, "", validators, max_age)
        if response.status_code >= 400 or response.status_code < 200:
            reason = line(response.reason_phrase)
            retry_after = None
            if response.status_code in _RETRY_STATUSES:
                now = dt.datetime.now(dt.UTC)
                retry_after = retry_after_seconds(response.headers.get("retry-after"), now)
            raise DownloadError(
                f"HTTP {response.status_code}{' ' + reason if reason else ''}", retry_after
            )
        if response.status_code != 200:
            raise DownloadError(f"unexpected HTTP status {response.status_code}")
        return Download(
            final_url,
            await read_body(response, limits.max_bytes),
            response.headers.get("content-type", ""),
            Validators.from_response(response),
            max_age,
        )


STATE_VERSION = 2
"""Bumped when fetching starts to keep more of each entry (2: bodies), so that the next
fetch downloads every feed in full once, instead of hearing "304 Not Modified"."""


class HttpState:
    """ETag / Last-Modified per feed, per cache directory, in one JSON file.

    Keyed by cache as well as URL: a 304 only means "nothing new" for the
    cache the earlier fetch wrote into, so another ``--cache-dir`` starts fresh.
    """

    def __init__(self, path: Path, cache: Path) -> None:
        self.path = path
        self._cache_key = str(cache.expanduser().absolute())
        self._data = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": STATE_VERSION, "caches": {}}
        if not isinstance(data, dict) or not isinstance(data.get("caches"), dict):
            return {"version": STATE_VERSION, "caches": {}}
        if data.get("version") != STATE_VERSION:
            return {"version": STATE_VERSION, "caches": {}}
        return data

    def _feeds(self) -> dict[str, Any]:
        feeds = self._data["caches"].setdefault(self._cache_key, {})
        if not isinstance(feeds, dict):
            feeds = self._data["caches"][self._cache_key] = {}
        return feeds

    def get(self, url: str) -> Validators:
        """What to send for ``url``; empty when we know nothing."""
        entry = self._feeds().get(url)
        if not isinstance(entry, dict):
            return Validators()
        etag, modified = entry.get("etag"), entry.get("last_modified")
        return Validators(
            etag=_validator(etag) if isinstance(etag, str) else None,
            last_modified=_validator(modified) if isinstance(modified, str) else None,
        )

    def set(self, url: str, validators: Validators) -> None:
        """Remember ``validators`` for ``url`` (forgetting it when both are empty)."""
        feeds = self._feeds()
        if validators.etag or validators.last_modified:
            feeds[url] = {"etag": validators.etag, "last_modified": validators.last_modified}
        else:
            feeds.pop(url, None)

    def save(self) -> None:
        """Write the file atomically; raises OSError when that is impossible."""
        write_text(self.path, json.dumps(self._data, indent=1, sort_keys=True) + "\n")
