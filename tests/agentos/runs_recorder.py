"""Recording a server's answers to runs: each step's request, status, content type, and its parsed
event stream (``[{"event", "data"}]``) or JSON body (the transcripts runs_differential compares).

``parse_sse`` is the framing check: every block is ``event: NAME\\ndata: JSON\\n\\n``; a block
framed otherwise is kept as ``{"raw": block}``. ``Recorder.cancel_mid_stream`` cancels a streamed
run once it has made some progress and reads the stream to its end.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

STREAM_SECONDS = 30
PROGRESS = ("RunContent", "TeamRunContent", "StepCompleted")  # what cancel_mid_stream counts
DB_ID = "main-db"  # the components the sequence runs keep their sessions there


def parse_sse(text: str) -> list[dict[str, Any]]:
    """Event blocks of an AgentOS stream; a block not framed as AgentOS frames it is kept as ``raw``."""
    events = []
    for block in text.split("\n\n"):
        if not block:
            continue
        lines = block.split("\n")
        if len(lines) == 2 and lines[0].startswith("event: ") and lines[1].startswith("data: "):
            events.append({"event": lines[0][7:], "data": json.loads(lines[1][6:])})
        else:
            events.append({"raw": block})
    return events


def _result(response: httpx.Response, text: str | None = None) -> dict[str, Any]:
    kind = response.headers.get("content-type", "").split(";")[0]
    body = response.text if text is None else text
    result: dict[str, Any] = {"status": response.status_code, "content_type": kind}
    if kind == "text/event-stream":
        result["events"] = parse_sse(body)
    else:
        try:
            result["body"] = json.loads(body) if body else None
        except ValueError:
            result["body"] = body
    return result


class Recorder:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.steps: list[dict[str, Any]] = []

    def post(self, name: str, path: str, data: dict[str, Any] | None = None, files: Any = None,
             urlencoded: bool = False) -> dict[str, Any]:
        if urlencoded or files is not None:
            response = self.client.post(path, data=data, files=files)
        else:  # multipart, as a browser's FormData sends it
            response = self.client.post(path, files={k: (None, str(v)) for k, v in (data or {}).items()})
        step = {"step": name, "request": f"POST {path} {data}"} | _result(response)
        self.steps.append(step)
        return step

    def get(self, name: str, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.get(path, params=params)
        step = {"step": name, "request": f"GET {path} {params or ''}"} | _result(response)
        self.steps.append(step)
        return step

    def cancel_mid_stream(self, name: str, component: str, data: dict[str, Any], after: int) -> dict[str, Any]:
        """Stream a run; after ``after`` RunContent events cancel it; read the stream to its end."""
        deadline = time.monotonic() + STREAM_SECONDS
        text, cancel = "", None
        fields = {k: (None, str(v)) for k, v in data.items()}
        with self.client.stream("POST", f"/{component}/runs", files=fields) as response:
            for chunk in response.iter_text():
                text += chunk
                if time.monotonic() > deadline:
                    break
                if cancel is None and sum(text.count(f"event: {name}\n") for name in PROGRESS) >= after:
                    run_id = parse_sse(text.rsplit("\n\n", 1)[0] + "\n\n")[0]["data"]["run_id"]
                    answer = self.client.post(f"/{component}/runs/{run_id}/cancel")
                    cancel = {"run_id": run_id} | _result(answer)
            step = {"step": name, "request": f"POST /{component}/runs {data} + cancel"} | _result(response, text)
        step["cancel"] = cancel
        self.steps.append(step)
        return step


def session_of(step: dict[str, Any]) -> str | None:
    if "events" in step:
        return next((e["data"].get("session_id") for e in step["events"] if "data" in e), None)
    body = step.get("body")
    return body.get("session_id") if isinstance(body, dict) else None


def run_of(step: dict[str, Any]) -> str | None:
    if "events" in step:
        return next((e["data"].get("run_id") for e in step["events"] if "data" in e), None)
    body = step.get("body")
    return body.get("run_id") if isinstance(body, dict) else None
