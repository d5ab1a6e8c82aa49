"""Opening links in the web browser, or a configured opener, and copying them.

:class:`Links` is a display-less part of the main screen: it checks each
URL, picks the program (the first matching ``[[openers]]`` table of
config.toml, see :mod:`reader.openers`, else the browser), starts it in a
worker so a slow one never freezes the screen, and says what happened in a
notification. A ``terminal = true`` opener (w3m, less) instead gets the
terminal itself: the app is suspended while it runs and redrawn as it was
(same screen, highlight and scroll) when it exits. Served to a web browser
(``newsreader serve``), a link opens in a new tab of that browser and never
runs anything on the server's machine.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import SuspendNotSupported
from textual.widget import Widget

from reader.browser import RefusedURL, check_url, open_url
from reader.openers import (
    Opener,
    OpenerError,
    OpenerTable,
    launch,
    missing_program,
    run_in_terminal,
)


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
        if self.app.is_web:  # the reader's browser opens it: nothing starts on the server
            self.app.open_url(safe, new_tab=True)
            self.notify(safe, title="Opening in a new tab", markup=False)
            return True
        opener = None
        if self.openers is not None:
            opener, problems = self.openers.lookup(safe)
            for problem in problems:  # each once per version of the file
                self.notify(problem, title="Openers", severity="warning", markup=False)
        if opener is not None and opener.terminal:
            return self._in_terminal(opener, opener.argv(safe))  # no "opening" note: it was seen
        elif opener is not None:
            self._run(opener.argv(safe))
            self.notify(safe, title=f"Opening with {opener.name}", markup=False)
        else:
            self._launch(safe)
            self.notify(safe, title="Opening in your browser", markup=False)
        return True

    def _in_terminal(self, opener: Opener, argv: list[str]) -> bool:
        """Hand the terminal to ``argv`` until it exits; whether it ran.

        Runs on the event loop on purpose: while the program has the terminal
        the app must neither read keys nor paint, and whatever the program
        does the app then carries on where it was. Where the terminal cannot be
        handed over (Textual's web or headless drivers) it is not run at all:
        detached, a pager or text browser would have no screen to show on and
        would exit or wait unseen.
        """
        problem = missing_program(argv)
        if problem is not None:
            self.notify(problem, title="Not opened", severity="error", markup=False)
            return False
        try:
            with self.app.suspend():
                problem = run_in_terminal(argv)  # never raises: the app always resumes
        except SuspendNotSupported:
            problem = f"{opener.name} needs the terminal, which cannot be handed over here; not run"
            self.notify(problem, title="Not opened", severity="warning", markup=False)
            return False
        if problem is not None:  # it ran, and failed or was stopped
            self.notify(problem, title=opener.name, severity="warning", markup=False)
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
