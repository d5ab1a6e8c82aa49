"""``newsreader serve`` through the real entry point, without a browser (tests/web has one).

Safe by default: loopback only unless ``--allow-remote``; the page and the
websocket answer 403 without this run's token; a taken port, Ctrl-C and
SIGTERM end in one line or none, never a traceback.
"""

from __future__ import annotations

import http.client
import signal
import socket
import time
from pathlib import Path

import pytest
from conftest import RunCli, write_article
from served import Served, free_port

UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}
"""A websocket handshake's request headers."""


@pytest.fixture
def news(cache: Path) -> Path:
    write_article(cache, "one.md", title="One", originalUrl="https://example.org/one")
    return cache


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(100_000).decode("utf-8", "replace")
    finally:
        connection.close()


def one_error_line(done) -> str:
    assert done.returncode == 1 and done.stdout == "", (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "::"])
def test_another_host_needs_allow_remote(run_cli: RunCli, news: Path, host: str) -> None:
    line = one_error_line(run_cli("--cache-dir", news, "serve", "--host", host))
    assert "--allow-remote" in line and host in line


def test_a_port_in_use_is_one_line(run_cli: RunCli, news: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_error_line(run_cli("--cache-dir", news, "serve", "--port", str(port)))
    assert line == (
        f"Error: cannot listen on 127.0.0.1:{port}: the port is in use (choose another with --port)"
    )


def test_the_page_and_the_websocket_need_the_token(news: Path) -> None:
    served = Served(news)
    try:
        assert served.url == f"http://127.0.0.1:{served.port}/?token={served.token}"
        status, page = get(served.port, f"/?token={served.token}")
        assert status == 200
        assert f"ws://127.0.0.1:{served.port}/ws/{served.token}" in page
        for path in ("/", "/?token=nope", "/ws", "/ws/nope", "/download/x", "/static/"):
            status, text = get(served.port, path)
            assert status == 403, path
            if path != "/static/":
                assert "token" in text and "<" not in text, text  # short and plain
        for path in ("/ws", "/ws/nope", f"/ws?token={served.token}"):
            assert get(served.port, path, UPGRADE)[0] == 403, path
        assert get(served.port, "/static/js/textual.js")[0] == 200  # the package's own files
        # The page's addresses follow the name the browser used; an odd Host stays out of it.
        named = {"Host": f"localhost:{served.port}"}
        assert (
            f"ws://localhost:{served.port}/ws/"
            in get(served.port, f"/?token={served.token}", named)[1]
        )
        odd = {"Host": 'x"><script>alert(1)</script>'}
        page = get(served.port, f"/?token={served.token}", odd)[1]
        assert "<script>alert" not in page and f"ws://127.0.0.1:{served.port}/ws/" in page
    finally:
        out, err = served.stop()
    assert served.process.returncode == 0, err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_it_quietly(news: Path, signum: int) -> None:
    served = Served(news)
    assert get(served.port, f"/?token={served.token}")[0] == 200
    began = time.monotonic()
    served.process.send_signal(signum)
    out, err = served.process.communicate(timeout=30)
    took = time.monotonic() - began
    assert served.process.returncode == 0, err
    assert out == "" and err == "", (out, err)
    assert took < 10, f"{took:.1f} s"
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", served.port))


def test_port_zero_takes_a_free_port(run_cli: RunCli, news: Path) -> None:
    assert free_port() > 0  # the helper the tests pick ports with
    served = Served(news, port=0)
    try:
        assert served.port > 0 and get(served.port, f"/?token={served.token}")[0] == 200
    finally:
        served.stop()
