"""Run scripts: what an agent, a team or a workflow answers, read from a fixture file whose top
level is ``scripts:`` (the format: docs/run-scripts.md). Checked at start-up: every error names the
file, the component, the rule and the field. No web imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.errors import FixtureError

SECTIONS = {"agents": "agent", "teams": "team", "workflows": "workflow"}
MATCHES = ("exact", "contains", "regex", "any")
REPLY_KEYS = {"text", "reasoning", "tools", "fail", "pause", "members", "steps"}


@dataclass(frozen=True)
class Tool:
    name: str
    arguments: dict[str, Any]
    result: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Reply:
    text: str | None = None
    reasoning: tuple[str, ...] = ()
    tools: tuple[Tool, ...] = ()
    fail: tuple[int, str] | None = None  # after so many chunks, with this error
    pause: Tool | None = None  # a tool that needs confirmation; ``result`` once confirmed
    members: tuple[tuple[str, str], ...] = ()  # (agent id, its text)
    steps: tuple[tuple[str, str], ...] = ()  # (step name, its text)


@dataclass(frozen=True)
class Rule:
    kind: str  # exact, contains, regex, any
    value: str
    reply: Reply

    def fits(self, message: str) -> bool:
        if self.kind == "exact":
            return message == self.value
        if self.kind == "contains":
            return self.value in message
        if self.kind == "regex":
            return re.search(self.value, message) is not None
        return True


@dataclass(frozen=True)
class Script:
    rules: tuple[Rule, ...] = ()
    chunk: str | int = "words"
    delay_ms: int | None = None

    def reply_to(self, message: str) -> Reply | None:
        return next((rule.reply for rule in self.rules if rule.fits(message)), None)


@dataclass
class Scripts:
    by_component: dict[tuple[str, str], Script] = field(default_factory=dict)

    def script(self, kind: str, component_id: str) -> Script:
        return self.by_component.get((kind, component_id), Script())


class Where:
    """Where in a script file a value is, for its errors."""

    def __init__(self, path: Path, component: str, rule: int | None = None) -> None:
        self.path, self.component, self.rule = path, component, rule

    def error(self, field_name: str, sentence: str) -> FixtureError:
        rule = f": rules[{self.rule}]" if self.rule is not None else ""
        return FixtureError(f"{self.path}: scripts: {self.component}{rule}: {field_name}: {sentence}")


def _text(where: Where, name: str, value: Any, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise where.error(name, f"expected a string, got {value!r}")
    return value


def _tool(where: Where, name: str, raw: Any) -> Tool:
    if not isinstance(raw, Mapping):
        raise where.error(name, "expected a mapping with name, arguments and result or error")
    arguments = raw.get("arguments") or {}
    if not isinstance(arguments, Mapping):
        raise where.error(f"{name}.arguments", "expected a mapping")
    return Tool(str(_text(where, f"{name}.name", raw.get("name"), required=True)), dict(arguments),
                _text(where, f"{name}.result", raw.get("result")),
                _text(where, f"{name}.error", raw.get("error")))


def _pairs(where: Where, name: str, raw: Any, key: str,
           known: set[str] | None) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list):
        raise where.error(name, f"expected a list of {{{key}: ..., text: ...}}")
    pairs = []
    for index, entry in enumerate(raw):
        here = f"{name}[{index}]"
        if not isinstance(entry, Mapping):
            raise where.error(here, f"expected a mapping with {key} and text")
        value = str(_text(where, f"{here}.{key}", entry.get(key), required=True))
        if known is not None and value not in known:
            members = ", ".join(sorted(known))
            raise where.error(f"{here}.{key}", f"{value!r} is not a member of the team ({members})")
        pairs.append((value, str(_text(where, f"{here}.text", entry.get("text"), required=True))))
    return tuple(pairs)


def read_reply(where: Where, raw: Any, members: set[str] | None) -> Reply:
    if not isinstance(raw, Mapping):
        raise where.error("reply", "expected a mapping (text, reasoning, tools, fail, pause, members, steps)")
    unknown = sorted(set(raw) - REPLY_KEYS)
    if unknown:
        raise where.error(f"reply.{unknown[0]}", f"unknown field (known: {', '.join(sorted(REPLY_KEYS))})")
    reasoning = raw.get("reasoning") or []
    if not isinstance(reasoning, list) or not all(isinstance(step, str) for step in reasoning):
        raise where.error("reply.reasoning", "expected a list of strings")
    tools = raw.get("tools") or []
    if not isinstance(tools, list):
        raise where.error("reply.tools", "expected a list of tool calls")
    fail = raw.get("fail")
    if fail is not None and (not isinstance(fail, Mapping) or not isinstance(fail.get("after_chunks", 0), int)
                             or not isinstance(fail.get("error"), str)):
        raise where.error("reply.fail", "expected {after_chunks: N, error: TEXT}")
    pause = raw.get("pause")
    if pause is not None and (not isinstance(pause, Mapping) or "tool" not in pause):
        raise where.error("reply.pause", "expected {tool: {name: ..., arguments: ...}, result: ...}")
    reply = Reply(
        text=_text(where, "reply.text", raw.get("text")), reasoning=tuple(reasoning),
        tools=tuple(_tool(where, f"reply.tools[{i}]", tool) for i, tool in enumerate(tools)),
        fail=(int(fail.get("after_chunks", 0)), fail["error"]) if fail is not None else None,
        pause=Tool(**{**_tool(where, "reply.pause.tool", pause["tool"]).__dict__,
                      "result": _text(where, "reply.pause.result", pause.get("result"))}) if pause else None,
        members=_pairs(where, "reply.members", raw["members"], "agent", members) if "members" in raw else (),
        steps=_pairs(where, "reply.steps", raw["steps"], "name", None) if "steps" in raw else ())
    if reply.text is None and reply.fail is None and not reply.steps:
        raise where.error("reply.text", "required (unless the reply fails, or a workflow's steps give it)")
    return reply
