"""Start a real Agno AgentOS (agno 2.3.17) on loopback, seeded with the mock's fixture sessions.

The sessions of one fixture database (``--db-id``, default ``main-db``, the one AgentOS serves) are
read with the mock's own loader and written through agno's db API
(``SqliteDb.upsert_sessions(..., preserve_updated_at=True)``) as agno ``AgentSession``,
``TeamSession`` and ``WorkflowSession`` objects with their runs (``RunOutput``, ``TeamRunOutput``,
``WorkflowRunOutput``; a team's member runs are agent runs with a ``parent_run_id``). Sessions of
other fixture databases are left out: this AgentOS has one database. Agno 2.3 has no
``AgentOS(db=...)``: AgentOS finds its databases through its agents, so one agent without a model
(never run) holds the db. Telemetry is off. Prints ``agentos listening on http://HOST:PORT`` once
uvicorn accepts connections (``--port 0`` picks a free port), serves until SIGTERM or SIGINT, then
exits 0.

    python tests/agentos/agentos_server.py --db-file /tmp/agentos.db [--fixtures DIR] [--db-id main-db]
        [--host 127.0.0.1] [--port 0] [--security-key KEY]

What agno stores differs from fixture form in a few places (see docs/agentos-deviations.md):
``session_name``, ``session_state`` and ``metrics`` live in ``session_data`` (as ``session_name``,
``session_state``, ``session_metrics``; a workflow's own ``session_data`` keys are kept beside them);
``total_tokens`` and ``chat_history`` are not stored (AgentOS derives them from ``session_metrics``
and the runs); ``workflow_name`` is not stored by SqliteDb; a run's ``run_input`` is its
``input.input_content`` (a workflow run's ``input``) and ``run_response_format`` its
``content_type`` (``text`` is ``str``).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
DB_ID = "main-db"
HOLDER_AGENT_ID = "agentos-db-holder"  # the one registered agent: it only carries the db


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--db-file", required=True, help="SQLite file (created; its sessions are replaced)")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help=f"fixture directory (default: {FIXTURES})")
    parser.add_argument("--db-id", default=DB_ID,
                        help=f"the AgentOS database id, and the fixture database whose sessions are seeded "
                             f"(default: {DB_ID})")
    parser.add_argument("--security-key", default=None, help="sets OS_SECURITY_KEY")
    return parser.parse_args(argv)


# -- fixture form -> agno's stored form ---------------------------------------------------------

def unix_seconds(value: Any) -> int | None:
    """A fixture timestamp (Unix seconds or an RFC 3339 string) as whole Unix seconds."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())


def _present(mapping: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {name: mapping[name] for name in names if mapping.get(name) is not None}


def run_status(value: Any) -> Any:
    """A fixture run's ``status`` (``COMPLETED``, ``error``, ...) as agno's ``RunStatus``."""
    from agno.run.base import RunStatus

    if value is None:
        return RunStatus.completed
    try:
        return RunStatus(str(value).upper())
    except ValueError:
        return value


MEDIA = ("images", "videos", "audio", "files")
COMMON_RUN_FIELDS = ("run_id", "user_id", "content", "reasoning_content", "reasoning_steps", "reasoning_messages",
                     "references", "citations", "messages", "tools", "events", "response_audio", *MEDIA)


def run_dict(run: Mapping[str, Any], session_id: str) -> dict[str, Any]:
    """A fixture run (RunSchema / TeamRunSchema / WorkflowRunSchema field names) as the dict agno's
    ``RunOutput.from_dict`` / ``TeamRunOutput.from_dict`` / ``WorkflowRunOutput.from_dict`` read."""
    data = _present(run, *COMMON_RUN_FIELDS, "metrics")
    data["session_id"] = session_id
    data["created_at"] = unix_seconds(run.get("created_at"))
    if data["created_at"] is None:
        del data["created_at"]
    data["status"] = run_status(run.get("status"))
    if run.get("workflow_id") is not None:
        data |= _present(run, "workflow_id", "content_type", "step_results", "step_executor_runs")
        if run.get("run_input") is not None:
            data["input"] = run["run_input"]
        if "metrics" in data:  # agno's WorkflowMetrics needs per-step metrics: none is {}
            data["metrics"] = {"steps": {}} | data["metrics"]
        return data
    data |= _present(run, "agent_id", "team_id", "parent_run_id", "session_state")
    run_input: dict[str, Any] = {}
    if run.get("run_input") is not None:
        run_input["input_content"] = run["run_input"]
    for key, items in (run.get("input_media") or {}).items():
        if items:
            run_input[key] = items
    if run_input:
        data["input"] = run_input
    if run.get("run_response_format") not in (None, "text"):
        data["content_type"] = "json"
    return data


def agno_run(run: Mapping[str, Any], session_id: str) -> Any:
    from agno.run.agent import RunOutput
    from agno.run.team import TeamRunOutput
    from agno.run.workflow import WorkflowRunOutput

    data = run_dict(run, session_id)
    if "workflow_id" in data:
        return WorkflowRunOutput.from_dict(data)
    return TeamRunOutput.from_dict(data) if "team_id" in data else RunOutput.from_dict(data)


def session_data(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """agno's ``session_data``: a workflow's own keys, then the name, the state and the metrics."""
    data = dict(record.get("session_data") or {})
    data |= _present(record, "session_name", "session_state")
    if record.get("metrics") is not None:
        data["session_metrics"] = record["metrics"]
    return data or None


def agno_session(record: Mapping[str, Any]) -> Any:
    """One store record (``mockserver.agentos.records``) as an agno session with its runs."""
    from agno.session import AgentSession, TeamSession, WorkflowSession
    from agno.session.summary import SessionSummary

    session_id = record["session_id"]
    runs = [agno_run(run, session_id) for run in record.get("runs") or ()]
    summary = record.get("session_summary")
    common: dict[str, Any] = {
        "session_id": session_id,
        "user_id": record.get("user_id"),
        "session_data": session_data(record),
        "metadata": record.get("metadata"),
        "created_at": unix_seconds(record.get("created_at")),
        "updated_at": unix_seconds(record.get("updated_at")),
        # agno's AgentSession/TeamSession.from_dict index runs[0]: no runs is None, not [].
        "runs": runs or None,
    }
    if record["type"] == "workflow":
        return WorkflowSession(workflow_id=record.get("workflow_id"), workflow_name=record.get("workflow_name"),
                               workflow_data=record.get("workflow_data"), **common)
    common["summary"] = SessionSummary.from_dict(dict(summary)) if summary else None
    if record["type"] == "team":
        return TeamSession(team_id=record.get("team_id"), team_data=record.get("team_data"), **common)
    return AgentSession(agent_id=record.get("agent_id"), agent_data=record.get("agent_data"), **common)


def fixture_records(directory: Path, db_id: str) -> list[dict[str, Any]]:
    """The fixture sessions of database ``db_id``, as the mock loads them (checked, runs included)."""
    from mockserver.agentos.fixtures import load_fixtures
    from mockserver.agentos.model import SessionModel
    from mockserver.config import Config
    from mockserver.core.combined import load_specs

    model = SessionModel.from_spec(load_specs(Config().specs).combined)
    return [record for record in load_fixtures(directory, model).records if record["db_id"] == db_id]


def seed(db: Any, records: list[dict[str, Any]]) -> int:
    """Replace the sessions in ``db`` with ``records``, keeping their created_at and updated_at."""
    existing = db.get_sessions(session_type=None, deserialize=False)
    rows = existing[0] if isinstance(existing, tuple) else existing
    ids = [row["session_id"] for row in rows or ()]
    if ids:
        db.delete_sessions(ids)
    db.upsert_sessions([agno_session(record) for record in records], preserve_updated_at=True)
    return len(records)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # AGNO_TELEMETRY is read by agno's components; OS_SECURITY_KEY by AgentOS's settings.
    os.environ["AGNO_TELEMETRY"] = "false"
    if args.security_key:
        os.environ["OS_SECURITY_KEY"] = args.security_key
    else:
        os.environ.pop("OS_SECURITY_KEY", None)

    from agno.agent import Agent
    from agno.db.sqlite import SqliteDb
    from agno.os import AgentOS

    db = SqliteDb(db_file=args.db_file, id=args.db_id)
    count = seed(db, fixture_records(args.fixtures, args.db_id))
    holder = Agent(name="AgentOS db holder", id=HOLDER_AGENT_ID, db=db)
    app = AgentOS(agents=[holder], telemetry=False).get_app()
    print(f"seeded {count} sessions of {args.db_id} from {args.fixtures}", flush=True)
    return serve_announced(app, args.host, args.port)


def serve_announced(app: Any, host: str, port: int) -> int:
    """Serve ``app`` on ``host:port`` (0: a free port) until SIGTERM or SIGINT, printing
    ``agentos listening on URL`` once uvicorn accepts connections; 0 once it has served."""
    import uvicorn

    sock = socket.create_server((host, port))
    url = f"http://{host}:{sock.getsockname()[1]}"

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                print(f"agentos listening on {url}", flush=True)

    # uvicorn re-raises the signal it caught after a graceful shutdown; swallow that re-raise so
    # the process exits 0 instead of dying by the signal.
    signal.signal(signal.SIGTERM, lambda sig, frame: None)
    signal.signal(signal.SIGINT, lambda sig, frame: None)
    server = Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    server.run(sockets=[sock])
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
