"""The reader served to a web browser by Textual's own ``textual-serve``, behind a token.

textual-serve starts the served command once per browser tab, as a subprocess
driven over a websocket, so every tab is the real reader over the same cache,
state and config as the terminal one. What it does not do is keep other people
out: anyone who can reach the port gets a reader, and any web page open in
the same browser could connect to 127.0.0.1. :class:`TokenServer` adds a
random token each run that the page (``/?token=...``) and the websocket
(``/ws/<token>``) must carry; everything else but the package's static files
is refused. Plain Python: no Textual (textual-serve does not import it).
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import ipaddress
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

REFUSED = "403: this page needs the link with the token that `newsreader serve` printed.\n"
"""The plain text a request without the right token gets."""

SECURITY_HEADERS = {
    # No fonts or styles from other sites (textual-serve's page asks Google Fonts for one),
    # no framing by another page, and the token never leaves in a Referer header.
    "Content-Security-Policy": (
        "style-src 'self' 'unsafe-inline'; font-src 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")
"""A Host header that is a plain name or address (anything else stays out of the page)."""


QUIT_SECONDS = 5.0
"""How long a stop waits for the tabs' readers to quit, then for the killed ones to end."""


class ServeError(Exception):
    """The server cannot start; ``str()`` is one line."""


def is_local(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost`` (no other machine reaches it)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reader_command(cache_dir: Path | None) -> str:
    """The shell command textual-serve runs for each browser tab: this Python's ``-m reader``.

    textual-serve runs it through the shell, so every part is quoted. The environment
    (``NEWSREADER_CACHE_DIR``, the XDG folders) is inherited, so the served reader uses the
    same folders as this one; ``--cache-dir`` is passed on only when it was given.
    """
    argv = [sys.executable, "-m", "reader"]
    if cache_dir is not None:
        argv += ["--cache-dir", str(cache_dir.resolve())]
    command = shlex.join(argv)
    # The shell gives its process to the reader: a reader that must be killed at a stop (see
    # TokenServer.on_shutdown) is the reader, not a shell that would leave it running.
    return f"exec {command}" if os.name == "posix" else command


def page_url(host: str, port: int, token: str) -> str:
    """The address to open: the host people can reach (this machine's name for 0.0.0.0)."""
    shown = host
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        if address.is_unspecified:
            shown = socket.gethostname()
        elif address.version == 6:
            shown = f"[{host}]"
    return f"http://{shown}:{port}/?token={token}"


class TokenServer(Server):
    """textual-serve's :class:`Server` with a token on the page and the websocket.

    What changes: the websocket route is ``/ws/<token>`` (its page builds the websocket's
    address from the route's name and appends ``?width=..`` to it, so the token must be in
    the path); a middleware refuses with 403 every request but the static files that lacks
    the token (compared with :func:`hmac.compare_digest`); the page's addresses follow the
    host the browser used; :meth:`listen` binds before anything is printed; and :meth:`run`
    serves quietly and stops on Ctrl-C or SIGTERM without a traceback, ending the open tabs
    (each reader is told to quit, saves its state and is waited for) within a few seconds.
    """

    def __init__(self, command: str, host: str, port: int, token: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title="newsreader")
        self.token = token or secrets.token_urlsafe(24)
        """This run's secret: whoever has it can read and change the reading state."""
        self._socket: socket.socket | None = None
        self._sessions: set[asyncio.Task] = set()
        """The browser tabs' websocket handlers, ended at shutdown instead of waited for."""
        self._tabs: set[_Tab] = set()
        """The tabs whose reader has not ended yet: a shutdown waits for each (see
        :meth:`on_shutdown`)."""

    @property
    def url(self) -> str:
        """The page's address with the token, to print (the real port once listening)."""
        return page_url(self.host, self.port, self.token)

    def listen(self) -> None:
        """Bind the address now, so a port in use is one line before anything is printed;
        raise :class:`ServeError`. Port 0 takes a free port (:attr:`port` then says which)."""
        try:
            family, kind, proto, _, address = socket.getaddrinfo(
                self.host, self.port, type=socket.SOCK_STREAM
            )[0]
            sock = socket.socket(family, kind, proto)
        except OSError as exc:
            raise ServeError(_listen_problem(self.host, self.port, exc)) from None
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise ServeError(_listen_problem(self.host, self.port, exc)) from None
        self._socket = sock
        self.port = sock.getsockname()[1]
        self.public_url = self.url.partition("/?")[0]

    async def _make_app(self) -> web.Application:
        """textual-serve's routes (without downloads: the reader delivers no file), guarded."""
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get(f"/ws/{self.token}", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, its addresses (scripts, websocket) on the host the browser asked
        for: a machine reached by its address or another name than :func:`page_url`'s works."""
        if not _HOST.fullmatch(request.host):
            return await super().handle_index(request)
        # The page's handler reads public_url before its first await: no request interleaves.
        default, self.public_url = self.public_url, f"http://{request.host}"
        try:
            return await super().handle_index(request)
        finally:
            self.public_url = default

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: textual-serve's handler, with :class:`_Tab` for its AppService, and
        remembered so that a stop can end it."""
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        tab: _Tab | None = None
        try:
            await websocket.prepare(request)
            tab = _Tab(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            self._tabs.add(tab)
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:  # the server stops
            await websocket.close()
        except Exception:  # noqa: BLE001 - one tab's failure is logged, the server carries on
            logging.getLogger("textual-serve").exception("a browser session failed")
        finally:
            self._sessions.discard(task)
            if tab is not None:
                await tab.stop()  # a stop cancelled here goes on: the shutdown waits for it
                self._tabs.discard(tab)
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """End every tab's session: textual-serve then tells its reader to quit (which saves its
        state) and closes the page's connection ("Session ended" in the browser).

        Then wait for every reader to end, those whose tab the browser closed just before
        included (their stop was under way when the stop came): a reader left running with
        its pipes open was cleaned up after the event loop closed, with a traceback on the way
        out. One that has not quit after :data:`QUIT_SECONDS` is killed.
        """
        for task in list(self._sessions):
            task.cancel()
        if self._sessions:
            await asyncio.wait(list(self._sessions), timeout=QUIT_SECONDS)
        stops = {tab: asyncio.ensure_future(tab.stop()) for tab in self._tabs}
        if not stops:
            return
        _, late = await asyncio.wait(stops.values(), timeout=QUIT_SECONDS)
        if late:
            for tab, stop in stops.items():
                if stop in late:
                    tab.kill()
            await asyncio.wait(late, timeout=QUIT_SECONDS)

    def allowed(self, request: web.Request) -> bool:
        """Whether ``request`` may be answered: static files, or the page or websocket with
        this run's token."""
        path = request.path
        if path.startswith("/static/"):
            return True
        if path == "/":
            given = request.query.get("token", "")
        elif path.startswith("/ws/"):
            given = path.removeprefix("/ws/")
        else:
            return False
        return hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        if not self.allowed(request):
            return web.Response(status=403, text=REFUSED, headers=SECURITY_HEADERS)
        response = await handler(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def run(self) -> None:
        """Serve on the socket :meth:`listen` bound until Ctrl-C or SIGTERM."""
        if self._socket is None:
            self.listen()
        logging.basicConfig(level=logging.WARNING, format="newsreader serve: %(message)s")
        loop = asyncio.new_event_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self.request_exit)
            except NotImplementedError:  # Windows: Ctrl-C still ends it, as KeyboardInterrupt
                pass
        web.run_app(
            self._make_app(),
            sock=self._socket,
            handle_signals=False,
            loop=loop,
            print=None,
            access_log=None,
            shutdown_timeout=1.0,
        )


class _Tab(AppService):
    """textual-serve's AppService (one tab's reader) that ends its process properly.

    The original stops once the reader closed its output, with its input and error pipes still
    open and its process not waited for: at a stop the event loop could close first, and the
    pipes and the process be cleaned up after it (a warning and a traceback on the way out).
    Here a stop runs to its end once begun, whoever awaits it and whether or not that is
    cancelled: every call waits for the same one.
    """

    _stopping: asyncio.Future[None] | None = None

    async def stop(self) -> None:
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    def kill(self) -> None:
        """End the reader at once (it did not quit when asked)."""
        process = self._process
        if process is not None and process.returncode is None:
            process.kill()

    async def _stop(self) -> None:
        await super().stop()
        process = self._process
        if process is None:
            return
        self.stdin.close()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                await stream.read()  # to its end, where its pipe is closed
        await process.wait()


def _listen_problem(host: str, port: int, exc: OSError) -> str:
    """One line for a failed bind (the port taken, the address not this machine's)."""
    where = f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the port is in use (choose another with --port)"
    if exc.errno == errno.EACCES:
        return f"cannot listen on {where}: permission denied (ports below 1024 need root)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: no such address on this machine"
    return f"cannot listen on {where}: {exc.strerror or exc}"
