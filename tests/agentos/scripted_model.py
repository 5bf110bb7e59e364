"""A scripted agno model: what a run says comes from a run script (fixtures' ``scripts:``, issue 21).

``ScriptedModel`` is an ``agno.models.base.Model`` that answers from the rules of one component's
script instead of a provider: the rule whose ``match`` fits the run's message gives the reply. The
model is called once per model turn; the turn is read off the messages since the last user message:
one tool call per turn (the scripted ``tools`` in order, then the ``pause`` tool), then the final
turn (``reasoning`` steps as reasoning deltas, then ``text`` in its chunks; ``fail`` raises after
``after_chunks`` chunks). A team leader's tools are ``delegate_task_to_member`` calls (one per
scripted member, the task being the team's message); a member agent inside a team answers the
scripted text of its entry in the team's rule (``member_of``). The final turn reports token usage
as the mock derives it: a quarter of the characters of the message and of the text, rounded up.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from agno.models.base import Model
from agno.models.message import Message
from agno.models.metrics import Metrics
from agno.models.response import ModelResponse


class ScriptedModelError(Exception):
    """The scripted ``fail`` of a reply: raised part-way through the model's answer."""


def chunks(text: str, chunk: Any = "words") -> list[str]:
    """``text`` cut as the script's ``chunk`` says: each word with its following whitespace, or N chars."""
    if not text:
        return []
    if chunk in (None, "words"):
        parts = re.findall(r"\s*\S+\s*", text)
        return parts or [text]
    size = int(chunk)
    return [text[i:i + size] for i in range(0, len(text), size)]


def matches(match: Mapping[str, Any], message: str) -> bool:
    if match.get("any"):
        return True
    if "exact" in match:
        return bool(message == match["exact"])
    if "contains" in match:
        return str(match["contains"]) in message
    if "regex" in match:
        return re.search(str(match["regex"]), message) is not None
    return False


def pick_reply(script: Mapping[str, Any] | None, message: str, name: str) -> dict[str, Any]:
    """The reply of the first rule matching ``message``; the documented default if none does."""
    for rule in (script or {}).get("rules") or ():
        if matches(rule.get("match") or {}, message):
            return dict(rule.get("reply") or {})
    return {"text": f"{name} received: {message}"}


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def message_of(messages: list[Message]) -> str:
    """The last user message's text: what the run (or, for a member, its task) says."""
    last = next((m for m in reversed(messages) if m.role == "user"), None)
    return _text(last.content) if last is not None else ""


def _text(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content) if content is not None else ""


@dataclass
class ScriptedModel(Model):
    """Answers from ``script`` (one component's script); ``name`` is the component's, for defaults."""

    id: str = "scripted"
    name: str = "Scripted"
    provider: str = "Scripted"
    script: dict[str, Any] | None = None
    component_name: str = "Component"
    member_of: tuple[dict[str, Any], str] | None = None  # (team script, this member's agent id)
    reasons: bool = False  # the agent reasons (agno's reasoning=True): steps come as ReasoningSteps
    team_members: dict[str, str] = field(default_factory=dict)  # member agent id -> member_id for delegation

    # -- the turn ------------------------------------------------------------------------------------

    def _turn(self, messages: list[Message]) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
        """(reply, the turn's tool calls, calls already made) for the conversation so far."""
        last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
        message = message_of(messages)
        made = sum(len(m.tool_calls or ()) for m in messages[last_user + 1:] if m.role == "assistant")
        if self.member_of is not None:
            team_script, agent_id = self.member_of
            team_reply = pick_reply(team_script, message, self.component_name)
            entry = next((m for m in team_reply.get("members") or () if m.get("agent") == agent_id), None)
            return ({"text": entry.get("text", "") if entry else f"{self.component_name} received: {message}"},
                    [], made)
        reply = pick_reply(self.script, message, self.component_name)
        calls = [{"name": t["name"], "arguments": t.get("arguments") or {}} for t in reply.get("tools") or ()]
        for member in reply.get("members") or ():
            member_id = self.team_members.get(member["agent"], member["agent"])
            calls.append({"name": "delegate_task_to_member", "arguments": {"member_id": member_id, "task": message}})
        if reply.get("pause"):
            tool = reply["pause"]["tool"]
            calls.append({"name": tool["name"], "arguments": tool.get("arguments") or {}})
        return reply, calls, made

    def _reasoning_steps(self, messages: list[Message]) -> ModelResponse:
        """agno's reasoning agent asks for ReasoningSteps: the scripted steps, the last one final."""
        reply = pick_reply(self.script, message_of(messages), self.component_name)
        steps = [str(step) for step in reply.get("reasoning") or ()]
        content = {"reasoning_steps": [
            {"title": step, "reasoning": step, "next_action": "final_answer" if i == len(steps) - 1 else "continue"}
            for i, step in enumerate(steps)]}
        return ModelResponse(role="assistant", content=json.dumps(content))

    def _responses(self, messages: list[Message], response_format: Any = None) -> Iterator[ModelResponse]:
        if response_format is not None and any(m.role == "system" and "ReasoningSteps" in _text(m.content)
                                               for m in messages):
            yield self._reasoning_steps(messages)
            return
        reply, calls, made = self._turn(messages)
        if made == 0 and not self.reasons:
            for step in reply.get("reasoning") or ():
                yield ModelResponse(role="assistant", reasoning_content=str(step))
        if made < len(calls):
            call = calls[made]
            yield ModelResponse(role="assistant", tool_calls=[{
                "id": f"call_{made + 1}", "type": "function",
                "function": {"name": call["name"], "arguments": json.dumps(call["arguments"])}}])
            return
        fail = reply.get("fail")
        parts = chunks(str(reply.get("text") or ""), (self.script or {}).get("chunk", "words"))
        for index, part in enumerate(parts):
            if fail and index >= int(fail.get("after_chunks", 0)):
                break
            yield ModelResponse(role="assistant", content=part)
        if fail:
            raise ScriptedModelError(str(fail.get("error", "Scripted failure")))
        # Usage as the mock derives it (a quarter of the characters, rounded up), on the final turn.
        given, told = tokens(message_of(messages)), tokens(str(reply.get("text") or ""))
        yield ModelResponse(role="assistant", response_usage=Metrics(
            input_tokens=given, output_tokens=told, total_tokens=given + told))

    # -- agno's Model interface ------------------------------------------------------------------------

    @staticmethod
    def _request_sent(kwargs: dict[str, Any]) -> None:
        """As agno's OpenAIChat does when it sends each request: the run's time to first token."""
        run_response = kwargs.get("run_response")
        if run_response is not None and run_response.metrics is not None:
            run_response.metrics.set_time_to_first_token()

    def invoke(self, *args: Any, **kwargs: Any) -> ModelResponse:
        self._request_sent(kwargs)
        content, reasoning, tool_calls, usage = "", "", [], None
        for response in self._responses(kwargs["messages"], kwargs.get("response_format")):
            content += response.content or ""
            reasoning += response.reasoning_content or ""
            tool_calls += response.tool_calls or []
            usage = response.response_usage or usage
        return ModelResponse(role="assistant", content=content or None, reasoning_content=reasoning or None,
                             tool_calls=tool_calls, response_usage=usage)

    async def ainvoke(self, *args: Any, **kwargs: Any) -> ModelResponse:
        return self.invoke(*args, **kwargs)

    def invoke_stream(self, *args: Any, **kwargs: Any) -> Iterator[ModelResponse]:
        self._request_sent(kwargs)
        yield from self._responses(kwargs["messages"], kwargs.get("response_format"))

    async def ainvoke_stream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ModelResponse]:
        import asyncio

        self._request_sent(kwargs)
        delay = float((self.script or {}).get("delay_ms", 0)) / 1000
        for response in self._responses(kwargs["messages"], kwargs.get("response_format")):
            if delay:
                await asyncio.sleep(delay)
            yield response

    def _parse_provider_response(self, response: Any, **kwargs: Any) -> ModelResponse:
        return response  # type: ignore[no-any-return]

    def _parse_provider_response_delta(self, response: Any) -> ModelResponse:
        return response  # type: ignore[no-any-return]
