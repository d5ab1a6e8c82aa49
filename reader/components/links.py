"""Opening links in the web browser and copying them, as a part of the main screen.

:class:`Links` is a display-less widget: it checks each URL, launches the
browser in a worker so a slow one never freezes the screen, and says what
happened in a notification.
"""

from __future__ import annotations

from textual import work
from textual.widget import Widget

from reader.browser import RefusedURL, check_url, open_url


class Links(Widget):
    """Hands http(s) links to the browser or the clipboard; refuses anything else."""

    DEFAULT_CSS = "Links { display: none; }"

    def open(self, url: str | None) -> bool:
        """Open ``url`` if it is http(s), without freezing the screen; say why not otherwise."""
        try:
            safe = check_url(url)
        except RefusedURL as exc:
            self.notify(str(exc), title="Not opened", severity="warning", markup=False)
            return False
        self._launch(safe)
        self.notify(safe, title="Opening in your browser", markup=False)
        return True

    def copy(self, url: str | None) -> None:
        """Copy ``url`` to the clipboard."""
        if not url:
            self.notify("This item has no link.", severity="warning")
            return
        self.app.copy_to_clipboard(url)
        self.notify(url, title="Link copied", markup=False)

    @work(thread=True, group="browser")
    def _launch(self, url: str) -> None:
        if not open_url(url):
            self.app.call_from_thread(
                self.notify,
                "No web browser could be started.",
                title="Not opened",
                severity="error",
            )
