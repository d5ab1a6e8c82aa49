"""Turn Ctrl-C and SIGTERM into a stop request for a command that writes as it goes.

``newsreader fetch`` writes articles one file at a time for as long as a big
feed lasts. Killed by the default handlers, it would end with a traceback
(Ctrl-C) or mid-write, without a word (SIGTERM). Inside :func:`stop_on_signals`
the first SIGINT or SIGTERM only sets an event the fetch watches, so it ends
within a fraction of a second, between two files, and the command can say
what it kept. The handlers it replaced come back at once, so a second Ctrl-C
interrupts as usual if something does not listen.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class Interrupt:
    """The stop event handed to the work, and which signal set it."""

    event: threading.Event = field(default_factory=threading.Event)
    signum: int | None = None
    """The signal that asked to stop, or None."""

    @property
    def name(self) -> str:
        """``SIGINT`` or ``SIGTERM`` (or "" when no signal came)."""
        return signal.Signals(self.signum).name if self.signum is not None else ""

    @property
    def exit_code(self) -> int:
        """The shell's convention for a program ended by a signal: 128 plus its number."""
        return 128 + self.signum if self.signum is not None else 0


@contextmanager
def stop_on_signals() -> Iterator[Interrupt]:
    """Within the block, SIGINT and SIGTERM set the yielded :class:`Interrupt`'s event.

    Outside the main thread (where handlers cannot be installed) the event
    is still yielded; only nothing sets it.
    """
    interrupt = Interrupt()
    if threading.current_thread() is not threading.main_thread():
        yield interrupt
        return
    # None means a handler set outside Python; the default is the closest we can restore.
    previous = {signum: signal.getsignal(signum) or signal.SIG_DFL for signum in SIGNALS}

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    def handler(signum: int, _frame: object) -> None:
        interrupt.signum = signum
        interrupt.event.set()
        restore()  # a second signal acts as it would have without this block

    for signum in SIGNALS:
        signal.signal(signum, handler)
    try:
        yield interrupt
    finally:
        restore()
