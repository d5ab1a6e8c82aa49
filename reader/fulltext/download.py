"""Fetch article pages within strict limits and extract their text.

The rules for every page: http(s) only, every redirect re-checked (httpx
refuses other schemes), at most 5 redirects, 10 s for the whole request,
5 MiB of body at most (counted after decompression, as it streams), no
cookies kept, no credentials sent, a User-Agent that says who asks, at most
4 pages at once and one per host. Extraction runs in a thread so downloads
go on meanwhile.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from reader.feeds.background import run_detached
from reader.feeds.http import USER_AGENT, DownloadError, Validators, download
from reader.feeds.limits import Limits
from reader.fulltext.extract import NoArticle, extract_article
from reader.fulltext.store import FullText, FullTextStore
from reader.sanitize import web_url

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
"""Content types read as a page; anything else (a PDF, a video) is refused with its type."""


@dataclass(frozen=True)
class PageLimits:
    """How patient and how generous full-text downloads are."""

    deadline: float = 10.0
    """Seconds for one whole request, redirects and body included."""
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 4
    """Pages downloaded at once (never two from one host)."""


@dataclass(frozen=True)
class FetchOutcome:
    """What happened to one URL."""

    url: str
    result: FullText


Progress = Callable[[FetchOutcome], None]


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """Refuse every cookie: pages are read as a stranger, every time."""

    def set_ok(self, cookie, request):  # noqa: ANN001 - the standard library's signature
        return False

    def return_ok(self, cookie, request):  # noqa: ANN001
        return False


def _client(limits: PageLimits) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(limits.deadline),
        limits=httpx.Limits(max_connections=limits.concurrency),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        },
        trust_env=False,  # no proxy credentials or .netrc passwords from the environment
    )
    client.cookies.jar.set_policy(_NoCookies())
    return client


async def _one(
    client: httpx.AsyncClient, url: str, limits: PageLimits, host_lock: asyncio.Lock
) -> FullText:
    safe = web_url(url)
    if safe is None:
        return FullText(url, error="not an http(s) link")
    feed_limits = Limits(
        timeout=limits.deadline, max_bytes=limits.max_bytes, max_redirects=limits.max_redirects
    )
    async with host_lock:
        try:  # the feed downloader's rules: one deadline in all, decoded bytes capped
            page = await download(client, safe, Validators(), feed_limits)
        except DownloadError as exc:
            return FullText(url, error=str(exc))
    kind = page.content_type.split(";", 1)[0].strip().lower()
    if kind not in HTML_TYPES:
        return FullText(url, error=f"not a web page ({kind[:60]})")
    try:
        found = await run_detached(
            extract_article, page.body or b"", page.url
        )  # a stop never waits
    except NoArticle as exc:
        return FullText(url, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop the others
        return FullText(url, error=f"could not read the page: {type(exc).__name__}")
    return FullText(url, markdown=found.markdown, extractor=found.extractor)


async def _all(
    urls: list[str],
    store: FullTextStore,
    limits: PageLimits,
    progress: Progress | None,
    stop: threading.Event | None,
) -> list[FetchOutcome]:
    outcomes: list[FetchOutcome] = []
    slots = asyncio.Semaphore(limits.concurrency)
    hosts: dict[str, asyncio.Lock] = {}

    async def run(url: str) -> None:
        async with slots:
            if stop is not None and stop.is_set():
                return
            host = (urlsplit(url).hostname or "") if web_url(url) else ""
            result = await _one(client, url, limits, hosts.setdefault(host, asyncio.Lock()))
        try:
            result = store.put(result)
        except OSError as exc:
            result = FullText(url, error=f"cannot save the text: {exc.strerror or exc}")
        outcome = FetchOutcome(url, result)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)

    async with _client(limits) as client:
        tasks = [asyncio.create_task(run(url)) for url in urls]
        watcher = asyncio.create_task(_watch(stop, tasks)) if stop is not None else None
        await asyncio.gather(*tasks, return_exceptions=True)
        if watcher is not None:
            watcher.cancel()
    return outcomes


async def _watch(stop: threading.Event, tasks: list[asyncio.Task]) -> None:
    """Cancel the downloads in flight once ``stop`` is set (checked ten times a second)."""
    while not stop.is_set():
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()


def fetch_full_texts(
    urls: Iterable[str],
    store: FullTextStore,
    *,
    limits: PageLimits | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> list[FetchOutcome]:
    """Download and extract every URL's article, keeping each result in ``store``.

    Blocking; call it from a worker thread in the reader. Results (failures
    too) are stored as they come; ``stop`` ends the run early, keeping what
    is done.
    """
    unique = list(dict.fromkeys(urls))
    return asyncio.run(_all(unique, store, limits or PageLimits(), progress, stop))
