"""``list --json`` rows made by hand are byte for byte what ``json.dumps`` makes of the record."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from reader.entry import TOPIC_SEP, Entry
from reader.json_rows import date_text, json_line
from reader.list_command import record

HOSTILE = [
    "plain",
    "",
    'quotes " and \\ backslashes \\"',
    "control \x00\x01\x1f\x7f\x9b and tab\t newline\n return\r",
    "line separators \u2028\u2029 and BOM \ufeff",
    "emoji 🛰️ and accents São Paulo, Zürich, 東京",
    '{"title": "not json inside", "url": null}',
    "</script><b>markup</b> [bold]rich[/bold]",
]

DATES = [
    None,
    0.0,
    1_700_000_000.0,
    1_700_000_000.5,  # a fraction: the slow path, with microseconds
    1_700_000_000.123456,
    -86_400.0,  # before 1970: the slow path
    253_402_300_799.0,  # the last second of 9999
    951_782_400.0,  # 29 February 2000
]


def _entry(n: int, title: str, published: float | None) -> Entry:
    return Entry(
        path=f"folder/{n}.md",
        title=title,
        published=published,
        quality=[None, 0, -5, 100, 2**40][n % 5],
        heat=[7, None, 0][n % 3],
        provider=HOSTILE[(n + 1) % len(HOSTILE)],
        domain="example.org",
        url=None if n % 4 == 0 else f'https://example.org/{n}?q="x"&r=\\',
        type=["article", "video"][n % 2],
        topics=TOPIC_SEP.join(HOSTILE[: n % 4]),
        id=n,
    )


@pytest.mark.parametrize("published", DATES)
def test_every_row_has_the_bytes_json_dumps_gives(published):
    for n, title in enumerate(HOSTILE):
        entry = _entry(n, title, published)
        path = f"/cache/{title}/{n}.md"
        duplicates = HOSTILE[n % 3 :] if n % 2 else []
        expected = json.dumps(record(entry, path, duplicates), ensure_ascii=False)
        assert json_line(entry, path, duplicates) == expected


@pytest.mark.parametrize("published", [d for d in DATES if d is not None])
def test_the_date_is_what_isoformat_says(published):
    when = dt.datetime.fromtimestamp(published, dt.UTC)
    assert date_text(published) == when.isoformat().replace("+00:00", "Z")
