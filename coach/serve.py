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
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.server import Server

import textual_serve

log = logging.getLogger("netwerkcoach.serve")

TEMPLATES = Path(__file__).resolve().parent / "ui" / "serve_templates"
STATICS = Path(textual_serve.__file__).resolve().parent / "static"
COOKIE = "coach_token"


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
        print(f"Netwerkcoach in je browser: {self.url}", flush=True)
        if not is_loopback(self.host):
            warning = (f"LET OP: bereikbaar via {self.host}, niet alleen op deze computer. "
                       "Iedereen met het adres en het token kan de sessies openen.")
            print(warning, file=sys.stderr, flush=True)
            log.warning(warning)
        print("Stoppen: Ctrl+C", flush=True)


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
    """Serve the app until Ctrl+C; returns the exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    command = app_command(coach)
    server = CoachServer(command, host=host, port=port, token=token or secrets.token_urlsafe(24))
    server.serve()
    return 0
