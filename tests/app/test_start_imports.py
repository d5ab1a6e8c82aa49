"""The reader starts without loading what its first screen does not use.

Importing the feed parser (feedparser, BeautifulSoup and its CSS selectors),
Rich's Markdown (with Pygments) and the reader view took about 0.15 s of every
start before the first paint. They load when first needed: a fetch, an
article's body, the reader view. Checked in a fresh interpreter, since this
one has loaded everything for other tests.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

LATE = ("feedparser", "bs4", "pygments", "rich.markdown", "reader.screens.reader_view")
"""Modules the first screen of a cache without bodies does without."""

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from reader.app import make_app
    from reader.paths import Locations

    async def main(root):
        locations = Locations(root / "cache", root / "config", root / "data")
        app = make_app(locations)
        async with app.run_test(size=(140, 40)) as pilot:
            for _ in range(500):
                await pilot.pause(0.02)
                screen = app.screen
                if getattr(screen, "collection", None) is not None and len(screen.collection):
                    if not screen.scanning:
                        break
            await pilot.pause(0.2)
            print(len(screen.collection))
            print(" ".join(name for name in sys.argv[2:] if name in sys.modules))

    asyncio.run(main(Path(sys.argv[1])))
    """
)


def test_the_first_screen_loads_no_feed_parser_markdown_or_reader_view(tmp_path: Path):
    cache = tmp_path / "cache"
    cache.mkdir()
    for n in range(3):
        (cache / f"a{n}.md").write_text(
            f'---\ntitle: "Story {n}"\nexcerpt: "Short {n}"\n'
            f'publishedDateTime: "2026-11-2{n}T10:00:00Z"\n---\n',
            encoding="utf-8",
        )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), *LATE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shown, loaded = done.stdout.splitlines()[-2:]
    assert shown == "3"  # the list really loaded
    assert loaded == ""
