"""Agent, team and workflow runs (issue 21) as a chat frontend meets them, in-process: streamed and
plain, framed as AgentOS frames them, kept as sessions and read back at once, in either form
encoding; unknown components, missing messages and text parts in file fields refused."""

from __future__ import annotations

import json
from typing import Any


def events(text: str) -> list[tuple[str, dict[str, Any]]]:
    """An event stream's blocks as (event name, data), checking each is framed as AgentOS frames it."""
    found = []
    for block in text.split("\n\n"):
        if not block:
            continue
        name_line, data_line = block.split("\n")
        assert name_line.startswith("event: ") and data_line.startswith("data: "), block
        data = json.loads(data_line.removeprefix("data: "))
        assert data["event"] == name_line.removeprefix("event: ")
        found.append((data["event"], data))
    return found


def run(client: Any, path: str, **form: str) -> Any:
    return client.post(path, data=form)


def get(client: Any, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_streamed_agent_run_is_stored_as_a_session_and_read_back_at_once(client: Any) -> None:
    response = run(client, "/agents/research-agent/runs", message="Hello there", stream="true")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    told = events(response.text)
    names = [name for name, _ in told]
    assert names[0] == "RunStarted" and names[-2:] == ["RunContentCompleted", "RunCompleted"]
    content = "".join(data["content"] for name, data in told if name == "RunContent")
    completed = told[-1][1]
    assert completed["content"] == content and completed["metrics"]["total_tokens"] > 0
    session_id, run_id = completed["session_id"], completed["run_id"]
    session = get(client, f"/sessions/{session_id}?type=agent")
    assert session["session_name"] == "Hello there" and session["agent_id"] == "research-agent"
    assert [m["content"] for m in session["chat_history"]] == ["Hello there", content]
    listed = get(client, "/sessions?type=agent&component_id=research-agent&limit=100")
    assert session_id in [item["session_id"] for item in listed["data"]]
    runs = get(client, f"/sessions/{session_id}/runs?type=agent")
    assert [r["run_id"] for r in runs] == [run_id] and runs[0]["content"] == content
    assert (get(client, f"/sessions/{session_id}/runs/{run_id}?type=agent"))["run_input"] == "Hello there"


def test_a_second_run_with_the_session_id_continues_the_conversation(client: Any) -> None:
    first = (run(client, "/agents/support-agent/runs", message="one", stream="false")).json()
    second = (run(client, "/agents/support-agent/runs", message="two", stream="false",
                        session_id=first["session_id"])).json()
    assert first["status"] == second["status"] == "COMPLETED" and second["session_id"] == first["session_id"]
    session = get(client, f"/sessions/{first['session_id']}?type=agent")
    assert session["session_name"] == "one"
    assert [m["content"] for m in session["chat_history"] if m["role"] == "user"] == ["one", "two"]


def test_an_unknown_agent_run_is_a_404(client: Any) -> None:
    for path, detail in (("/agents/nobody/runs", "Agent not found"), ("/teams/nobody/runs", "Team not found"),
                         ("/workflows/nobody/runs", "Workflow not found")):
        response = run(client, path, message="hi")
        assert response.status_code == 404 and response.json()["detail"] == detail


def test_a_run_without_a_message_is_a_422(client: Any) -> None:
    response = run(client, "/agents/research-agent/runs", stream="false")
    assert response.status_code == 422 and "message" in response.json()["detail"]


def test_urlencoded_and_multipart_runs_are_both_accepted(client: Any) -> None:
    for path in ("/agents/research-agent/runs", "/teams/content-team/runs", "/workflows/weekly-report/runs"):
        urlencoded = client.post(path, data={"message": "hi", "stream": "false"})
        multipart = client.post(path, files={"message": (None, "hi"), "stream": (None, "false")})
        assert urlencoded.status_code == multipart.status_code == 200, (path, urlencoded.text, multipart.text)
        assert urlencoded.json()["status"] == multipart.json()["status"] == "COMPLETED"


def test_a_text_part_in_the_files_field_is_refused_as_fastapi_refuses_it(client: Any) -> None:
    text = client.post("/agents/research-agent/runs",
                       files={"message": (None, "hi"), "files": (None, "not a file")})
    a_file = client.post("/agents/research-agent/runs", data={"message": "hi", "stream": "false"},
                         files={"files": ("notes.txt", b"a file", "text/plain")})
    assert text.status_code == 422 and "files" in text.json()["detail"]
    assert a_file.status_code == 200
