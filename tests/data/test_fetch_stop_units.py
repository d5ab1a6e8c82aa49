"""The pieces that let a stop reach every long loop of a fetch (issue #12)."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import pytest

from reader.feeds.background import run_detached
from reader.feeds.interrupt import stop_on_signals
from reader.feeds.parse import ParseStopped, parse_document
from reader.feeds.store import existing_urls

JSON_FEED = (
    b'{"version": "https://jsonfeed.org/version/1.1", "title": "T",'
    b' "items": [{"id": "1", "url": "https://j.example/1", "title": "One"}]}'
)


async def test_run_detached_returns_the_result_and_raises_the_error():
    assert await run_detached(lambda a, b=0: a + b, 2, b=3) == 5
    with pytest.raises(ZeroDivisionError):
        await run_detached(lambda: 1 / 0)


def test_a_cancelled_run_detached_does_not_keep_asyncio_run_waiting(capfd):
    release = threading.Event()
    finished = threading.Event()

    def slow() -> None:
        release.wait(10)
        finished.set()

    async def main() -> None:
        task = asyncio.create_task(run_detached(slow))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    started = time.monotonic()
    asyncio.run(main())  # asyncio.to_thread would keep this waiting the full 10 s
    assert time.monotonic() - started < 2
    assert not finished.is_set()
    release.set()  # the abandoned call ends; its result goes nowhere, and nothing is printed
    assert finished.wait(5)
    time.sleep(0.2)  # its thread hands the result to the closed loop
    assert capfd.readouterr().err == ""


def test_parsing_stops_between_entries_when_asked():
    stop = threading.Event()
    assert len(parse_document(JSON_FEED, "https://j.example/", stop=stop).entries) == 1
    stop.set()
    with pytest.raises(ParseStopped):
        parse_document(JSON_FEED, "https://j.example/", stop=stop)
    rss = b'<rss version="2.0"><channel><item><title>A</title></item></channel></rss>'
    with pytest.raises(ParseStopped):
        parse_document(rss, "https://r.example/", stop=stop)


def test_the_scan_of_known_files_never_opens_a_fifo_and_stops_when_asked(tmp_path):
    folder = tmp_path / "feeds" / "j.example"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text("---\nwebUrl: https://j.example/1\n---\n", encoding="utf-8")
    os.mkfifo(folder / "x.md")
    (folder / "dir.md").mkdir()
    known = existing_urls(tmp_path)
    assert known.urls == {"https://j.example/1"}
    assert known.bodyless == {folder / "a.md"}
    assert known.skipped == [(folder / "x.md", "is a FIFO (named pipe), not a regular file")]
    stop = threading.Event()
    stop.set()
    assert existing_urls(tmp_path, stop).urls == set()


def test_a_signal_inside_stop_on_signals_sets_the_event_once_then_acts_as_before():
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    with stop_on_signals() as interrupt:
        assert not interrupt.event.is_set() and interrupt.exit_code == 0
        os.kill(os.getpid(), signal.SIGTERM)
        deadline = time.monotonic() + 5
        while not interrupt.event.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert interrupt.event.is_set()
        assert (interrupt.name, interrupt.exit_code) == ("SIGTERM", 143)
        assert signal.getsignal(signal.SIGTERM) == before[signal.SIGTERM]  # a second one kills
    assert {signum: signal.getsignal(signum) for signum in before} == before
