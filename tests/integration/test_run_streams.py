"""Streamed runs on a real server (issue 21): a cancel from another connection ends the stream with
the cancellation event and the stored run says so; network faults cut a stream midway; the stream
delay paces the chunks."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver.config import Config
from mockserver.server.app import build_mock
from mockserver.server.serving import serve_in_thread
from tests.conftest import FIXTURES, SPECS

pytestmark = pytest.mark.server
DEADLINE_SECONDS = 10
RUNS = "/agents/research-agent/runs"


@pytest.fixture
def server() -> Iterator[str]:
    served = serve_in_thread(build_mock(Config(specs=SPECS, fixtures=FIXTURES, stream_delay=100)).app)
    try:
        yield served.url
    finally:
        served.stop()


def read_events(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """Each event's data as it arrives, checking the name line before it."""
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = json.loads(line.removeprefix("data: "))
            assert data["event"] == name
            yield data


def stored_run(url: str, session_id: str, run_id: str) -> dict[str, Any]:
    sessions = httpx.get(f"{url}/__mockserver/sessions", timeout=DEADLINE_SECONDS).json()
    session = next(s for s in sessions if s["session_id"] == session_id)
    return next(r for r in session["runs"] if r["run_id"] == run_id)


def test_a_cancelled_run_ends_its_stream_with_the_cancel_event(server: str) -> None:
    seen: list[dict[str, Any]] = []
    with httpx.stream("POST", server + RUNS, data={"message": "hello", "stream": "true"},
                      timeout=DEADLINE_SECONDS) as response:
        assert response.status_code == 200
        for data in read_events(response.iter_lines()):
            seen.append(data)
            if [e["event"] for e in seen].count("RunContent") == 2:
                cancel = httpx.post(f"{server}/agents/research-agent/runs/{data['run_id']}/cancel",
                                    timeout=DEADLINE_SECONDS)
                assert cancel.status_code == 200 and cancel.json() == {}
    names = [e["event"] for e in seen]
    assert names[-1] == "RunCancelled" and "RunCompleted" not in names, names
    assert seen[-1]["reason"] == f"Run {seen[0]['run_id']} was cancelled"
    run = stored_run(server, seen[0]["session_id"], seen[0]["run_id"])
    assert run["status"] == "CANCELLED" and run["content"].startswith("Hello! I ")
    session = httpx.get(f"{server}/sessions/{seen[0]['session_id']}?type=agent", timeout=DEADLINE_SECONDS).json()
    assert session["chat_history"] == []  # a cancelled run is left out, as in AgentOS


def test_cancelling_a_run_that_is_over_changes_nothing(server: str) -> None:
    done = httpx.post(server + RUNS, data={"message": "hello", "stream": "false"}, timeout=DEADLINE_SECONDS).json()
    cancel = httpx.post(f"{server}/agents/research-agent/runs/{done['run_id']}/cancel", timeout=DEADLINE_SECONDS)
    assert cancel.status_code == 200 and stored_run(server, done["session_id"], done["run_id"])["status"] == "COMPLETED"


@pytest.mark.parametrize("fault", ["reset", "empty"])
def test_a_fault_cuts_a_stream_midway(server: str, fault: str) -> None:
    seen: list[dict[str, Any]] = []
    with pytest.raises(httpx.TransportError), httpx.stream(
            "POST", server + RUNS, data={"message": "hello", "stream": "true"},
            headers={"Prefer": f"fault={fault}"}, timeout=DEADLINE_SECONDS) as response:
        assert response.status_code == 200
        seen.extend(read_events(response.iter_lines()))
    assert seen and seen[0]["event"] == "RunStarted" and "RunCompleted" not in [e["event"] for e in seen]


def test_a_malformed_stream_ends_midway_in_a_torn_event(server: str) -> None:
    response = httpx.post(server + RUNS, data={"message": "hello", "stream": "true"},
                          headers={"Prefer": "fault=malformed"}, timeout=DEADLINE_SECONDS)
    assert response.status_code == 200 and "RunStarted" in response.text
    assert "RunCompleted" not in response.text and not response.text.endswith("\n\n")


def test_the_stream_delay_paces_the_chunks(server: str) -> None:
    started = time.monotonic()
    arrivals = []
    with httpx.stream("POST", server + RUNS, data={"message": "hello", "stream": "true"},
                      timeout=DEADLINE_SECONDS) as response:
        for data in read_events(response.iter_lines()):
            arrivals.append((data["event"], time.monotonic() - started))
    assert arrivals[-1][0] == "RunCompleted"
    assert arrivals[-1][1] >= 0.1 * (len(arrivals) - 1) * 0.9, arrivals  # 100 ms before each event after the first


def test_a_cancelled_workflow_is_cancelled_then_completed_with_the_steps_done(server: str) -> None:
    seen: list[dict[str, Any]] = []
    with httpx.stream("POST", server + "/workflows/crm-import/runs", data={"message": "go", "stream": "true"},
                      timeout=DEADLINE_SECONDS) as response:
        for data in read_events(response.iter_lines()):
            seen.append(data)
            if data["event"] == "StepCompleted" and data["step_index"] == 0:
                cancel = httpx.post(f"{server}/workflows/crm-import/runs/{data['run_id']}/cancel",
                                    timeout=DEADLINE_SECONDS)
                assert cancel.status_code == 200
    why = f"Run {seen[0]['run_id']} was cancelled"
    assert [e["event"] for e in seen[-2:]] == ["WorkflowCancelled", "WorkflowCompleted"]
    assert seen[-1]["content"] == why and [s["step_name"] for s in seen[-1]["step_results"]] == ["read"]
    run = stored_run(server, seen[0]["session_id"], seen[0]["run_id"])
    assert run["status"] == "CANCELLED" and run["content"] == why
