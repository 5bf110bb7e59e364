"""A chat frontend in a real browser streams a run from the mock, cross-origin, as it arrives.

A page on another loopback origin posts a message to ``POST /agents/writer-agent/runs`` with
``fetch`` (multipart ``FormData``, ``stream=true``, a bearer token: Chromium sends a CORS preflight
for the Authorization header), reads the event stream with the body's ``ReadableStream`` reader
and appends each ``RunContent`` chunk's text to the page as it comes. The mock paces the chunks
(``stream_delay``), so the page must show a part of the reply before the stream ends; at the end
it shows the script's reply (``fixtures/scripts.yaml``) and nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.config import Config
from mockserver.server.app import build_mock
from mockserver.server.serving import serve_in_thread
from tests.browser.conftest import TIMEOUT_MS, recording, serve_page
from tests.conftest import FIXTURES, SPECS

pytestmark = pytest.mark.browser

KEY = "browser-key"
AGENT = "writer-agent"
STREAM_DELAY_MS = 150
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Chat</title></head>
<body><h1>Chat</h1><p id="reply"></p><p id="status">streaming</p><script>
window.arrivals = [];  // performance.now() of each RunContent chunk the page rendered
(async () => {
  const form = new FormData();
  form.append("message", "Write a line about agents");
  form.append("stream", "true");
  const reply = document.getElementById("reply"), status = document.getElementById("status");
  try {
    const response = await fetch("__MOCK__/agents/__AGENT__/runs", {
      method: "POST", headers: {"Authorization": "Bearer __KEY__"}, body: form});
    if (!response.ok) throw new Error("HTTP " + response.status);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "", events = [];
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\\n\\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = (block.match(/^event: (.*)$/m) || [])[1];
        const data = JSON.parse((block.match(/^data: (.*)$/m) || [])[1]);
        events.push(name);
        if (name === "RunContent" && typeof data.content === "string") {
          reply.textContent += data.content;
          window.arrivals.push(performance.now());
        }
      }
    }
    status.textContent = "done: " + events.join(",");
  } catch (error) {
    status.textContent = "ERROR: " + error;
  }
})();
</script></body></html>"""
# The first sight of the reply: some text while the stream is still open, or the end (done or an
# error) if the page never showed a part of it.
FIRST_SIGHT = """() => {
  const text = document.getElementById("reply").textContent;
  const status = document.getElementById("status").textContent;
  return (status !== "streaming" || text.length > 0) && {text, status};
}"""


def preflights(app: Any, asked: list[str]) -> Any:
    """``app``, noting the headers each CORS preflight asks leave to send."""
    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            asked.extend(value.decode() for name, value in scope["headers"]
                         if name == b"access-control-request-headers")
        await app(scope, receive, send)

    return wrapped


def scripted_reply(agent: str) -> str:
    scripts = yaml.safe_load((FIXTURES / "scripts.yaml").read_text())["scripts"]
    (rule,) = scripts["agents"][agent]["rules"]  # one catch-all rule: whatever the message
    assert rule["match"] == {"any": True}
    return str(rule["reply"]["text"])


def test_a_page_on_another_origin_renders_a_streamed_run_as_it_arrives(browser: Any, served: list,
                                                                        tmp_path: Path) -> None:
    seen: list[tuple[str, str]] = []
    asked: list[str] = []
    config = Config(specs=SPECS, fixtures=FIXTURES, security_key=KEY, stream_delay=STREAM_DELAY_MS)
    served.append(serve_in_thread(recording(preflights(build_mock(config).app, asked), seen)))
    html = PAGE.replace("__MOCK__", served[0].url).replace("__KEY__", KEY).replace("__AGENT__", AGENT)
    page_url = serve_page(served, html)
    expected = scripted_reply(AGENT)
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(page_url, wait_until="load")
    # Polled in the page (every animation frame) until a part of the reply shows while the stream
    # is open, or the deadline passes.
    first = page.wait_for_function(FIRST_SIGHT, timeout=TIMEOUT_MS).json_value()
    assert first["status"] == "streaming", (first, console)  # else it ended before any text showed
    partial = first["text"]
    page.wait_for_function("document.getElementById('status').textContent !== 'streaming'",
                           timeout=TIMEOUT_MS)
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)  # an artefact to look at, not checked
    print(f"screenshot: {tmp_path / 'chat.png'}")
    status = page.inner_text("#status")
    assert status.startswith("done: RunStarted,RunContent"), (status, console)
    assert status.endswith(",RunContentCompleted,RunCompleted"), (status, console)
    assert page.inner_text("#reply") == expected, console
    assert 0 < len(partial) < len(expected) and expected.startswith(partial), (partial, expected)
    # The chunks reached the page one by one, paced by the mock, not in one piece at the end.
    arrivals = page.evaluate("window.arrivals")
    chunks = len(expected.split())  # streamed word by word
    assert len(arrivals) == chunks
    assert arrivals[-1] - arrivals[0] >= (chunks - 1) * STREAM_DELAY_MS * 0.5, arrivals
    # Cross-origin: the preflight for the Authorization header came first, and passed.
    path = f"/agents/{AGENT}/runs"
    assert seen.index(("OPTIONS", path)) < seen.index(("POST", path)), seen
    assert asked == ["authorization"], asked
    page.close()
