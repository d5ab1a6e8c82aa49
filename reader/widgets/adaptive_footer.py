"""The footer, fitted to narrow terminals and browser windows: Quit and Help stay in view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW_WIDTH = 114
"""Below this many columns the footer is compact and leaves out the palette key."""
KEPT = frozenset({"quit", "help", "app.quit", "app.help"})
"""Actions the footer always shows: how to leave, and where every other key is listed."""
GIVE_WAY = ("fetch", "reverse", "toggle_read", "toggle_sort", "open", "scroll_detail")
"""The main screen's keys that make room first when even the compact footer is too wide."""


def _width(key: FooterKey, compact: bool) -> int:
    """Columns one key takes without padding: its key, a space, its words."""
    text = len(key.key_display) + 1 + len(key.description) if key.description else 0
    return text or len(key.key_display)


def fitted(keys: list[Widget], columns: int, compact: bool) -> list[Widget]:
    """``keys`` less those that give way (least needed first) until they fit in ``columns``."""
    kept = list(keys)

    def need() -> int:
        shown = [k for k in kept if isinstance(k, FooterKey)]
        widths = [_width(k, compact) for k in shown]
        if compact:
            return sum(widths) + len(widths) - 1
        palette = any("-command-palette" in k.classes for k in shown)
        return sum(w + 2 for w in widths) + palette  # the palette key's border

    def droppable() -> list[FooterKey]:
        keys_ = [
            k
            for k in kept
            if isinstance(k, FooterKey)
            and k.action not in KEPT
            and "-command-palette" not in k.classes
        ]
        ranked = {action: rank for rank, action in enumerate(GIVE_WAY)}
        # Named ones first, in that order; then the others from the right.
        return sorted(keys_, key=lambda k: (ranked.get(k.action, len(GIVE_WAY)), -keys_.index(k)))

    while need() > columns:
        candidates = droppable()
        if not candidates:
            break
        kept.remove(candidates[0])
    return kept


class AdaptiveFooter(Footer):
    """A :class:`Footer` that tightens itself below :data:`NARROW_WIDTH` columns.

    At full spacing the footer would cut off Quit and Help; the palette key
    (``^p``, still listed by ``?``) gives way to them, and on a window too
    narrow even for the compact footer, the keys of :data:`GIVE_WAY` too (help lists them all).
    """

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        yield from fitted(keys, self.screen.size.width, self.compact)

    def on_resize(self, event: Resize) -> None:
        narrow = self.screen.size.width < NARROW_WIDTH
        if self.compact != narrow:
            self.compact = narrow
            self.show_command_palette = not narrow
        self.refresh(recompose=True)
