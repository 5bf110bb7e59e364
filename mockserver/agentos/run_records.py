"""A told run (``replies.Told``) as AgentOS 2.3.17 answers it (``RunOutput.to_dict()``) and as it
stores it in its session (in the run schema's field names), and the session it goes to: created,
named after its first message, or continued. No web imports.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from mockserver.agentos.replies import RunInput, Told, metrics
from mockserver.agentos.runs import chat_history
from mockserver.agentos.sessions import Record, SessionKind
from mockserver.agentos.timestamps import write_timestamp


def messages(run: RunInput, told: Told) -> list[dict[str, Any]]:
    said = [{"id": str(uuid.uuid4()), "content": run.message, "from_history": False,
             "stop_after_tool_call": False, "role": "user", "created_at": run.created_at}]
    if told.text or told.status == "COMPLETED":
        said.append({"id": str(uuid.uuid4()), "content": told.text, "from_history": False,
                     "stop_after_tool_call": False, "role": "assistant", "created_at": run.created_at})
    return said


def run_output(run: RunInput, told: Told) -> dict[str, Any]:
    """The run as a plain (not streamed) run answers it."""
    ids = {"agent": ("agent_id", "agent_name"), "team": ("team_id", "team_name"),
           "workflow": ("workflow_id", "workflow_name")}[run.component.kind]
    output: dict[str, Any] = {"run_id": run.run_id, ids[0]: run.component.id, ids[1]: run.component.name,
                              "session_id": run.session_id}
    if run.parent_run_id:
        output["parent_run_id"] = run.parent_run_id
    if run.user_id is not None:
        output["user_id"] = run.user_id
    output.update(content=told.error if told.status == "ERROR" else told.text, content_type="str",
                  model=run.component.model[0], model_provider=run.component.model[1],
                  session_state=run.session_state or {}, created_at=run.created_at, status=told.status,
                  metrics=metrics(run, told), messages=messages(run, told), tools=told.tools,
                  input={"input_content": run.message})
    if run.metadata is not None:
        output["metadata"] = run.metadata
    return output


def stored_run(run: RunInput, told: Told) -> dict[str, Any]:
    """The run as its session keeps it (the run schema's fields, and ``status``)."""
    component_field = {"agent": "agent_id", "team": "team_id", "workflow": "workflow_id"}[run.component.kind]
    stored: dict[str, Any] = {
        "run_id": run.run_id, component_field: run.component.id, "user_id": run.user_id,
        "status": told.status, "run_input": run.message,
        "content": told.error if told.status == "ERROR" else told.text,
        "run_response_format": "text", "metrics": metrics(run, told), "messages": messages(run, told),
        "tools": told.tools or None, "session_state": run.session_state or {},
        "created_at": write_timestamp(datetime.fromtimestamp(run.created_at, UTC), False)}
    if run.parent_run_id:
        stored["parent_run_id"] = run.parent_run_id
    return stored


def with_run(kind: SessionKind, existing: Record | None, run: RunInput, runs: list[dict[str, Any]],
             database: str, now: datetime) -> Record:
    """The session ``runs`` go to: ``existing`` with them (replacing runs of the same ids), or a new
    session named after the run's message."""
    if existing is None:
        fields: dict[str, Any] = {
                  "session_id": run.session_id, "session_name": run.message, "user_id": run.user_id,
                  kind.component_field: run.component.id, "session_state": run.session_state or {},
                  "metadata": run.metadata, "metrics": {}, "chat_history": [],
                  f"{run.component.kind}_data": {"name": run.component.name,
                                                 f"{run.component.kind}_id": run.component.id}}
        existing = kind.complete(fields, database)
        existing["created_at"] = kind.timestamp(now)
    replaced = {stored["run_id"] for stored in runs}
    existing["runs"] = [old for old in existing.get("runs") or [] if old.get("run_id") not in replaced] + runs
    if run.session_state is not None and "session_state" in kind.properties:
        existing["session_state"] = run.session_state
    if "chat_history" in kind.properties:
        existing["chat_history"] = chat_history(existing["runs"])
    existing["updated_at"] = kind.timestamp(now)
    return existing
