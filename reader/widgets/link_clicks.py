"""Links in rendered Markdown made clickable through the screen's own link check.

Rich marks a link's text with the URL (a terminal hyperlink). Here each such
style becomes a Textual click action instead: the screen's ``open_link``
with the URL as a quoted literal (actions parse their arguments as
literals, never as code), so a click goes through the same http(s)-only
check as every other link, and no terminal ever sees the URL as an escape
sequence.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style


class ClickableLinks:
    """Renders ``renderable`` with each hyperlink turned into an ``open_link`` click."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            style = segment.style
            if style is not None and style.link:
                click = Style.from_meta({"@click": f"screen.open_link({style.link!r})"})
                yield Segment(segment.text, style.update_link(None) + click, segment.control)
            else:
                yield segment
