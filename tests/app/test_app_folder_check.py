"""Pilot test: a reader whose config.toml says ``check = "folders"`` starts on the folders whose
time changed only, and says "N articles in" with what those folders hold."""

from __future__ import annotations

import os
import time

from conftest import write_article

from app.conftest import SIZE, build_app, locations_for, paths, wait_loaded, wait_until
from reader.filecheck import recorded_folders
from reader.library import Source

LONG_AGO = 1_600_000_000 * 10**9


async def test_the_reader_starts_on_the_changed_folders_only(tmp_path):
    locations = locations_for(tmp_path)
    cache = locations.cache
    for folder in ("old", "new"):
        for n in range(3):
            write_article(cache / folder, f"{n}.md", "Body.", title=f"{folder} story {n}")
    locations.feeds_config_path.parent.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text('check = "folders"\n', encoding="utf-8")
    source = Source(locations, by_folders=True)  # an earlier run, which recorded the folders
    for folder in (cache, cache / "old", cache / "new"):
        os.utime(folder, ns=(LONG_AGO, LONG_AGO))
    source.scan()
    assert recorded_folders(source.index.conn)["old"] == LONG_AGO
    source.index.close()
    edited = cache / "old" / "1.md"
    text = edited.read_text(encoding="utf-8").replace("old story 1", "old story 1, edited")
    with edited.open("w", encoding="utf-8") as file:  # in place: "old" keeps its time
        file.write(text)
    later = time.time() + 5
    os.utime(edited, (later, later))
    write_article(cache / "new", "3.md", "Body.", title="new story 3")
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: "new/3.md" in paths(screen))
        titles = {entry.title for entry in screen.collection.entries}
        assert "new story 3" in titles and "old story 1" in titles
        assert "old story 1, edited" not in titles  # missed, as the setting says
