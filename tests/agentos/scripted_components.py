"""The agents, teams and workflows of a fixture directory as real agno components on scripted models.

``build`` makes them from ``agents.yaml``, ``teams.yaml`` and ``workflows.yaml`` (same ids, names and
db ids; each db id a SqliteDb file in a directory) and a scripts mapping (the ``scripts:`` of the
format of fixtures/scripts.yaml): scripted tools are real agno tools returning the scripted
``result`` or raising the scripted ``error``; a ``pause`` tool requires confirmation; a team's
members are separate agent instances answering the team's scripted member text; a workflow's steps
are async executor ``Step``s built from its first rule's steps. tests/agentos/scripted_agentos.py
serves them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml

from tests.agentos.scripted_model import ScriptedModel, pick_reply


class ScriptedToolError(Exception):
    """The scripted ``error`` of a tool call."""




def items(path: Path) -> list[dict[str, Any]]:
    return list((yaml.safe_load(path.read_text()) or {}).get("items") or [])


def model_of(item: dict[str, Any]) -> dict[str, Any]:
    """The scripted model named as the fixture's model (``{name: OpenAIChat, model: gpt-4o, provider:
    OpenAI}``), so that runs, events and sessions name the model the component declares."""
    model = item.get("model") or {}
    named = {"id": model.get("model"), "name": model.get("name"), "provider": model.get("provider")}
    return {key: str(value) for key, value in named.items() if value}


def tool_functions(script: dict[str, Any] | None) -> list[Any]:
    """One agno ``Function`` per tool name the script uses: it returns the scripted result (or raises
    the scripted error) of the first scripted call with the same name and arguments."""
    from agno.tools.function import Function

    calls: dict[str, list[dict[str, Any]]] = {}
    confirm: set[str] = set()
    for rule in (script or {}).get("rules") or ():
        reply = rule.get("reply") or {}
        for tool in reply.get("tools") or ():
            calls.setdefault(tool["name"], []).append(tool)
        if reply.get("pause"):
            tool = dict(reply["pause"]["tool"]) | {"result": reply["pause"].get("result")}
            calls.setdefault(tool["name"], []).append(tool)
            confirm.add(tool["name"])

    def entrypoint(name: str) -> Any:
        def run(**arguments: Any) -> Any:
            scripted = next((c for c in calls[name] if (c.get("arguments") or {}) == arguments), calls[name][0])
            if scripted.get("error") is not None:
                raise ScriptedToolError(str(scripted["error"]))
            return scripted.get("result")
        return run

    functions = []
    for name, scripted in calls.items():
        properties = {key: {"type": "string"} for call in scripted for key in (call.get("arguments") or {})}
        functions.append(Function(
            name=name, description=f"Scripted tool {name}", entrypoint=entrypoint(name),
            parameters={"type": "object", "properties": properties, "required": []},
            skip_entrypoint_processing=True, requires_confirmation=name in confirm))
    return functions


def build(fixtures: Path, scripts: dict[str, Any], db_dir: Path, reasoning: str = "content") -> dict[str, list[Any]]:
    from agno.agent import Agent
    from agno.db.sqlite import SqliteDb
    from agno.team import Team
    from agno.workflow import Step, StepInput, StepOutput, Workflow

    dbs: dict[str, Any] = {}

    def db(db_id: str) -> Any:
        if db_id not in dbs:
            path = db_dir / f"{db_id}.db"
            path.unlink(missing_ok=True)
            dbs[db_id] = SqliteDb(db_file=str(path), id=db_id)
        return dbs[db_id]

    agent_items = {item["id"]: item for item in items(fixtures / "agents.yaml")}

    def agent(item: dict[str, Any], member_of: tuple[dict[str, Any], str] | None = None) -> Any:
        script = (scripts.get("agents") or {}).get(item["id"])
        reasons = reasoning == "agent" and member_of is None and any((rule.get("reply") or {}).get("reasoning")
                                            for rule in (script or {}).get("rules") or ())
        model = ScriptedModel(script=script, component_name=item["name"], member_of=member_of, reasons=reasons,
                              **model_of(item))
        return Agent(id=item["id"], name=item["name"], model=model, db=db(item.get("db_id", "main-db")),
                     tools=tool_functions(script), reasoning=reasons, telemetry=False)

    agents = [agent(item) for item in agent_items.values()]
    teams = []
    for item in items(fixtures / "teams.yaml"):
        script = (scripts.get("teams") or {}).get(item["id"]) or {}
        members = [agent(agent_items.get(m["id"], m), member_of=(script, m["id"])) for m in item.get("members") or ()]
        model = ScriptedModel(script=script, component_name=item["name"],
                              team_members={m.id: m.id for m in members}, **model_of(item))
        teams.append(Team(id=item["id"], name=item["name"], members=members, model=model,
                          db=db(item.get("db_id", "main-db")), tools=tool_functions(script), telemetry=False))
    workflows = []
    for item in items(fixtures / "workflows.yaml"):
        script = (scripts.get("workflows") or {}).get(item["id"])
        rules = (script or {}).get("rules") or []
        names = [s["name"] for s in ((rules[0].get("reply") or {}).get("steps") if rules else None) or ()]

        def executor(step_name: str, script: Any = script, name: str = item["name"]) -> Any:
            async def run(step_input: StepInput) -> StepOutput:
                await asyncio.sleep(float((script or {}).get("delay_ms", 0)) / 1000)  # the step's pacing
                message = step_input.get_input_as_string() or ""
                reply = pick_reply(script, message, name)
                step = next((s for s in reply.get("steps") or () if s["name"] == step_name), None)
                text = step["text"] if step else reply.get("text", f"{name} received: {message}")
                return StepOutput(content=text)
            run.__name__ = step_name  # agno reports it as the step's executor_name
            return run

        steps: list[Any] = [Step(name=n, executor=executor(n)) for n in names] or [Step(name="reply", executor=executor("reply"))]
        workflows.append(Workflow(id=item["id"], name=item["name"], description=item.get("description"),
                                  steps=steps, db=db(item.get("db_id", "main-db")), telemetry=False))
    return {"agents": agents, "teams": teams, "workflows": workflows}
