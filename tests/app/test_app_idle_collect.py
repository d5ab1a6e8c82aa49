"""The full collection a big list puts off is made while the user pauses, never between keys
typed one after another (``reader.gc_pause.collect_when_idle``, called by the app)."""

from __future__ import annotations

import time

import pytest

import reader.app
from app.conftest import SIZE, build_app, wait_loaded, wait_until
from reader import gc_pause

IDLE = 0.4


async def test_the_collection_waits_for_a_pause(fixture_locations, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(reader.app, "IDLE_SECONDS", IDLE)
    monkeypatch.setattr(reader.app, "IDLE_CHECK_SECONDS", 0.05)
    app = build_app(fixture_locations)
    quiet: list[float] = []  # at each collection asked for: how long since the last key
    monkeypatch.setattr(
        gc_pause, "collect_when_idle", lambda: quiet.append(time.monotonic() - app.last_input)
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        before = app.last_input
        await pilot.press("j")
        assert app.last_input > before  # a key starts the pause over
        for n in range(12):  # keys about 0.1 s apart (more on a loaded machine)
            await pilot.press("j" if n % 2 else "k")
            await pilot.pause(0.1)
        typed = len(quiet)
        # Asked only once no key had come for IDLE seconds, whatever the gaps between keys were.
        assert all(since >= IDLE for since in quiet)
        await wait_until(pilot, lambda: len(quiet) > typed, what="a collection in the pause")
        assert all(since >= IDLE for since in quiet)
