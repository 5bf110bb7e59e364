"""Start a real Agno AgentOS (agno 3.1.x) on loopback, seeded with one session of each type.

No agents, no model calls, telemetry off. Seeds one agent, team and workflow session through
agno's own db API (``SqliteDb.upsert_session``), prints ``agentos listening on http://HOST:PORT``
once uvicorn accepts connections (``--port 0`` picks a free port), and serves until SIGTERM or
SIGINT, then exits 0.

    python tests/agentos/agentos_server.py --db-file /tmp/agentos.db [--port 0] [--security-key KEY]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import time
from typing import Any

DB_ID = "main-db"
USER_ID = "alice@example.com"
SESSIONS = {"agent": "agent-s1", "team": "team-s1", "workflow": "workflow-s1"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--db-file", required=True)
    parser.add_argument("--security-key", default=None, help="sets OS_SECURITY_KEY")
    return parser.parse_args(argv)


def seed(db: Any) -> None:
    """Upsert one session of each type, with name, state, metadata and (agent, team) a summary."""
    from agno.session import AgentSession, TeamSession, WorkflowSession
    from agno.session.summary import SessionSummary

    now = int(time.time())  # SqliteDb stores updated_at = created_at on insert
    common: dict[str, Any] = {"user_id": USER_ID, "created_at": now - 3600, "updated_at": now - 60}

    def data(name: str, kind: str) -> dict[str, Any]:
        return {"session_name": name, "session_state": {"kind": kind, "counter": 1}}

    meta = {"seeded_by": "agentos_server.py"}
    db.upsert_session(AgentSession(
        session_id=SESSIONS["agent"], agent_id="agent-1", session_data=data("Agent session", "agent"),
        metadata=meta, summary=SessionSummary(summary="Agent summary", topics=["a"]), **common))
    db.upsert_session(TeamSession(
        session_id=SESSIONS["team"], team_id="team-1", session_data=data("Team session", "team"),
        metadata=meta, summary=SessionSummary(summary="Team summary", topics=["t"]), **common))
    # WorkflowSession has no summary field; SqliteDb does not persist workflow_name.
    db.upsert_session(WorkflowSession(
        session_id=SESSIONS["workflow"], workflow_id="workflow-1",
        session_data=data("Workflow session", "workflow"), metadata=meta, **common))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # AGNO_TELEMETRY is read by agno's components; OS_SECURITY_KEY by AgentOS's settings.
    os.environ["AGNO_TELEMETRY"] = "false"
    if args.security_key:
        os.environ["OS_SECURITY_KEY"] = args.security_key
    else:
        os.environ.pop("OS_SECURITY_KEY", None)

    import uvicorn
    from agno.db.sqlite import SqliteDb
    from agno.os import AgentOS

    db = SqliteDb(db_file=args.db_file, id=DB_ID)
    seed(db)
    app = AgentOS(db=db, telemetry=False).get_app()
    sock = socket.create_server((args.host, args.port))
    url = f"http://{args.host}:{sock.getsockname()[1]}"

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
