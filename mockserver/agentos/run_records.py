"""A told run (``replies.Told``) as AgentOS 2.3.17 answers it (its run output, ``to_dict()``) and
as it stores it in its session (in the run schema's field names), and the session it goes to:
created, named after its first message, or continued, its metrics summed over its runs. No web
imports.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mockserver.agentos.kept_events import kept_events
from mockserver.agentos.replies import RunInput, Told, derived_id
from mockserver.agentos.round_trip import run_read_back
from mockserver.agentos.run_metrics import metrics
from mockserver.agentos.runs import chat_history
from mockserver.agentos.sessions import Record, SessionKind
from mockserver.agentos.timestamps import write_timestamp

UNFINISHED = ("ERROR", "CANCELLED")  # kept without their messages
SESSION_METRICS = ("input_tokens", "output_tokens", "total_tokens", "cost", "audio_input_tokens",
                   "audio_output_tokens", "audio_total_tokens", "cache_read_tokens", "cache_write_tokens",
                   "reasoning_tokens", "timer", "time_to_first_token", "duration", "provider_metrics",
                   "additional_metrics")


def messages(run: RunInput, told: Told) -> list[dict[str, Any]]:
    """The run's messages as agno keeps them: the user's, then the model's (calls, tools, answer)."""
    said = [{"role": "user", "content": run.message, "created_at": run.created_at}, *told.said]
    if told.system is not None:
        said.insert(0, {"role": "system", "content": told.system, "created_at": run.created_at})
    shaped = []
    for index, message in enumerate(said):
        # One id per message of the run, whoever shows it (its answer, its session, its team's event).
        head: dict[str, Any] = {"id": derived_id("message", run.run_id, index)}
        if message.get("content") is not None:
            head["content"] = message["content"]
        head.update(from_history=False, stop_after_tool_call=False)
        shaped.append({**head, **{k: v for k, v in message.items() if k != "content"}})
    return shaped


def run_output(run: RunInput, told: Told) -> dict[str, Any]:
    """The run as a plain (not streamed) run answers it."""
    kind = run.component.kind
    ids = {f"{kind}_id": run.component.id, f"{kind}_name": run.component.name}
    content = told.error if told.status == "ERROR" else told.text
    if kind == "workflow":
        return {"input": run.message, "content": content, "content_type": "str", **ids, "run_id": run.run_id,
                "session_id": run.session_id, "created_at": run.created_at, "status": told.status,
                "images": [], "videos": [], "audio": [], **told.extra,
                "metrics": {"steps": {}, "duration": metrics(run, told).get("duration", 0.0)}}
    output: dict[str, Any] = {"run_id": run.run_id, **ids, "session_id": run.session_id}
    for name, value in (("parent_run_id", run.parent_run_id), ("user_id", run.user_id)):
        if value:
            output[name] = value
    if kind == "team":
        output["input"] = {"input_content": run.message}
    output.update(content=content, content_type="str")
    if told.reasoning:
        output["reasoning_content"] = told.reasoning
    output.update(model=run.component.model[0], model_provider=run.component.model[1])
    paused = told.status == "PAUSED"  # AgentOS keeps no state until it goes on
    if kind == "team":
        output.update(member_responses=[], created_at=run.created_at, metrics=metrics(run, told),
                      status=told.status)
    else:
        if not paused:
            output["session_state"] = run.session_state or {}
        output.update(created_at=run.created_at, status=told.status, metrics=metrics(run, told))
    if run.metadata is not None:
        output["metadata"] = run.metadata
    if told.status == "ERROR":
        output["events"] = told.events[-1:]
    else:
        if told.events and told.events[0]["event"] == "RunContinued":
            output["events"] = told.earlier  # a continued run answers the events it kept before
        output["messages"] = messages(run, told)
        if told.tools or not run.parent_run_id:  # a member's answer lists no tools it did not call
            output["tools"] = told.tools
    if kind == "agent":
        output["input"] = {"input_content": run.message}
    if told.requirements is not None:
        output["requirements"] = told.requirements
    return output


def stored_run(run: RunInput, told: Told, streamed: bool) -> dict[str, Any]:
    """The run as its session keeps it (the run schema's fields, and ``status``)."""
    kind = run.component.kind
    error = told.status == "ERROR"
    events, tools = kept_events(run, told, streamed)
    if kind == "workflow":
        shown = [e for e in told.events if e["event"] != "StepOutput"] if streamed else []
        return {"run_id": run.run_id, "run_input": run.message, "events": shown,
                "workflow_id": run.component.id, "user_id": run.user_id or "",
                "content": told.error or told.text, "content_type": "str", "status": told.status,
                **told.extra,
                "metrics": {"steps": {}, "duration": metrics(run, told).get("duration", 0.0)},
                "created_at": run.created_at}
    created = write_timestamp(datetime.fromtimestamp(run.created_at, UTC), False)
    stored: dict[str, Any] = {"run_id": run.run_id, "parent_run_id": run.parent_run_id,
                              f"{kind}_id": run.component.id,
                              "user_id": run.user_id, "status": told.status, "run_input": run.message,
                              "content": (told.text if streamed else told.error) if error else told.text,
                              "run_response_format": "text", "reasoning_content": told.reasoning or None,
                              "metrics": metrics(run, told),
                              "messages": None if told.status in UNFINISHED else messages(run, told),
                              "tools": tools or None, "events": events,
                              "created_at": created,
                              "session_state": None if told.status == "PAUSED" or kind == "team"
                              else run.session_state or {}}
    if told.requirements is not None:
        stored["requirements"] = told.requirements  # not shown, but a plain continue answers them
    return stored


def session_metrics(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A session's metrics as AgentOS keeps them: every field, tokens and durations summed."""
    summed: dict[str, Any] = dict.fromkeys(SESSION_METRICS)
    for name in ("input_tokens", "output_tokens", "total_tokens", "audio_input_tokens", "audio_output_tokens",
                 "audio_total_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens"):
        summed[name] = sum(int((run.get("metrics") or {}).get(name) or 0) for run in runs)
    summed["duration"] = round(sum(float((run.get("metrics") or {}).get("duration") or 0) for run in runs), 6)
    return summed


def with_run(kind: SessionKind, existing: Record | None, run: RunInput, runs: list[dict[str, Any]],
             database: str, now: datetime) -> Record:
    """The session ``runs`` go to: ``existing`` with them (replacing runs of the same ids), or a new
    session named after the run's message."""
    if existing is None:
        component = run.component
        # A run's metadata is the run's: AgentOS keeps none on the session.
        fields: dict[str, Any] = {
            "user_id": run.user_id, "session_id": run.session_id, "session_name": run.message,
            kind.component_field: component.id, "session_state": run.session_state or {},
            f"{component.kind}_data": {
                "name": component.name, f"{component.kind}_id": component.id,
                "model": {"id": component.model[0], "name": component.model_name,
                          "provider": component.model[1]}}}
        if component.kind == "workflow":
            steps = [{"name": name, "description": None, "type": "Step"} for name in run.steps]
            fields.update(workflow_name=component.name, metadata={},
                          workflow_data={"workflow_id": component.id, "name": component.name, "steps": steps},
                          session_data={"session_state": run.session_state or {}, "session_metrics": {}})
        existing = kind.complete(fields, database)
        existing["created_at"] = kind.timestamp(now)
    replaced = {stored["run_id"] for stored in runs}
    existing["runs"] = [run_read_back(old) for old in existing.get("runs") or []
                        if old.get("run_id") not in replaced] + runs
    if run.session_state is not None and "session_state" in kind.properties:
        existing["session_state"] = run.session_state
    top = [stored for stored in existing["runs"] if not stored.get("parent_run_id")]
    if "metrics" in kind.properties:
        existing["metrics"] = session_metrics(top)
    if "total_tokens" in kind.properties:
        existing["total_tokens"] = existing["metrics"]["total_tokens"]
    if "chat_history" in kind.properties:
        existing["chat_history"] = chat_history(existing["runs"])
    existing["updated_at"] = kind.timestamp(now)
    return existing
