"""Bring news in from RSS, Atom and JSON Feed into the cache as article files.

No Textual here (an import-linter contract checks it): the CLI and the TUI's
worker thread both call :func:`fetch_feeds`. The click commands live in
:mod:`reader.feeds.commands` and are not imported by this package.
"""

from reader.feeds.config import Feed, FeedConfigError, load_feeds, save_feeds
from reader.feeds.fetcher import FetchReport, Progress, fetch_feeds
from reader.feeds.http import Limits
from reader.feeds.opml import OpmlError, parse_opml, to_opml

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
