"""Tool calls as agno 2.3.17 shows them: the ``ToolExecution`` object of events and stored runs
(every field, nulls included), the assistant message that calls a tool and the tool's message,
and the summary ``ToolCallCompleted`` carries. A scripted tool takes no time. No web imports.
"""

from __future__ import annotations

import json
from typing import Any

from mockserver.agentos.scripts import Tool

EXECUTION_FIELDS = ("tool_call_id", "tool_name", "tool_args", "tool_call_error", "result", "metrics",
                    "child_run_id", "stop_after_tool_call", "created_at", "requires_confirmation",
                    "confirmed", "confirmation_note", "requires_user_input", "user_input_schema", "answered",
                    "external_execution_required")


def tool_object(tool: Tool, number: int, created_at: int, done: bool = False, confirm: bool = False,
                **fields: Any) -> dict[str, Any]:
    """The tool's execution: as it starts, done (its result or error), or waiting for confirmation."""
    execution: dict[str, Any] = dict.fromkeys(EXECUTION_FIELDS)
    execution.update(tool_call_id=f"call_{number}", tool_name=tool.name, tool_args=tool.arguments,
                     stop_after_tool_call=False, created_at=created_at)
    if done:
        execution.update(tool_call_error=tool.error is not None,
                         result=tool.error if tool.error is not None else tool.result,
                         metrics={"duration": 0.0})
    if confirm:
        execution["requires_confirmation"] = True
    execution.update(fields)
    return execution


def tool_summary(tool: Tool) -> str:
    """``ToolCallCompleted``'s content: ``name(k=v, ...) completed in 0.0000s. ``."""
    arguments = ", ".join(f"{name}={value}" for name, value in tool.arguments.items())
    return f"{tool.name}({arguments}) completed in 0.0000s. "


def assistant_calls(tool: Tool, number: int, created_at: int) -> dict[str, Any]:
    return {"role": "assistant", "created_at": created_at,
            "tool_calls": [{"id": f"call_{number}", "type": "function",
                            "function": {"name": tool.name, "arguments": json.dumps(tool.arguments)}}]}


def tool_message(tool: Tool, number: int, created_at: int, content: str | None = None,
                 error: bool | None = None) -> dict[str, Any]:
    failed = tool.error is not None if error is None else error
    if content is None:
        content = tool.error if failed else tool.result
    return {"role": "tool", "content": content,
            "tool_call_id": f"call_{number}", "tool_name": tool.name, "tool_args": tool.arguments,
            "tool_call_error": failed, "created_at": created_at}
