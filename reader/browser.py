"""Opening URLs in the user's web browser, safely.

Only absolute ``http``/``https`` URLs are handed to :mod:`webbrowser` (which
honours ``$BROWSER``): a ``javascript:`` or ``file:`` link from an untrusted
file must never reach a browser.
"""

from __future__ import annotations

import re
import webbrowser

from reader.sanitize import clean_line, web_url

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,19}")


class RefusedURL(ValueError):
    """The URL is not one the reader will open; ``str()`` says why."""


def check_url(url: str | None) -> str:
    """Return ``url`` when it may be opened, else raise :class:`RefusedURL`."""
    if not url or not url.strip():
        raise RefusedURL("this item has no link")
    safe = web_url(url)
    if safe is None:
        # The message names the scheme only when it is one:
        # never echo escapes or markup from the URL.
        scheme, colon, _ = clean_line(url).partition(":")
        if not colon:
            kind = "relative"
        elif _SCHEME.fullmatch(scheme):
            kind = scheme.lower()
        else:
            kind = "malformed"
        if kind in ("http", "https"):
            raise RefusedURL(f"refused to open a malformed {kind} link (no host, or spaces in it)")
        raise RefusedURL(f"refused to open a {kind} link: only http and https are opened")
    return safe


def open_url(url: str | None) -> bool:
    """Open ``url`` after :func:`check_url`; returns whether a browser accepted it.

    This may block while a browser starts, so the app calls it from a worker.
    """
    return bool(webbrowser.open(check_url(url), new=2))
