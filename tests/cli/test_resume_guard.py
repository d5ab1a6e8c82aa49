"""SIGCONT passed on to the terminal driver only after a SIGTSTP, and not while closing
(:mod:`reader.resume_guard`). The handlers are called as the signals would call them."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from reader.resume_guard import guard_resume


class Driver:
    """Stands for Textual's driver: what its SIGTSTP and SIGCONT handlers were called for."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def stop(self, number, frame) -> None:
        self.calls.append("stop")  # the real one suspends, then stops the process

    def resume(self, number, frame) -> None:
        self.calls.append("resume")


@pytest.fixture
def driver() -> Iterator[Driver]:
    """A driver's handlers in force, and the process's own put back afterwards."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGTSTP, signal.SIGCONT)}
    installed = Driver()
    signal.signal(signal.SIGTSTP, installed.stop)
    signal.signal(signal.SIGCONT, installed.resume)
    yield installed
    for number, handler in saved.items():
        signal.signal(number, handler)


def deliver(number: int) -> None:
    handler = signal.getsignal(number)
    assert callable(handler)
    handler(number, None)


def test_a_sigcont_without_a_suspend_is_not_passed_on(driver: Driver) -> None:
    assert guard_resume(lambda: False)
    deliver(signal.SIGCONT)
    assert driver.calls == []


def test_a_suspend_is_resumed_once(driver: Driver) -> None:
    guard_resume(lambda: False)
    deliver(signal.SIGTSTP)
    deliver(signal.SIGCONT)
    deliver(signal.SIGCONT)  # a second one (the terminal closing later) is not
    assert driver.calls == ["stop", "resume"]


def test_nothing_is_resumed_while_closing(driver: Driver) -> None:
    closing = False
    guard_resume(lambda: closing)
    deliver(signal.SIGTSTP)
    closing = True
    deliver(signal.SIGCONT)
    assert driver.calls == ["stop"]


def test_default_handlers_are_left_alone() -> None:
    saved = signal.getsignal(signal.SIGCONT)
    signal.signal(signal.SIGCONT, signal.SIG_DFL)
    try:
        assert not guard_resume(lambda: False)  # a headless or web driver installs none
        assert signal.getsignal(signal.SIGCONT) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGCONT, saved)
