"""The bundled samples plus two more copies of one of their stories, for the pictures of
duplicate grouping and of related articles found in the cache.

One copy is the same page under another address (tracking parameters,
``http``, ``www.``), the other the same text from another provider, as a
wire story is printed by several papers.
"""

from __future__ import annotations

import re
import shutil

from reader.paths import SAMPLES_DIR, Locations

STORY = "2026-11-07-heat-pumps-overtake-gas-boilers.md"
COPIES = [
    (
        "2026-11-07-heat-pumps-overtake-gas-boilers-coastline.md",
        "https://coastline-wire.example/energy/heat-pumps-overtake-boilers",
        "Coastline Wire",
        "coastline-wire.example",
        "2026-11-07T11:30:00Z",
    ),
    (
        "2026-11-07-heat-pumps-overtake-gas-boilers-syndicated.md",
        "http://www.greenline-report.example/2026/11/heat-pumps-overtake-gas-boilers/"
        "?utm_source=newsletter&utm_medium=email",
        "Morning Energy Digest",
        "energy-digest.example",
        "2026-11-07T14:00:00Z",
    ),
]


def make_story_cache(locations: Locations) -> None:
    """Copy the samples into the cache, and write the two copies of :data:`STORY`."""
    for path in sorted(SAMPLES_DIR.glob("*.md")):
        shutil.copyfile(path, locations.cache / path.name)
    text = (SAMPLES_DIR / STORY).read_text(encoding="utf-8")
    for name, url, provider, domain, date in COPIES:
        copy = re.sub(r"(?m)^(originalUrl|webUrl): .*$", f'\\1: "{url}"', text)
        copy = re.sub(r"(?m)^(ampWebUrl|cdnAmpWebUrl): .*\n", "", copy)
        copy = re.sub(r"(?m)^publishedDateTime: .*$", f"publishedDateTime: {date}", copy)
        copy = re.sub(r"(?m)^  name: .*$", f"  name: {provider}", copy, count=1)
        copy = re.sub(r"(?m)^  domain: .*$", f"  domain: {domain}", copy, count=1)
        (locations.cache / name).write_text(copy, encoding="utf-8")
