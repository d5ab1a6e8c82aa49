"""Bring news in from RSS, Atom and JSON Feed into the cache as article files.

No Textual here (an import-linter contract checks it): the CLI and the TUI's
worker thread both call :func:`fetch_feeds`. The click commands live in
:mod:`reader.feeds.commands` and are not imported by this package.
"""

from typing import Any

from reader.feeds.config import Feed, FeedConfigError, load_feeds, save_feeds
from reader.feeds.limits import Limits

_FETCHER = {"FetchReport", "Progress", "fetch_feeds"}
_OPML = {"OpmlError", "parse_opml", "to_opml"}


def __getattr__(name: str) -> Any:
    """The fetcher (httpx, feedparser) and OPML (XML, e-mail dates) are imported on first use,
    not with the package.

    ``newsreader`` imports this package for its commands at every start, and every load reads
    the config file through it; the HTTP stack would add a tenth of a second to each, OPML a
    few hundredths, for nothing.
    """
    if name in _FETCHER:
        from reader.feeds import fetcher

        return getattr(fetcher, name)
    if name in _OPML:
        from reader.feeds import opml

        return getattr(opml, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Feed",
    "FeedConfigError",
    "FetchReport",
    "Limits",
    "OpmlError",
    "Progress",
    "fetch_feeds",
    "load_feeds",
    "parse_opml",
    "save_feeds",
    "to_opml",
]
