"""Asks for a feed's address, or a site's, and finds the feed to add (``a`` on the feeds screen).

The address is looked at in a worker (:func:`reader.feeds.discover.probe`):
a feed is added; a page that names several feeds lists them to choose from;
one that names none, or a document that is no feed, is said here and the
address can be edited. A download that fails adds the address as given,
with the reason (the server may be down, or the user offline).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.feeds.config import FeedConfigError, check_feed_url
from reader.feeds.discover import Candidate, Probe
from reader.widgets.plain_option_list import PlainOptionList

HELP = "enter looks it up · escape cancels"


@dataclass(frozen=True)
class Added:
    """The feed to subscribe to."""

    url: str
    title: str = ""
    warning: str = ""
    """Why the address could not be checked (it is added as given)."""


class AddFeedScreen(ModalScreen[Added | None]):
    """Dismisses with the feed chosen, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    @dataclass
    class Probed(Message):
        """From the worker: what the address is, or why it cannot be added."""

        url: str
        probe: Probe | None = None
        error: str = ""

    def __init__(self, known: list[str]) -> None:
        super().__init__()
        self.known = set(known)
        """The URLs already subscribed to."""
        self._stop = threading.Event()
        """Stops the lookup in progress (set when another one starts, or the dialog closes)."""
        self._asked = ""
        """The address of the latest lookup: an answer about an earlier one is dropped."""
        self.found: tuple[Candidate, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="add-box"):
            yield Static("Add a feed: paste its address, or its site's", id="add-question")
            yield Input(placeholder="https://", id="add-url")
            yield Static(HELP, id="add-status", markup=False)
            yield PlainOptionList(id="add-choices")

    def on_mount(self) -> None:
        self.query_one("#add-choices").display = False

    def on_unmount(self) -> None:
        self._stop.set()  # leaving (or quitting) must not wait for a slow server

    def _say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#add-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    @on(Input.Submitted, "#add-url")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            url = check_feed_url(event.value.strip())
        except FeedConfigError as exc:
            self._say(str(exc), error=True)
            return
        if url in self.known:
            self._say(f"{url} is already in the feed list", error=True)
            return
        self.query_one("#add-choices").display = False
        self._say(f"Looking at {url} …")
        self._stop.set()
        self._stop, self._asked = threading.Event(), url
        self._probe(url, self._stop)

    @work(thread=True, group="discover")
    def _probe(self, url: str, stop: threading.Event) -> None:
        from reader.feeds.discover import DiscoverError, DiscoverStopped, probe

        try:
            self.post_message(self.Probed(url, probe(url, stop=stop)))
        except DiscoverStopped:
            return
        except DiscoverError as exc:
            self.post_message(self.Probed(url, error=str(exc)))
        except Exception as exc:  # noqa: BLE001 - said in the dialog; the app goes on
            self.post_message(self.Probed(url, error=f"{url}: {type(exc).__name__}: {exc}"))

    @on(Probed)
    def _probed(self, message: Probed) -> None:
        if message.url != self._asked:
            return
        found = message.probe
        if found is None:
            self._say(message.error + " — edit the address, or escape", error=True)
            return
        if found.warning:
            self.dismiss(Added(found.url, warning=found.warning))
            return
        fresh = tuple(c for c in found.feeds if c.url not in self.known)
        if not fresh:
            self._say(f"{found.feeds[0].url} is already in the feed list", error=True)
        elif len(found.feeds) == 1:
            self.dismiss(Added(fresh[0].url, fresh[0].title))
        else:
            self._choose(message.url, fresh)

    def _choose(self, page: str, candidates: tuple[Candidate, ...]) -> None:
        """List the feeds the page names; enter on one adds it."""
        self.found = candidates
        choices = self.query_one("#add-choices", OptionList)
        choices.clear_options()
        for candidate in candidates:
            prompt = Text(candidate.label(), style="bold")
            prompt.append("\n" + candidate.url, style="dim")
            choices.add_option(Option(prompt))
        choices.display = True
        choices.highlighted = 0
        choices.focus()
        count = len(candidates)
        self._say(f"The page names {count} feeds: enter adds the highlighted one")

    @on(OptionList.OptionSelected, "#add-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = self.found[event.option_index]
        self.dismiss(Added(chosen.url, chosen.title))

    def action_cancel(self) -> None:
        """Close without adding (a lookup in progress is stopped)."""
        self._stop.set()
        self.dismiss(None)
