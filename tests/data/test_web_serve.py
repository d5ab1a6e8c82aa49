"""The rules of ``newsreader serve`` without a server: hosts, the URL, the command, the token."""

from __future__ import annotations

import os
import shlex
import socket
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import make_mocked_request

from reader.web_serve import TokenServer, is_local, page_url, reader_command


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_are_local(host: str) -> None:
    assert is_local(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", ""])
def test_any_other_host_is_not(host: str) -> None:
    assert not is_local(host)


def test_the_url_names_a_host_people_can_reach() -> None:
    assert page_url("127.0.0.1", 8000, "T") == "http://127.0.0.1:8000/?token=T"
    assert page_url("0.0.0.0", 8080, "T") == f"http://{socket.gethostname()}:8080/?token=T"
    assert page_url("::1", 8000, "T") == "http://[::1]:8000/?token=T"


def test_the_served_command_is_this_python_running_the_reader(tmp_path: Path) -> None:
    odd = tmp_path / "news; rm -rf ~ $(x)"
    shell = ["exec"] if os.name == "posix" else []  # a stop that kills it kills the reader
    assert shlex.split(reader_command(odd)) == [
        *shell,
        sys.executable,
        "-m",
        "reader",
        "--cache-dir",
        str(odd.resolve()),
    ]
    assert shlex.split(reader_command(None)) == [*shell, sys.executable, "-m", "reader"]


def test_each_server_has_its_own_long_token() -> None:
    first, second = TokenServer("true", "127.0.0.1", 0), TokenServer("true", "127.0.0.1", 0)
    assert first.token != second.token and len(first.token) >= 32


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/?token=SECRET", True),
        ("/?fontsize=14&token=SECRET", True),
        ("/ws/SECRET", True),
        ("/ws/SECRET?width=80&height=24", True),
        ("/static/js/textual.js", True),
        ("/", False),
        ("/?token=", False),
        ("/?token=SECRE", False),
        ("/?token=SECRETX", False),
        ("/ws", False),
        ("/ws/", False),
        ("/ws/secret", False),
        ("/ws?token=SECRET", False),
        ("/download/SECRET", False),
        ("/SECRET", False),
    ],
)
def test_only_the_token_opens_the_page_and_the_websocket(path: str, allowed: bool) -> None:
    server = TokenServer("true", "127.0.0.1", 0, token="SECRET")
    assert server.allowed(make_mocked_request("GET", path)) is allowed


async def _ignored(*args) -> None:
    pass


async def _started_tab(command: str):
    """A tab's service running ``command`` (as the reader of a browser tab runs)."""
    from textual_serve.download_manager import DownloadManager

    from reader.web_serve import _Tab

    tab = _Tab(
        command,
        write_bytes=_ignored,
        write_str=_ignored,
        close=_ignored,
        download_manager=DownloadManager(),
    )
    await tab.start(80, 24)
    return tab


async def test_a_stop_waits_for_the_reader_of_a_tab_the_browser_just_closed() -> None:
    """The browser closed a tab, and its reader is on its way out, when the server is stopped:
    the stop waits for that reader's process. The session stopping it is cancelled by the
    shutdown; left there, the process and its pipes were cleaned up after the event loop closed,
    with a traceback on the way out (seen once on a loaded machine)."""
    import asyncio

    server = TokenServer("true", "127.0.0.1", 0)
    # A reader that has closed its screen's output and takes a while to exit (saving its state).
    slow = "exec " + shlex.join(
        [sys.executable, "-c", "import os, time; os.close(1); time.sleep(1.5)"]
    )
    tab = await _started_tab(slow)
    server._tabs.add(tab)
    session = asyncio.create_task(tab.stop())  # the session's last step, under way
    await asyncio.sleep(0.2)
    session.cancel()  # as the shutdown cancels every session
    await server.on_shutdown(None)  # type: ignore[arg-type]
    assert tab._process is not None and tab._process.returncode == 0


async def test_a_reader_that_does_not_quit_is_killed_at_a_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio
    import signal

    from reader import web_serve

    monkeypatch.setattr(web_serve, "QUIT_SECONDS", 0.3)
    server = TokenServer("true", "127.0.0.1", 0)
    tab = await _started_tab(
        "exec " + shlex.join([sys.executable, "-c", "import time; time.sleep(60)"])
    )
    server._tabs.add(tab)
    await asyncio.wait_for(server.on_shutdown(None), 10)  # type: ignore[arg-type]
    assert tab._process is not None and tab._process.returncode == -signal.SIGKILL
