"""Opening links in the web browser, or a configured opener, and copying them.

:class:`Links` is a display-less part of the main screen: it checks each
URL, picks the program (the first matching ``[[openers]]`` table of
config.toml, see :mod:`reader.openers`, else the browser), starts it in a
worker so a slow one never freezes the screen, and says what happened in a
notification.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.widget import Widget

from reader.browser import RefusedURL, check_url, open_url
from reader.openers import OpenerError, OpenerTable, launch


class Links(Widget):
    """Hands http(s) links to an opener, the browser or the clipboard; refuses anything else."""

    DEFAULT_CSS = "Links { display: none; }"

    def __init__(self, config_path: Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.openers = OpenerTable(config_path) if config_path is not None else None
        """The ``[[openers]]`` of config.toml (None: always the browser)."""

    def open(self, url: str | None) -> bool:
        """Open ``url`` if it is http(s), without freezing the screen; say why not otherwise."""
        try:
            safe = check_url(url)
        except RefusedURL as exc:
            self.notify(str(exc), title="Not opened", severity="warning", markup=False)
            return False
        opener = None
        if self.openers is not None:
            opener, problems = self.openers.lookup(safe)
            for problem in problems:  # each once per version of the file
                self.notify(problem, title="Openers", severity="warning", markup=False)
        if opener is not None:
            self._run(opener.argv(safe))
            self.notify(safe, title=f"Opening with {opener.name}", markup=False)
        else:
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

    @work(thread=True, group="browser")
    def _run(self, argv: list[str]) -> None:
        try:
            launch(argv)
        except OpenerError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not opened", severity="error", markup=False
            )
