"""The settings of one fetch, apart from the HTTP code so the CLI can read them cheaply."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How patient and how generous one fetch is."""

    timeout: float = 20.0
    """Seconds for one whole request: connecting, redirects, headers and body together."""
    max_bytes: int = 5 * 1024 * 1024
    """A body larger than this, counted after decompression as it streams, is abandoned."""
    max_redirects: int = 5
    concurrency: int = 8
    """How many feeds are downloaded at once."""
