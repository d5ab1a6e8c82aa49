"""Await a blocking call in a thread that a stopped run does not wait for.

``asyncio.to_thread`` uses the loop's default executor, and ``asyncio.run``
joins that executor before it returns: cancelling the await does not help,
the run still waits until the call is over. A feed of several MiB spends
seconds inside feedparser, in one call nothing can interrupt, so a stop
would wait for it. :func:`run_detached` runs the call in a daemon thread of
its own instead: a cancelled await returns at once, and the abandoned call
finishes (or dies with the process) on its own, its result dropped.

Only for calls that write nothing: an abandoned call runs on unobserved.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_T = TypeVar("_T")


async def run_detached(func: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``func(*args, **kwargs)`` in a daemon thread; cancelling the await abandons it."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(result: _T | None, error: BaseException | None) -> None:
        if future.done():  # the await was cancelled meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def target() -> None:
        result: _T | None = None
        error: BaseException | None = None
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:  # handed to the awaiting coroutine
            error = exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:
            pass  # the run is over and its loop closed: nobody wants the result any more

    threading.Thread(target=target, name="newsreader-detached", daemon=True).start()
    return await future
