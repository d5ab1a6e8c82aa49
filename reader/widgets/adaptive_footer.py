"""The footer, made compact on narrow terminals so that Quit and Help stay in view."""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Footer

NARROW_WIDTH = 100
"""Below this many columns the footer is compact and leaves out the palette key."""


class AdaptiveFooter(Footer):
    """A :class:`Footer` that tightens itself below :data:`NARROW_WIDTH` columns.

    At full spacing the footer would cut off Quit and Help; the palette key
    (``^p``, still listed by ``?``) gives way to them.
    """

    def on_resize(self, event: Resize) -> None:
        narrow = self.screen.size.width < NARROW_WIDTH
        if self.compact != narrow:
            self.compact = narrow
            self.show_command_palette = not narrow
            self.refresh(recompose=True)
