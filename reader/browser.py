"""Opening URLs in the user's web browser, safely.

Only absolute ``http``/``https`` URLs are handed to :mod:`webbrowser` (which
honours ``$BROWSER``): a ``javascript:`` or ``file:`` link from an untrusted
file must never reach a browser.
"""

from __future__ import annotations

import webbrowser

from reader.sanitize import web_url


class RefusedURL(ValueError):
    """The URL is not one the reader will open; ``str()`` says why."""


def check_url(url: str | None) -> str:
    """Return ``url`` when it may be opened, else raise :class:`RefusedURL`."""
    if not url:
        raise RefusedURL("this item has no link")
    safe = web_url(url)
    if safe is None:
        scheme = url.split(":", 1)[0][:20] if ":" in url else "relative"
        raise RefusedURL(f"refused to open a {scheme!s} link: only http and https are opened")
    return safe


def open_url(url: str | None) -> bool:
    """Open ``url`` after :func:`check_url`; returns whether a browser accepted it.

    This may block while a browser starts, so the app calls it from a worker.
    """
    return bool(webbrowser.open(check_url(url), new=2))
