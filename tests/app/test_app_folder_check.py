"""Pilot tests: a reader whose config.toml says ``check = "folders"`` starts on the folders whose
time changed only, and says "N articles in" with what those folders hold; with the default
``check = "every"``, a big index is checked by its folders first and every file after, behind
the screen, which brings in the file edited in place."""

from __future__ import annotations

import os
import time

import pytest
from conftest import write_article

from app.conftest import (
    SIZE,
    build_app,
    fixed_clock,
    locations_for,
    paths,
    wait_loaded,
    wait_until,
)
from reader import captions, filecheck
from reader.app import make_app
from reader.components import every_check
from reader.filecheck import recorded_folders
from reader.library import Source, preload
from reader.widgets.status_line import StatusLine

LONG_AGO = 1_600_000_000 * 10**9


def _indexed_then_changed(tmp_path, setting: str):
    """A cache of two folders indexed by an earlier run (its folder times recorded), then one
    file edited in place in "old" (whose time stays) and one added to "new"."""
    locations = locations_for(tmp_path)
    cache = locations.cache
    for folder in ("old", "new"):
        for n in range(3):
            write_article(cache / folder, f"{n}.md", "Body.", title=f"{folder} story {n}")
    locations.feeds_config_path.parent.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text(setting, encoding="utf-8")
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
    return locations


async def test_the_reader_starts_on_the_changed_folders_only(tmp_path):
    locations = _indexed_then_changed(tmp_path, 'check = "folders"\n')
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(pilot, lambda: "new/3.md" in paths(screen))
        titles = {entry.title for entry in screen.collection.entries}
        assert "new story 3" in titles and "old story 1" in titles
        assert "old story 1, edited" not in titles  # missed, as the setting says


def _spy_on_every_check(monkeypatch) -> list[list[str] | None]:
    """The answers of every check of every file the reader makes (the real one runs)."""
    answers: list[list[str] | None] = []
    real = every_check.changed_paths

    def spy(*args, **kwargs):
        answers.append(real(*args, **kwargs))
        return answers[-1]

    monkeypatch.setattr(every_check, "changed_paths", spy)
    return answers


@pytest.mark.parametrize("big", [True, False])
async def test_a_start_checks_by_folders_first_then_every_file_behind_the_screen(
    tmp_path, monkeypatch, big
):
    """``big``: the index counts as big (the check by folders first); else it is checked
    whole at once, and no second check follows."""
    locations = _indexed_then_changed(tmp_path, "")
    if big:
        monkeypatch.setattr(filecheck, "WHOLE_BELOW", 1)
    answers = _spy_on_every_check(monkeypatch)
    seen: list[bool] = []
    real_show = StatusLine._show

    def show(status: StatusLine) -> None:
        real_show(status)
        seen.append(captions.CHECKING_EVERY in str(status.render()))

    monkeypatch.setattr(StatusLine, "_show", show)
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)

        def titles() -> set[str]:
            return {entry.title for entry in screen.collection.entries}

        await wait_until(pilot, lambda: "old story 1, edited" in titles(), timeout=20)
        assert "new story 3" in titles() and "old story 1" not in titles()
        assert answers == ([["old/1.md"]] if big else [])
        await wait_until(pilot, lambda: not screen.query_one(StatusLine).checking)
        assert any(seen) == big  # the status line said so while it ran
        assert captions.CHECKING_EVERY not in str(screen.query_one(StatusLine).render())
