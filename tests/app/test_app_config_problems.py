"""The reader starts with a config.toml that has problems, and says so in one line."""

from __future__ import annotations

from app.conftest import SIZE, Notes, build_app, locations_for, wait_loaded, wait_until


def _settings(notes: Notes) -> list[tuple[str, str, str]]:
    return [item for item in notes.items if item[1] == "Settings"]


async def test_problems_are_one_notice_and_the_reader_starts(tmp_path):
    locations = locations_for(tmp_path)
    locations.config.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text(
        "colour = 1\nkeep_days = -1\n[list]\ndate = 'iso'\n[[feeds]]\nurl = 3\n"
    )
    app = build_app(locations)
    assert [problem.line for problem in app.loaded_config.problems] == [1, 2]  # at start
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: _settings(notes))  # feeds: checked after the first frame
        settings = _settings(notes)
        assert settings == [
            (
                "config.toml: 3 problems, the defaults stand in (newsreader config --check)",
                "Settings",
                "warning",
            )
        ]
        assert [problem.line for problem in app.loaded_config.problems] == [1, 2, 5]


async def test_a_good_file_says_nothing(tmp_path):
    locations = locations_for(tmp_path)
    locations.config.mkdir(parents=True, exist_ok=True)
    locations.feeds_config_path.write_text('theme = "textual-dark"\n')
    app = build_app(locations)
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.pause()
        assert not _settings(notes)
