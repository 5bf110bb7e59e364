"""A team's delegations (``delegate_task_to_member`` tool calls) as AgentOS 2.3.17 keeps a streamed
team run. agno shares the tool objects between the run and its events and, as each member run
ends, sets ``child_run_id`` on every delegation the run lists so far; so what is kept (serialised
at the end) says: each ``TeamToolCallStarted`` the member run of its own delegation, each
``TeamToolCallCompleted`` and each of the run's ``tools`` the member run that ended last. A plain
team run's delegations keep none (its tools are listed only after the members ran). No web imports.
"""

from __future__ import annotations

from typing import Any

Event = dict[str, Any]
DELEGATE = "delegate_task_to_member"


def _delegation(event: Event, name: str) -> bool:
    tool = event.get("tool")
    return event["event"] == name and isinstance(tool, dict) and tool.get("tool_name") == DELEGATE


def kept_delegations(events: list[Event],
                     tools: list[dict[str, Any]]) -> tuple[list[Event], list[dict[str, Any]]]:
    """The events and tools of a streamed team run, as AgentOS keeps them."""
    children = [e["tool"].get("child_run_id") for e in events if _delegation(e, "TeamToolCallCompleted")]
    if not children:
        return events, tools
    last = children[-1]
    kept, started = [], 0
    for event in events:
        if _delegation(event, "TeamToolCallStarted"):
            child = children[started] if started < len(children) else None
            event = {**event, "tool": {**event["tool"], "child_run_id": child}}
            started += 1
        elif _delegation(event, "TeamToolCallCompleted"):
            event = {**event, "tool": {**event["tool"], "child_run_id": last}}
        kept.append(event)
    return kept, [{**tool, "child_run_id": last} if tool.get("tool_name") == DELEGATE else tool
                  for tool in tools]
