"""`coach serve`: loopback, a token on every request, the WebSocket's Origin checked,
our own page with bundled fonts, a clean stop; and the page drawn in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from conftest import ROOT, coach_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(home: Path) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", str(port)], cwd=ROOT,
                               env=coach_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
    assert match, line
    wait_listening(port)
    yield process, match.group(1), port
    if process.poll() is None:
        process.kill()
        process.wait()


def wait_listening(port: int, timeout: float = 15.0) -> None:
    """Until the server accepts connections on loopback (it prints its URL just before)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP port listens on, read from /proc (no traffic sent)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.add("ipv6:" + address)
    return found


async def get(url: str, **headers: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers=headers) as response:
            return response.status, await response.text()


async def test_page_needs_the_token(served) -> None:  # type: ignore[no-untyped-def]
    _, url, port = served
    status, _ = await get(f"http://127.0.0.1:{port}/")
    assert status == 403
    status, _ = await get(f"http://127.0.0.1:{port}/?token=wrong")
    assert status == 403
    status, _ = await get(f"http://127.0.0.1:{port}/static/js/textual.js")
    assert status == 403, "static files too"
    status, page = await get(url)
    assert status == 200
    assert "Netwerkcoach" in page
    assert "googleapis" not in page and "fonts/RobotoMono" in page
    assert not [u for u in re.findall(r"https?://[^\"'\s)]+", page) if "127.0.0.1" not in u and "w3.org" not in u]


async def test_websocket_checks_token_and_origin(served) -> None:  # type: ignore[no-untyped-def]
    _, url, port = served
    token = url.split("token=")[1]
    ws_url = f"http://127.0.0.1:{port}/ws?token={token}&width=80&height=24"
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(ws_url, headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as no_token:
            await http.ws_connect(f"http://127.0.0.1:{port}/ws", headers={"Origin": f"http://127.0.0.1:{port}"})
        assert no_token.value.status == 403
        async with http.ws_connect(ws_url, headers={"Origin": f"http://127.0.0.1:{port}"}) as ws:
            message = await ws.receive(timeout=20)
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)


def test_binds_loopback_and_stops_cleanly_on_ctrl_c(served) -> None:  # type: ignore[no-untyped-def]
    process, url, port = served
    assert url.startswith("http://127.0.0.1:")
    assert listening_addresses(port) == {"127.0.0.1"}, "listens on loopback only"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0


def test_warns_when_bound_beyond_loopback(home: Path) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--host", "0.0.0.0", "--port", str(port)],
                               cwd=ROOT, env=coach_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()  # the address: the warning comes right after it
        warning = process.stderr.readline()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert warning.startswith("LET OP: bereikbaar via 0.0.0.0")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is not installed (.ci/run installs it)")
def test_chromium_shows_the_home_screen(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests_serve_cdp import screenshot

    _, url, _ = served
    out = Path(os.environ.get("COACH_SCREENSHOT", tmp_path / "serve.png"))
    classes = screenshot(url, out, wait=8, port=free_port())
    assert "-first-byte" in classes, "the app drew into the page"
    assert out.stat().st_size > 20_000, "more than the intro dialog"
