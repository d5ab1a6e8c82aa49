"""Take the terminal back on SIGCONT only after a suspend (Ctrl+Z), and never while closing.

Textual's terminal driver answers every SIGCONT by starting application mode
again, with a new thread reading the keyboard. A terminal that closes (a
window shut, ``tmux kill-session``, a dropped ssh link) sends SIGHUP and
SIGCONT together. When that came while the reader was already on its way out
(``q`` pressed a moment before, a million articles to let go of), the new
thread was started after the exit had stopped the old one: nothing stopped it,
and the process never ended, a core busy reading the dead terminal, its index
still open. Here the driver's SIGCONT handler is passed on only for a process
that stopped itself with SIGTSTP, and not once the reader is closing.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType


def guard_resume(closing: Callable[[], bool]) -> bool:
    """Wrap the SIGTSTP and SIGCONT handlers in force (the driver's) as described above;
    ``closing`` says whether the reader is on its way out. Call from the main thread once the
    driver is up. Returns whether they were wrapped (not when either is not a Python handler:
    a headless or web driver, or a system without them)."""
    names = ("SIGTSTP", "SIGCONT")
    numbers = [getattr(signal, name, None) for name in names]
    if None in numbers:
        return False
    stop_number, continue_number = numbers
    on_stop, on_continue = signal.getsignal(stop_number), signal.getsignal(continue_number)
    if not callable(on_stop) or not callable(on_continue):
        return False
    suspended = False

    def stopping(number: int, frame: FrameType | None) -> None:
        nonlocal suspended
        suspended = True  # before the handler: it stops the process, and SIGCONT comes next
        on_stop(number, frame)

    def continuing(number: int, frame: FrameType | None) -> None:
        nonlocal suspended
        if suspended and not closing():
            suspended = False
            on_continue(number, frame)

    signal.signal(stop_number, stopping)
    signal.signal(continue_number, continuing)
    return True
