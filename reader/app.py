"""The Textual application and the factory that the CLI, tests and scripts share."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from functools import partial
from typing import Any, TextIO

from rich.console import RenderableType
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from reader import __version__, gc_pause
from reader.config import Config, LoadedConfig, load_config
from reader.library import Preloaded
from reader.paths import Locations, resolve
from reader.resume_guard import guard_resume
from reader.screens.help import HelpScreen
from reader.screens.key_tables import APP_KEYS, HELP_KEY
from reader.screens.main import MainScreen
from reader.settings import load_settings
from reader.theming import apply_start_theme, remember_theme, restyle

TERMINAL_CHECK_SECONDS = 1.0
IDLE_SECONDS = 1.0
"""How long without a key or a click counts as a pause, in which a full collection may run."""
IDLE_CHECK_SECONDS = 0.5
STOP_SIGNALS = ("SIGTERM", "SIGHUP")
"""Signals that close the reader the way ``q`` does (those a system lacks are left out)."""
QUIT_CHECK_SECONDS = 0.1
"""How often ``q`` looks whether the marks being written are in (see ``App.action_quit``)."""


def terminal_hung_up(stream: TextIO | None) -> bool:
    """Whether the terminal behind ``stream`` has hung up (a closed pseudo-terminal, a dropped
    line)."""
    if stream is None or not hasattr(select, "poll"):
        return False
    try:
        poller = select.poll()
        poller.register(stream.fileno(), select.POLLHUP)
        return any(mask & (select.POLLHUP | select.POLLNVAL) for _, mask in poller.poll(0))
    except (OSError, ValueError):
        return False


def local_now() -> dt.datetime:
    """The current time in the local zone (what relative dates count from)."""
    return dt.datetime.now().astimezone()


class NewsReaderApp(App[None]):
    """A terminal news reader over a folder of Markdown articles."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    SUB_TITLE = __version__
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = APP_KEYS

    def __init__(
        self,
        locations: Locations,
        clock: Callable[[], dt.datetime] = local_now,
        preload: Future[Preloaded] | None = None,
        settings: LoadedConfig | None = None,
    ) -> None:
        super().__init__()
        self.preload = preload
        """The index being read since before the app started, if the caller started it."""
        self.locations = locations
        self.clock = clock
        self.settings = load_settings(locations.settings_path)
        self.loaded_config: LoadedConfig = settings or load_config(
            locations.feeds_config_path, every_section=False
        )
        """config.toml as read at start (by the caller, when it had), with what was wrong in it
        (the feeds, topics and openers sections are checked after the first frame, see
        :meth:`_check_config`)."""
        self.config: Config = self.loaded_config.config
        """The settings in force (defaults where the file is silent or wrong)."""
        if self.config.keys.remaps:  # [keys]: checked against the bindings, then in force
            from reader.screens.keymap import apply_keys, with_problems

            problems = apply_keys(self, self.config.keys)
            self.loaded_config = with_problems(self.loaded_config, problems)
        self.farewell: list[str] = []
        """Lines for the terminal after the app has ended (what could not be saved)."""
        self.closing = threading.Event()
        """Set as soon as the app starts to exit: background work stops rather than hold it up."""
        self._shown = False
        """Whether the first frame is on the screen (every widget of the main screen mounted)."""
        self._exit_code: int | None = None
        self._quit_timer: Timer | None = None
        """Polls, after ``q``, for the marks being written behind the screen (see
        :meth:`action_quit`)."""
        """The code of an exit asked for (a signal, a lost terminal) before the first frame."""
        self.last_input = time.monotonic()
        """When the last key or mouse event came (see :meth:`_collect_when_idle`)."""
        self.theme_problem = apply_start_theme(self, self.config.theme)
        """Why config.toml's theme is not in force (an unknown name), said once the app is up."""

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Run the app in the terminal; the process ends after it, so nothing is collected then.

        At its exit Python collects every object it can reach: after the
        terminal was restored, a walk over each entry of a 100,000-article
        list that kept the shell waiting for 0.6 s. Frozen, they are left to
        the operating system.
        """
        try:
            return super().run(*args, **kwargs)
        finally:
            gc.freeze()

    def on_load(self) -> None:
        """Let SIGTERM and SIGHUP take the way out that ``q`` takes, from before the app starts.

        Killed by their default action, the reader would leave the terminal in
        the alternate screen with the mouse reported and no cursor, and leave
        its parser processes running; exiting the app restores the terminal and
        stops the scan. Set up here, before the terminal is taken over, not
        once the screen has mounted. The exit code is the shell's for a signal
        (128 + number).
        """
        loop = asyncio.get_running_loop()
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self._exit_when_shown, 128 + number)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # no signal handlers on this loop (Windows) or off the main thread

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        """A full collection of the cycle collector while the user pauses, not inside a key
        (see :func:`reader.gc_pause.collect_when_idle`): at a million articles one takes
        0.2-0.4 s."""
        if time.monotonic() - self.last_input >= IDLE_SECONDS:
            gc_pause.collect_when_idle()

    def on_mount(self) -> None:
        self.set_interval(IDLE_CHECK_SECONDS, self._collect_when_idle)
        if not self.is_headless:
            self.set_interval(TERMINAL_CHECK_SECONDS, self._exit_if_terminal_gone)
            guard_resume(self.closing.is_set)  # a closing terminal's SIGCONT must not restart it
        if self.theme_problem:
            self.notify(self.theme_problem, severity="warning", markup=False)

    def watch_theme(self, name: str) -> None:
        """Colour the reader's own styles from the new theme; a change made once the app is up
        (the palette's "Change theme") is remembered in config.toml."""
        restyle(self)
        if self._shown:
            remember_theme(self, name)

    def on_ready(self) -> None:
        self._shown = True
        self._say_config_problems()
        if self._exit_code is not None:
            self.exit(return_code=self._exit_code)

    def _say_config_problems(self) -> None:
        """Check the rest of config.toml off the event loop, after the first frame."""
        self.run_worker(self._check_config, thread=True, group="config-check", exit_on_error=False)

    def _check_config(self) -> None:
        """One line when config.toml has problems: the reader runs on the defaults for them."""
        from reader.config.load import with_every_problem
        from reader.config.report import summary

        path = self.locations.feeds_config_path
        loaded = with_every_problem(self.loaded_config, path)
        text = summary(path, loaded)
        if text and not self.closing.is_set():
            self.call_from_thread(self._say, loaded, text)

    def _say(self, loaded: LoadedConfig, text: str) -> None:
        self.loaded_config = loaded
        self.notify(text, title="Settings", severity="warning", timeout=10, markup=False)

    def _exit_when_shown(self, return_code: int) -> None:
        """Exit as ``q`` does, but not before the first frame: the scan stops at once either way.

        An exit while the main screen is still mounting takes its widgets away
        under its own ``on_mount``, which then fails with a traceback.
        """
        self.closing.set()
        self._exit_code = return_code
        if self._shown:
            self._exit_once_saved(return_code)

    async def action_quit(self) -> None:
        """``q``: quit, once the marks being written behind the screen are in."""
        self._exit_once_saved(0)

    def _exit_once_saved(self, return_code: int) -> None:
        """Exit; marks still being written behind the screen (``M`` on hundreds of thousands)
        are waited for with a word on screen, not in an exit that looks frozen (a signal's
        exit too: the screen is still there after SIGTERM)."""
        main = self.screen_stack[0] if self.screen_stack else None
        if not isinstance(main, MainScreen) or not main.state.writing:
            self.exit(return_code=return_code)
            return
        if self._quit_timer is None:
            self.notify("Saving the marks… the reader closes once they are written.", timeout=60)
            check = partial(self._quit_saved, main, return_code)
            self._quit_timer = self.set_interval(QUIT_CHECK_SECONDS, check)

    def _quit_saved(self, main: MainScreen, return_code: int) -> None:
        if not main.state.writing:
            self.exit(return_code=return_code)

    def exit(
        self, result: None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Exit, first telling the background work (which the exit waits for) to stop."""
        self.closing.set()
        super().exit(result, return_code, message)

    def _exit_if_terminal_gone(self) -> None:
        """Quit when the terminal has hung up without a SIGHUP (its window or link went away).

        Textual's input thread would otherwise read end-of-file in a tight loop,
        a core busy for as long as nobody kills the orphaned process.
        """
        if terminal_hung_up(sys.__stdin__):
            self._exit_when_shown(1)

    def get_default_screen(self) -> Screen:
        """The main screen is the app's base screen; help and skipped files go over it."""
        return MainScreen(self.locations, self.settings, self.clock, self.preload)

    def action_help(self) -> None:
        """Show every key (generated from the live bindings)."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette offers the same actions as the main and feeds screens' keys."""
        from reader.screens.feeds import FeedsScreen  # loaded with that screen, not at start
        from reader.screens.keymap import shown_key

        yield from super().get_system_commands(screen)
        if isinstance(screen, (MainScreen, FeedsScreen)):
            yield from palette_commands(screen)
        key = shown_key(self, HELP_KEY)
        yield SystemCommand("Help: keys", f"Show every key binding ({key})", self.action_help)


def palette_commands(screen: Screen) -> Iterable[SystemCommand]:
    """A command for each of ``screen``'s own plain actions, read from its bindings.

    The title is the binding's tooltip (its description when it has none), the
    help is the action's docstring with the key in force (after ``[keys]``); keys
    that take an argument (pane moves, scrolling) or act elsewhere (the app's
    focus keys) are left out.
    """
    from reader.screens.keymap import shown_key

    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or not binding.action.isidentifier():
            continue
        method = getattr(screen, f"action_{binding.action}", None)
        if method is None:
            continue
        key = shown_key(screen, binding)
        doc = (method.__doc__ or binding.description).strip().splitlines()[0].rstrip(".")
        yield SystemCommand(
            binding.tooltip or binding.description,
            f"{doc} ({key})",
            partial(screen.run_action, binding.action),
        )


def make_app(
    locations: Locations | None = None,
    *,
    clock: Callable[[], dt.datetime] = local_now,
    preload: Future[Preloaded] | None = None,
    settings: LoadedConfig | None = None,
) -> NewsReaderApp:
    """Build the app for ``locations`` (default: resolved from the environment); ``settings``:
    config.toml, when the caller has read it (else the app reads it)."""
    return NewsReaderApp(locations or resolve(), clock=clock, preload=preload, settings=settings)
