"""A stored run as AgentOS 2.3.17 writes it back after reading it: when a session takes another run
(or a paused run is continued), agno loads the session's runs into its objects and saves them
again. Its ``ToolExecution.from_dict`` gives a tool ``metrics`` (``{}`` where there were none) and
a ``user_input_schema`` (``[]``), in the run's tools, in its events' ``tool`` and in its
requirements (which get a ``user_input_schema`` too); a ``RunPaused`` event's ``tools`` are kept
as they were. No web imports.
"""

from __future__ import annotations

from typing import Any


def tool_read_back(tool: dict[str, Any]) -> dict[str, Any]:
    return {**tool, "metrics": tool.get("metrics") or {},
            "user_input_schema": tool.get("user_input_schema") or []}


def requirement_read_back(requirement: dict[str, Any]) -> dict[str, Any]:
    execution = requirement.get("tool_execution")
    shown = {**requirement, "user_input_schema": requirement.get("user_input_schema") or []}
    if isinstance(execution, dict):
        shown["tool_execution"] = tool_read_back(execution)
    return shown


def event_read_back(event: dict[str, Any]) -> dict[str, Any]:
    shown = dict(event)
    if isinstance(shown.get("tool"), dict):
        shown["tool"] = tool_read_back(shown["tool"])
    if isinstance(shown.get("requirements"), list):
        shown["requirements"] = [requirement_read_back(r) if isinstance(r, dict) else r
                                 for r in shown["requirements"]]
    return shown


def run_read_back(run: dict[str, Any]) -> dict[str, Any]:
    """``run`` as it is stored again once agno has read it (workflow runs have no tools)."""
    shown = dict(run)
    if isinstance(shown.get("tools"), list):
        shown["tools"] = [tool_read_back(t) if isinstance(t, dict) else t for t in shown["tools"]]
    if isinstance(shown.get("events"), list):
        shown["events"] = [event_read_back(e) if isinstance(e, dict) else e for e in shown["events"]]
    if isinstance(shown.get("requirements"), list):
        shown["requirements"] = [requirement_read_back(r) if isinstance(r, dict) else r
                                 for r in shown["requirements"]]
    return shown
