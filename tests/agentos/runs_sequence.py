"""A fixed sequence of agent, team and workflow runs, recorded from one server (issue 21's differential).

``record(client)`` plays the sequence against a server started on ``tests/data/run-scripts.yaml``
(the real scripted AgentOS, or the mock) and returns its transcript (``runs_recorder``); then the
sessions and runs the sequence created, read back. Later steps use ids earlier ones returned
(session ids, the paused run's tools), so each server is driven by its own answers.
``record_scripts`` runs every rule of a scripts file instead (the bundled fixtures/scripts.yaml).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.agentos.runs_recorder import DB_ID, Recorder, run_of, session_of


def record(client: httpx.Client) -> list[dict[str, Any]]:
    """Play the sequence (see the module docstring); the steps, then the read-backs."""
    r = Recorder(client)
    sessions: list[tuple[str, str | None]] = []
    # A conversation of three runs: streamed, streamed with a tool call, plain.
    first = r.post("agent stream", "/agents/research-agent/runs", {"message": "hello", "stream": "true"})
    conversation = session_of(first)
    sessions.append(("agent", conversation))
    r.post("agent stream, tool call", "/agents/research-agent/runs",
           {"message": "what about pricing?", "stream": "true", "session_id": conversation})
    r.post("agent plain, third", "/agents/research-agent/runs",
           {"message": "hello", "stream": "false", "session_id": conversation})
    sessions.append(("agent", session_of(r.post("agent plain", "/agents/research-agent/runs",
                                                {"message": "hello", "stream": "false"}))))
    sessions.append(("agent", session_of(r.post("agent plain, tool call", "/agents/research-agent/runs",
                                                {"message": "pricing", "stream": "false"}))))
    sessions.append(("agent", session_of(r.post("agent stream, two tool calls", "/agents/research-agent/runs",
                                                {"message": "compare the vendors", "stream": "true"}))))
    sessions.append(("agent", session_of(r.post("agent stream, tool error", "/agents/research-agent/runs",
                                                {"message": "a broken tool", "stream": "true"}))))
    sessions.append(("agent", session_of(r.post("agent stream, reasoning", "/agents/log-agent/runs",
                                                {"message": "think", "stream": "true"}))))
    sessions.append(("agent", session_of(r.post("agent plain, reasoning", "/agents/log-agent/runs",
                                                {"message": "think", "stream": "false"}))))
    sessions.append(("agent", session_of(r.post("agent stream, fail", "/agents/research-agent/runs",
                                                {"message": "please fail", "stream": "true"}))))
    sessions.append(("agent", session_of(r.post("agent plain, fail", "/agents/research-agent/runs",
                                                {"message": "please fail", "stream": "false"}))))
    sessions.append(("agent", session_of(r.post("agent plain, default reply", "/agents/research-agent/runs",
                                                {"message": "nothing matches this", "stream": "false"}))))
    sessions.append(("agent", session_of(r.post("agent chunked by 8", "/agents/support-agent/runs",
                                                {"message": "hi there", "stream": "true"}))))
    # A pause, then continue (streamed) with the paused tools confirmed.
    paused = r.post("agent stream, pause", "/agents/support-agent/runs", {"message": "refund please", "stream": "true"})
    sessions.append(("agent", session_of(paused)))
    tools = next((e["data"].get("tools") for e in paused.get("events", []) if e.get("event") == "RunPaused"), None)
    confirmed = [dict(t, confirmed=True) for t in tools or []]
    r.post("agent continue stream", f"/agents/support-agent/runs/{run_of(paused)}/continue",
           {"tools": json.dumps(confirmed), "session_id": session_of(paused), "stream": "true"})
    paused2 = r.post("agent plain, pause", "/agents/support-agent/runs", {"message": "refund please", "stream": "false"})
    sessions.append(("agent", session_of(paused2)))
    tools2 = (paused2.get("body") or {}).get("tools") if isinstance(paused2.get("body"), dict) else None
    r.post("agent continue plain", f"/agents/support-agent/runs/{run_of(paused2)}/continue",
           {"tools": json.dumps([dict(t, confirmed=True) for t in tools2 or []]),
            "session_id": session_of(paused2), "stream": "false"})
    # Cancel during a stream, then after its end.
    cancelled = r.cancel_mid_stream("agent stream, cancel", "agents/coding-agent",
                                    {"message": "write code", "stream": "true"}, after=2)
    sessions.append(("agent", session_of(cancelled)))
    r.post("cancel after the end", f"/agents/coding-agent/runs/{run_of(cancelled)}/cancel")
    sessions.append(("team", session_of(r.cancel_mid_stream("team stream, cancel", "teams/planning-team",
                                                            {"message": "plan it", "stream": "true"}, after=2))))
    sessions.append(("workflow", session_of(r.cancel_mid_stream("workflow stream, cancel", "workflows/contract-review",
                                                                {"message": "review it", "stream": "true"}, after=1))))
    # The user, the session state and the metadata a frontend may send.
    sessions.append(("agent", session_of(r.post("agent stream, user and state", "/agents/research-agent/runs",
                                                {"message": "hello", "stream": "true", "user_id": "alice@example.com",
                                                 "session_state": '{"cart": ["x"]}',
                                                 "metadata": '{"source": "ui"}'}))))
    # A pause rejected.
    paused3 = r.post("agent plain, pause to reject", "/agents/support-agent/runs",
                     {"message": "refund please", "stream": "false"})
    sessions.append(("agent", session_of(paused3)))
    tools3 = (paused3.get("body") or {}).get("tools") if isinstance(paused3.get("body"), dict) else None
    r.get("read paused run", f"/sessions/{session_of(paused3)}/runs/{run_of(paused3)}",
          {"type": "agent", "db_id": DB_ID})
    r.post("agent continue stream, rejected", f"/agents/support-agent/runs/{run_of(paused3)}/continue",
           {"tools": json.dumps([dict(t, confirmed=False) for t in tools3 or []]),
            "session_id": session_of(paused3), "stream": "true"})
    # A tool call, then a pause; continued plain.
    paused4 = r.post("agent stream, tool then pause", "/agents/support-agent/runs",
                     {"message": "lookup and refund", "stream": "true"})
    sessions.append(("agent", session_of(paused4)))
    tools4 = next((e["data"].get("tools") for e in paused4.get("events", []) if e.get("event") == "RunPaused"), None)
    r.post("agent continue plain, after a tool", f"/agents/support-agent/runs/{run_of(paused4)}/continue",
           {"tools": json.dumps([dict(t, confirmed=True) for t in tools4 or []]),
            "session_id": session_of(paused4), "stream": "false"})
    r.post("continue unknown run", "/agents/support-agent/runs/no-such-run/continue",
           {"tools": "[]", "session_id": session_of(paused3), "stream": "false"})
    r.post("cancel unknown run", "/agents/support-agent/runs/no-such-run/cancel")
    # Teams and workflows.
    sessions.append(("team", session_of(r.post("team stream", "/teams/content-team/runs",
                                               {"message": "write about agents", "stream": "true"}))))
    team = session_of(r.post("team plain", "/teams/content-team/runs",
                             {"message": "write about agents", "stream": "false"}))
    sessions.append(("team", team))
    r.post("team stream, second run", "/teams/content-team/runs",
           {"message": "again", "stream": "true", "session_id": team})
    sessions.append(("workflow", session_of(r.post("workflow stream", "/workflows/weekly-report/runs",
                                                   {"message": "this week", "stream": "true"}))))
    flow = session_of(r.post("workflow plain", "/workflows/weekly-report/runs",
                             {"message": "this week", "stream": "false"}))
    sessions.append(("workflow", flow))
    r.post("workflow stream, second run", "/workflows/weekly-report/runs",
           {"message": "next week", "stream": "true", "session_id": flow})
    # Requests AgentOS refuses or accepts in other encodings.
    r.post("unknown agent", "/agents/no-such-agent/runs", {"message": "hello", "stream": "false"})
    r.post("unknown team", "/teams/no-such-team/runs", {"message": "hello", "stream": "false"})
    r.post("unknown workflow", "/workflows/no-such-workflow/runs", {"message": "hello", "stream": "false"})
    r.post("no message", "/agents/research-agent/runs", {"stream": "false"})
    sessions.append(("agent", session_of(r.post("urlencoded", "/agents/research-agent/runs",
                                                {"message": "hello", "stream": "false"}, urlencoded=True))))
    r.post("files part without a filename", "/agents/research-agent/runs",
           {"message": "hello", "stream": "false"}, files={"files": (None, "plain text")})
    for kind, session_id in sessions:
        if session_id is None:
            continue
        r.get(f"read session ({kind})", f"/sessions/{session_id}", {"type": kind, "db_id": DB_ID})
        runs = r.get(f"read runs ({kind})", f"/sessions/{session_id}/runs", {"type": kind, "db_id": DB_ID})
        for run in runs.get("body") or [] if isinstance(runs.get("body"), list) else []:
            r.get(f"read run ({kind})", f"/sessions/{session_id}/runs/{run.get('run_id')}", {"type": kind, "db_id": DB_ID})
    for kind in ("agent", "team", "workflow"):
        r.get(f"list sessions ({kind})", "/sessions", {"type": kind, "db_id": DB_ID, "sort_by": "created_at", "sort_order": "asc",
                                                          "limit": 100})
    return r.steps


def messages_for(script: dict[str, Any]) -> list[str]:
    """A message for each rule of a component's script that one can be written for (exact, contains,
    any), in rule order; a regular expression's rule is left out."""
    messages = []
    for rule in script.get("rules") or ():
        match = rule.get("match") or {}
        if "exact" in match or "contains" in match:
            messages.append(str(match.get("exact", match.get("contains"))))
        elif match.get("any"):
            messages.append("hello")
    return messages


def record_scripts(client: httpx.Client, scripts: dict[str, Any], dbs: dict[str, str]) -> list[dict[str, Any]]:
    """One streamed and one plain run per scripted rule of every scripted component (each in a new
    session), then each session read back (in the component's database, ``dbs[component id]``): the
    bundled scripts, told by a server."""
    r = Recorder(client)
    sessions: list[tuple[str, str | None, str]] = []
    for kind, path in (("agent", "agents"), ("team", "teams"), ("workflow", "workflows")):
        for component, script in sorted((scripts.get(path) or {}).items()):
            for message in messages_for(script or {}):
                for stream in ("true", "false"):
                    step = r.post(f"{kind} {component}: {message} (stream={stream})", f"/{path}/{component}/runs",
                                  {"message": message, "stream": stream})
                    sessions.append((kind, session_of(step), dbs.get(component, DB_ID)))
    for kind, session_id, db_id in sessions:
        if session_id is not None:
            r.get(f"read runs ({kind})", f"/sessions/{session_id}/runs", {"type": kind, "db_id": db_id})
    return r.steps
