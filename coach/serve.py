"""`coach serve`: the app in a browser through textual-serve, on loopback, behind a token.

textual-serve has no authentication and does not check the WebSocket's Origin, so any
page the user visits could drive a locally served app. This server therefore:
- makes a random token per run, printed in the URL (as Jupyter does); every request
  without it (page, WebSocket, downloads, static files) is refused with 403; after the
  first page the browser keeps it in an HttpOnly, SameSite=Strict cookie;
- refuses a WebSocket whose Origin is not the served host;
- binds to 127.0.0.1 unless told otherwise, and warns when bound elsewhere;
- serves its own page template, whose fonts come from this server (no outside request).
Each browser tab runs its own app process (textual-serve's design).

The address is printed only once the socket is bound (port 0: the port the system
chose); an address that cannot be bound or resolved is one Dutch line (CoachError).
"""

from __future__ import annotations

import asyncio
import errno
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
from typing import Any

from aiohttp import web
from textual_serve.server import Server

import textual_serve

from coach.errors import CoachError, UsageError

log = logging.getLogger("netwerkcoach.serve")

TEMPLATES = Path(__file__).resolve().parent / "ui" / "serve_templates"
STATICS = Path(textual_serve.__file__).resolve().parent / "static"
COOKIE = "coach_token"
PORTS = range(0, 65536)
"""Ports ``--port`` takes; 0 lets the system choose a free one."""


def port_problem(port: int) -> str | None:
    """What is wrong with ``port`` as a port to serve on, in Dutch; None when it is fine."""
    if port in PORTS:
        return None
    return f"poort {port} bestaat niet: kies een getal van 1 tot en met 65535 (of 0 voor een vrije poort)"


def host_port(host: str, port: int) -> str:
    """``host:port`` as written in an address (an IPv6 address in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _looks_numeric(host: str) -> bool:
    """Only digits and dots: meant as an IPv4 address (a host name never ends in a label of digits only)."""
    return bool(re.fullmatch(r"[0-9.]+", host))


def unknown_host(host: str, port: int) -> str:
    """The line for a host that is neither an IP address nor a name that resolves."""
    return (f"kan niet luisteren op {host_port(host, port)}: het adres '{host}' is onbekend (geen geldig "
            "IP-adres en geen naam die te vinden is); laat --host weg voor 127.0.0.1, alleen deze computer")


def bind_problem(host: str, port: int, err: OSError) -> str:
    """Why ``host:port`` cannot be served on, as one Dutch line for the user."""
    where = f"kan niet luisteren op {host_port(host, port)}"
    if isinstance(err, socket.gaierror):
        return unknown_host(host, port)
    if err.errno == errno.EADDRINUSE:
        return (f"{where}: die poort is al in gebruik (door een ander programma, of een andere coach serve); "
                "kies een andere met --port, of --port 0 voor een vrije")
    if err.errno == errno.EADDRNOTAVAIL:
        return (f"{where}: dat adres hoort niet bij deze computer; laat --host weg voor 127.0.0.1, "
                "alleen deze computer")
    if err.errno in (errno.EACCES, errno.EPERM):
        return (f"{where}: geen toestemming (poorten onder 1024 vragen meestal beheerrechten); "
                "kies een poort vanaf 1024 met --port")
    reason = err.strerror or str(err)
    return f"{where}: {reason}"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class CoachServer(Server):
    """textual-serve with a token, an Origin check and our own page."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        super().__init__(command, host=host, port=port, title="Netwerkcoach",
                         statics_path=STATICS, templates_path=TEMPLATES)
        self.token = token
        self.public_url = f"http://{host_port(host, port)}"  # plain http on every port (443 too)

    @property
    def url(self) -> str:
        """The address to open, with the token."""
        return f"{self.public_url}/?token={self.token}"

    def _allowed_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return False
        return origin in {f"http://{request.host}", self.public_url}

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Refuse what carries no valid token, and WebSockets from other origins."""
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            log.warning("refused %s %s: no valid token", request.method, request.path)
            return web.Response(status=403, text="Geen toegang: open het adres met het token dat `coach serve` liet zien.\n")
        if request.headers.get("Upgrade", "").lower() == "websocket" and not self._allowed_origin(request):
            log.warning("refused WebSocket from origin %r", request.headers.get("Origin"))
            return web.Response(status=403, text="Geen toegang: verbinding van een andere herkomst.\n")
        response: web.StreamResponse = await handler(request)
        if request.query.get("token"):
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        return response

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Nothing is said here: the socket is not bound yet (see ``announce``)."""

    def announce(self) -> None:
        """The address to open, once the socket is bound; a warning when not on loopback only."""
        print(f"Netwerkcoach in je browser: {self.url}", flush=True)
        if not is_loopback(self.host):
            warning = (f"LET OP: bereikbaar via {self.host}, niet alleen op deze computer. "
                       "Iedereen met het adres en het token kan de sessies openen.")
            print(warning, file=sys.stderr, flush=True)
            log.warning(warning)
        print("Stoppen: Ctrl+C", flush=True)

    def serve(self, debug: bool = False) -> None:
        """Bind, say the address, serve until Ctrl+C (or SIGTERM).

        textual-serve's own ``serve`` (aiohttp's ``run_app``) runs the start-up hooks,
        where an address would be printed, before it binds, and lets a bind error end
        in a traceback; this binds first and turns such an error into a CoachError.
        """
        self.debug = debug
        self.initialize_logging()
        if _looks_numeric(self.host):
            try:
                ipaddress.ip_address(self.host)
            except ValueError:  # 256.1.1.1 would go to DNS as a name first
                raise CoachError(unknown_host(self.host, self.port)) from None
        try:
            asyncio.run(self._serve())
        except KeyboardInterrupt:  # where the loop takes no signal handlers (Windows): Ctrl+C still stops
            pass

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        handled: list[signal.Signals] = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
                handled.append(signum)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
        runner = web.AppRunner(await self._make_app(), handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            try:
                await site.start()
            except OSError as err:  # socket.gaierror included
                raise CoachError(bind_problem(self.host, self.port, err)) from None
            if self.port == 0:
                self.port = int(runner.addresses[0][1])
                self.public_url = f"http://{host_port(self.host, self.port)}"
            self.announce()
            await stop.wait()
        finally:
            for signum in handled:
                loop.remove_signal_handler(signum)
            await runner.cleanup()


def app_command(coach: bool = False, *, windows: bool | None = None) -> str:
    """The shell line textual-serve runs per browser tab: this Python, ``-m coach app``.

    textual-serve hands it to the system's shell, so it is quoted for that shell:
    cmd.exe rules on Windows (``C:\\Program Files\\…`` in double quotes), POSIX rules elsewhere.
    """
    import subprocess

    parts = [sys.executable, "-m", "coach", "app", *(["--coach"] if coach else [])]
    on_windows = os.name == "nt" if windows is None else windows
    if on_windows:
        return subprocess.list2cmdline(parts)
    return shlex.join(parts)


def serve(host: str = "127.0.0.1", port: int = 8000, coach: bool = False, token: str | None = None) -> int:
    """Serve the app until Ctrl+C; returns the exit code.

    A port out of range is a UsageError; an address that cannot be bound or
    resolved a CoachError naming host and port.
    """
    problem = port_problem(port)
    if problem:
        raise UsageError(problem)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    command = app_command(coach)
    server = CoachServer(command, host=host, port=port, token=token or secrets.token_urlsafe(24))
    server.serve()
    return 0
