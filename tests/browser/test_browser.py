"""The mock from a real browser: headless Chromium (Debian's), driven by Playwright.

A page on another loopback origin renames a seeded session with fetch and a bearer token (so
Chromium sends a CORS preflight) and shows the name the mock returned; /docs lists the operation
and "Try it out" reaches the mock. Without Chromium these tests fail and say how to install it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.server.app import build_mock
from mockserver.server.serving import serve_in_thread
from tests.browser.conftest import TIMEOUT_MS, recording, serve_page
from tests.conftest import FIXTURES, SPECS

pytestmark = pytest.mark.browser

KEY = "browser-key"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Frontend</title></head>
<body><h1>My frontend</h1><p id="result"></p><script>
fetch("__MOCK__/sessions/agent-research-001?type=agent", {
  method: "PATCH",
  headers: {"Authorization": "Bearer __KEY__", "Content-Type": "application/json"},
  body: JSON.stringify({session_name: "Renamed in Chromium"}),
}).then(r => r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)))
  .then(s => { document.getElementById("result").textContent = s.session_name; })
  .catch(e => { document.getElementById("result").textContent = "ERROR: " + e; });
</script></body></html>"""


def test_a_page_on_another_origin_renames_a_session(browser: Any, served: list, tmp_path: Path) -> None:
    seen: list[tuple[str, str]] = []
    mock_app = build_mock(Config(specs=SPECS, fixtures=FIXTURES, security_key=KEY)).app
    served.append(serve_in_thread(recording(mock_app, seen)))
    mock_url = served[0].url
    page_html = PAGE.replace("__MOCK__", mock_url).replace("__KEY__", KEY)
    page_url = serve_page(served, page_html)  # another origin, certainly
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(page_url, wait_until="load")
    page.wait_for_function("document.querySelector('#result').textContent.length > 0", timeout=TIMEOUT_MS)
    screenshot = tmp_path / "frontend.png"  # an artefact to look at, not checked
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot: {screenshot}")
    assert page.inner_text("#result") == "Renamed in Chromium", console
    # What a person sees: the page's heading and the name the mock returned (not an error, and not
    # the fixture's own name, "Market research for Q3 launch"), and nothing else.
    lines = [line for line in page.inner_text("body").splitlines() if line.strip()]
    assert lines == ["My frontend", "Renamed in Chromium"], (lines, console)
    assert ("OPTIONS", "/sessions/agent-research-001") in seen  # the CORS preflight
    assert seen.index(("OPTIONS", "/sessions/agent-research-001")) < seen.index(
        ("PATCH", "/sessions/agent-research-001"))
    page.close()


def test_docs_lists_the_operation_and_try_it_out_reaches_the_mock(browser: Any, served: list,
                                                                   tmp_path: Path) -> None:
    served.append(serve_in_thread(build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app))
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{served[0].url}/docs", wait_until="load")
    summary = page.locator(".opblock-summary-path", has_text="/sessions/{session_id}")
    summary.wait_for()
    assert "Update Session" in page.inner_text(".opblock-summary")
    summary.click()
    page.locator("tr[data-param-name='session_id'] input").fill("agent-research-001")
    page.locator("button.execute").click()
    status = page.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    page.screenshot(path=str(tmp_path / "docs.png"), full_page=True)  # an artefact to look at, not checked
    print(f"screenshot: {tmp_path / 'docs.png'}")
    assert status.inner_text().strip().startswith("200"), status.inner_text()
    # The response body the page shows is the mock's: the fixture session, renamed by the example
    # body Swagger UI sends ({"session_name": "string", ...}).
    shown = page.locator(".live-responses-table .response .response-col_description").first.inner_text()
    assert '"session_id": "agent-research-001"' in shown, shown
    assert '"agent_id": "research-agent"' in shown, shown
    assert '"session_name": "string"' in shown, shown
    page.close()
