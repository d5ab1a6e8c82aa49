"""The app's theme: the one config.toml names from the first frame, and the palette's choice
written back there.

Kept out of app.py so the app only calls three functions: :func:`apply_start_theme`
in its constructor (before anything is drawn, so the default theme never flashes),
:func:`restyle` and :func:`remember_theme` when the theme changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.color import Color, ColorParseError
from textual.widgets import Static

from reader.config.theme import DEFAULT_THEME, theme_problem
from reader.theme_styles import VARIABLES, rich_theme

if TYPE_CHECKING:
    from reader.app import NewsReaderApp


def known_theme_names() -> list[str]:
    """The names ``theme`` may take (Textual's themes; the reader registers none of its own), for
    ``newsreader config --check``, which has no app to ask: pass them to
    :func:`reader.config.theme.theme_problem`."""
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def apply_start_theme(app: NewsReaderApp, name: str) -> str | None:
    """Put ``name`` in force (an unknown one: the default); return the line that says it was
    unknown, for a notification once the app is up."""
    problem = theme_problem(name, app.available_themes)
    app.theme = DEFAULT_THEME if problem else name
    restyle(app)
    return f"config.toml: {problem}" if problem else None


def restyle(app: NewsReaderApp) -> None:
    """Colour the reader's Rich style names (:mod:`reader.theme_styles`) from the theme in force,
    and redo the texts on screen that were coloured with the old ones."""
    console = app.console
    if getattr(console, "_reader_styles", False):
        console.pop_theme()
    console.push_theme(rich_theme(_rich_colours(app.get_css_variables())))
    console._reader_styles = True  # type: ignore[attr-defined]
    if app.is_running:
        # A static turns Rich text into Textual's content once, with the colours of that moment.
        for screen in app.screen_stack:
            for static in screen.query(Static):
                static.update(static.content, layout=False)


def _rich_colours(variables: dict[str, str]) -> dict[str, str]:
    """The colours the reader's styles use, as Rich names: ``#rrggbb``, or a terminal colour
    number for the ANSI themes (whose variables say ``ansi_red``)."""
    colours = {}
    for name in VARIABLES:
        try:
            colour = Color.parse(variables[name])
        except (KeyError, ColorParseError):
            continue
        if colour.a == 1:  # a see-through colour has no Rich equivalent: leave it out
            colours[name] = colour.rich_color.name
    return colours


def remember_theme(app: NewsReaderApp, name: str) -> None:
    """Write ``name`` to config.toml (comments kept); a file that cannot take it is said in
    one line, and the theme stays in force for this run."""
    from reader.config.edit import ConfigWriteError, set_value  # tomlkit: not needed at start

    path = app.locations.feeds_config_path
    try:
        set_value(path, ("theme",), name)
    except ConfigWriteError as exc:
        app.notify(f"Theme {name} not saved: {exc}", severity="warning", markup=False)
