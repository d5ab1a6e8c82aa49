"""The footer keeps Quit and Help in view at every width, in a terminal or a browser window."""

from __future__ import annotations

import pytest

from app.conftest import build_app, wait_loaded
from reader.widgets.adaptive_footer import AdaptiveFooter


def _footer_text(app) -> str:
    footer = app.screen.query_one(AdaptiveFooter)
    return " ".join(
        f"{key.key_display} {key.description}".strip() for key in footer.query("FooterKey")
    )


@pytest.mark.parametrize("width", [60, 70, 80, 88, 95, 100, 110, 113, 114, 140])
async def test_quit_and_help_are_shown_and_everything_shown_fits(samples_locations, width):
    app = build_app(samples_locations)
    async with app.run_test(size=(width, 30)) as pilot:
        await wait_loaded(pilot)
        await pilot.pause()
        footer = app.screen.query_one(AdaptiveFooter)
        keys = list(footer.query("FooterKey"))
        actions = [key.action for key in keys]
        assert "app.quit" in actions or "quit" in actions, _footer_text(app)
        assert "app.help" in actions or "help" in actions, _footer_text(app)
        for key in keys:  # every key shown lies wholly inside the window
            assert key.region.right <= width, (key.key_display, key.region, width)
        if width >= 114:
            assert "Fetch feeds" in _footer_text(app)  # nothing gives way on a wide window


async def test_the_footer_fits_again_after_the_window_grows(samples_locations):
    app = build_app(samples_locations)
    async with app.run_test(size=(70, 30)) as pilot:
        await wait_loaded(pilot)
        assert "Fetch feeds" not in _footer_text(app)
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        await pilot.pause()
        assert "Fetch feeds" in _footer_text(app)
