"""A component class's Rich style with its ``auto`` colour made readable on the theme in force.

Textual's partial component style keeps an ``auto`` colour (``$text``,
``$text-muted``) as its stored white, whatever the background: right on a dark
theme, white on white on a light one. Line-API widgets that paint segments
themselves take their styles from here instead.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def readable_style(widget: Widget, name: str) -> Style:
    """``widget``'s partial style for component ``name``, an ``auto`` colour resolved against the
    widget's background (the contrasting text colour, as on a dark theme today)."""
    # Kept in the widget's own style cache, which Textual empties when styles (a theme) change:
    # the list asks for each cell of each line it paints.
    cache = widget._rich_style_cache
    key = ("readable", name)
    if key not in cache:
        styles = widget.get_component_styles(name)
        style = styles.partial_rich_style
        if styles.get_rule("auto_color"):  # "auto 60%" is stored as its white, flagged here
            background = widget.background_colors[1]
            style += Style(color=background.get_contrast_text(1.0).rich_color)
        cache[key] = (style, style)
    return cache[key][1]
