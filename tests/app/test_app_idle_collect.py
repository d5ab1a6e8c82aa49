"""The full collection a big list puts off is made while the user pauses, never between keys
typed one after another (``reader.gc_pause.collect_when_idle``, called by the app)."""

from __future__ import annotations

import time

import pytest

import reader.app
from app.conftest import SIZE, build_app, wait_loaded
from reader import gc_pause


async def test_the_collection_waits_for_a_pause(fixture_locations, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(reader.app, "IDLE_SECONDS", 0.4)
    monkeypatch.setattr(reader.app, "IDLE_CHECK_SECONDS", 0.05)
    asked: list[float] = []
    monkeypatch.setattr(gc_pause, "collect_when_idle", lambda: asked.append(time.monotonic()))
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j")  # a key: the pause starts over
        asked.clear()
        for n in range(12):  # keys 0.1 s apart for 1.2 s: never a pause of 0.4 s
            await pilot.press("j" if n % 2 else "k")
            await pilot.pause(0.1)
        assert asked == []
        typed = app.last_input
        await pilot.pause(0.8)  # a pause
        assert asked and all(at - typed >= 0.4 for at in asked)
