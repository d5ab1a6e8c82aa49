"""Pilot tests: a reader whose config.toml says ``check = "folders"`` starts on the folders whose
time changed only, and says "N articles in" with what those folders hold; with the default
``check = "every"``, a big index is checked by its folders first and every file after, behind
the screen, which brings in the file edited in place."""

from __future__ import annotations

import os
import threading
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


class EverySpy:
    """Holds the reader's check of every file until :attr:`go` is set, then lets the real one
    answer, and keeps its answers."""

    def __init__(self, monkeypatch) -> None:
        self.go = threading.Event()
        self.answers: list[list[str] | None] = []
        real = every_check.changed_paths

        def held(*args, **kwargs):
            self.go.wait(30)
            self.answers.append(real(*args, **kwargs))
            return self.answers[-1]

        monkeypatch.setattr(every_check, "changed_paths", held)


@pytest.mark.parametrize(("big", "huge"), [(True, False), (True, True), (False, False)])
async def test_a_start_checks_by_folders_first_then_every_file_before_the_list_is_in(
    tmp_path, monkeypatch, big, huge
):
    """``big``: the index counts as big (the check by folders first, every file beside it, or
    after the first screen when ``huge``); else it is checked whole at once. On a small cache
    every file is checked before the whole list is in: the edit in place comes with it, stored
    with the first answer's files."""
    locations = _indexed_then_changed(tmp_path, "")
    if big:
        monkeypatch.setattr(filecheck, "WHOLE_BELOW", 1)
    if huge:
        monkeypatch.setattr(filecheck, "LATE_EVERY_BYTES", 1)
    spy = EverySpy(monkeypatch)
    spy.go.set()
    stored: list[list[str]] = []
    real_beyond = every_check.beyond

    compared = threading.Event()

    def beyond(*args):
        more = real_beyond(*args)
        stored.append([info.path for info in more.changed] + more.gone)
        compared.set()
        return more

    monkeypatch.setattr(every_check, "beyond", beyond)
    if big:  # the whole list waits for every file's check, as a few hundred thousand do
        real_load = Source.load

        def load_after_the_check(self, *args, **kwargs):
            compared.wait(20)
            return real_load(self, *args, **kwargs)

        monkeypatch.setattr(Source, "load", load_after_the_check)
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        titles = {entry.title for entry in screen.collection.entries}
        assert {"new story 3", "old story 1, edited"} <= titles and "old story 1" not in titles
        assert stored == ([["old/1.md"]] if big else [])  # beyond the first answer: the edit
        assert spy.answers == []  # nothing left for after the list
        assert not screen.query_one(StatusLine).checking


async def test_what_every_file_s_check_finds_after_the_list_came_in_follows_it(
    tmp_path, monkeypatch
):
    """A million files: the whole list is in before every file is checked. The status line
    says the check runs, and the edit in place comes when it ends, as the watcher's do."""
    locations = _indexed_then_changed(tmp_path, "")
    monkeypatch.setattr(filecheck, "WHOLE_BELOW", 1)
    spy = EverySpy(monkeypatch)
    whole_first = lambda *args: None  # noqa: E731 - the list came first, as at a million
    monkeypatch.setattr(every_check, "before", whole_first)
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        status = screen.query_one(StatusLine)

        def titles() -> set[str]:
            return {entry.title for entry in screen.collection.entries}

        assert "new story 3" in titles() and "old story 1" in titles()  # not yet the edit
        await wait_until(pilot, lambda: captions.CHECKING_EVERY in str(status.render()))
        spy.go.set()
        await wait_until(pilot, lambda: "old story 1, edited" in titles(), timeout=20)
        assert "old story 1" not in titles()
        assert spy.answers == [["old/1.md"]]
        await wait_until(pilot, lambda: not status.checking)
        assert captions.CHECKING_EVERY not in str(status.render())
