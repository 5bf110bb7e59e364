"""Start a real Agno AgentOS (agno 2.3.17) whose agents, teams and workflows run on run scripts.

The components are those of the fixture directory (``agents.yaml``, ``teams.yaml``,
``workflows.yaml``: same ids, names and db ids), each on a ``ScriptedModel`` following the scripts
file (``--scripts``, the format of ``fixtures/scripts.yaml``; issue 21): scripted tools are real agno
tools returning the scripted ``result`` or raising the scripted ``error``; a ``pause`` tool requires
confirmation; scripted ``reasoning`` steps are the model's reasoning_content deltas, as a native
reasoning model gives them (``--reasoning content``, the default) or, with ``--reasoning agent``, an
agent whose script gives ``reasoning`` anywhere is a reasoning agent (agno's ``reasoning=True``: its
scripted model answers the reasoning agent's ReasoningSteps with the steps, so every run of it
reasons); a team's members are its member agents (separate instances answering the team's
scripted member text); a workflow's steps are executor ``Step``s built from the steps of its first
scripted rule, each answering the matched rule's text for that step name after the script's
``delay_ms``. Every db id is a SqliteDb
file in ``--db-dir`` (emptied at start). No network, no model provider, telemetry off. Prints
``agentos listening on http://HOST:PORT`` once uvicorn accepts connections; serves until SIGTERM.

    python tests/agentos/scripted_agentos.py --db-dir DIR --scripts FILE [--fixtures DIR] [--port 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the checkout's tests package
from tests.agentos.scripted_model import ScriptedModel, pick_reply  # noqa: E402


class ScriptedToolError(Exception):
    """The scripted ``error`` of a tool call."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--db-dir", type=Path, required=True, help="one SQLite file per db id (replaced)")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures")
    parser.add_argument("--scripts", type=Path, default=ROOT / "fixtures" / "scripts.yaml")
    parser.add_argument("--reasoning", choices=("content", "agent"), default="content",
                        help="scripted reasoning as the model's reasoning_content (a native reasoning model; "
                             "default) or as agno's reasoning agent (reasoning=True: Reasoning* events)")
    return parser.parse_args(argv)


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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["AGNO_TELEMETRY"] = "false"
    os.environ.pop("OS_SECURITY_KEY", None)
    import uvicorn
    from agno.os import AgentOS

    args.db_dir.mkdir(parents=True, exist_ok=True)
    # No scripts file: every component gives the default reply.
    scripts = ((yaml.safe_load(args.scripts.read_text()) or {}).get("scripts") or {}) if args.scripts.exists() else {}
    components = build(args.fixtures, scripts, args.db_dir, args.reasoning)
    app = AgentOS(agents=components["agents"], teams=components["teams"], workflows=components["workflows"],
                  telemetry=False).get_app()
    sock = socket.create_server((args.host, args.port))
    url = f"http://{args.host}:{sock.getsockname()[1]}"

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                print(f"agentos listening on {url}", flush=True)

    signal.signal(signal.SIGTERM, lambda sig, frame: None)
    signal.signal(signal.SIGINT, lambda sig, frame: None)
    server = Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    server.run(sockets=[sock])
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
