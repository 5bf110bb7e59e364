"""The browser tier's shared parts: Debian's headless Chromium under Playwright, and servers in
threads on loopback ports, stopped after each test.

Without Chromium the tests fail and say how to install it (never ``playwright install``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from mockserver.server.serving import BackgroundServer, serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() or shutil.which("chromium")):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}. Install Debian's package: "
                    "`sudo apt-get update && sudo apt-get install -y chromium` (`make test` does this "
                    "when it runs as root with apt-get). Do not run `playwright install`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=30_000)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def served() -> Iterator[list[BackgroundServer]]:
    servers: list[BackgroundServer] = []
    yield servers
    for server in servers:
        server.stop()


def recording(app: Any, seen: list[tuple[str, str]]) -> Any:
    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append((scope["method"], scope["path"]))
        await app(scope, receive, send)

    return wrapped


def serve_page(served: list[BackgroundServer], html: str) -> str:
    """Serve ``html`` at ``/`` of a second loopback server; its URL names ``localhost``, so the page's
    origin is another than the mock's ``127.0.0.1`` one whatever the ports."""
    served.append(serve_in_thread(Starlette(routes=[Route("/", lambda request: HTMLResponse(html))])))
    return served[-1].url.replace("127.0.0.1", "localhost")
