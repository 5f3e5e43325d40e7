"""A minimal Chrome DevTools Protocol client: open a page, wait, screenshot (tests only)."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import tempfile
import time
from pathlib import Path

import aiohttp


async def _screenshot(debug_port: int, url: str, wait: float, out: Path, keys: tuple[str, ...]) -> str:
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            try:
                async with http.get(f"http://127.0.0.1:{debug_port}/json/list") as response:
                    pages = [p for p in await response.json() if p.get("type") == "page"]
                if pages:
                    break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            counter = 0

            async def call(method: str, **params: object) -> dict:
                nonlocal counter
                counter += 1
                await ws.send_str(json.dumps({"id": counter, "method": method, "params": params}))
                while True:
                    message = json.loads((await ws.receive()).data)
                    if message.get("id") == counter:
                        return message.get("result", {})

            await call("Page.enable")
            await call("Page.navigate", url=url)
            await asyncio.sleep(wait)
            for key in keys:
                for kind in ("keyDown", "keyUp"):
                    await call("Input.dispatchKeyEvent", type=kind, key=key, code=key,
                               windowsVirtualKeyCode={"ArrowDown": 40, "Enter": 13}.get(key, 0),
                               text="\r" if key == "Enter" and kind == "keyDown" else "")
                await asyncio.sleep(0.5)
            if keys:
                await asyncio.sleep(2)
            shot = await call("Page.captureScreenshot", format="png")
            out.write_bytes(base64.b64decode(shot["data"]))
            state = await call("Runtime.evaluate", expression="document.body.className")
            return str(state.get("result", {}).get("value", ""))


def screenshot(url: str, out: Path, wait: float = 6.0, size: str = "1200,800", port: int = 9333,
               keys: tuple[str, ...] = ()) -> str:
    """Open ``url`` in headless Chromium, wait in real time, save a PNG; returns body classes."""
    profile = tempfile.mkdtemp(prefix="coach-chromium-")
    browser = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--window-size={size}", f"--remote-debugging-port={port}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        return asyncio.run(_screenshot(port, url, wait, out, keys))
    finally:
        browser.terminate()
        browser.wait(timeout=10)
