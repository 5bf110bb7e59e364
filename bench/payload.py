"""What the targets are asked: one PATCH of a real fixture session, or one page of the list.

Most targets are loaded with ``PATCH_REQUEST``; ``mock-10k-list`` with ``LIST_REQUEST``, a page of
20 sessions sorted by ``updated_at`` (the mock's defaults: agent sessions, newest first, page 1).
The ceilings answer with the session the mock itself would render, so that every PATCH target
sends a body of the same size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from mockserver.agentos.fixtures import load_fixtures
from mockserver.agentos.model import SessionModel
from mockserver.config import Config, bundled
from mockserver.core.combined import load_specs

SESSION_ID = "agent-research-001"
PATH = f"/sessions/{SESSION_ID}"
KEY = "bench-key"
BODY = json.dumps({"session_name": "Renamed by the benchmark"}).encode()
HEADERS = {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"}


@dataclass(frozen=True)
class Request:
    """One benchmark request: method, path with its query, body (None: no body) and headers."""

    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


PATCH_REQUEST = Request("patch", "PATCH", PATH, BODY, HEADERS)
LIST_PATH = "/sessions?sort_by=updated_at&limit=20"
LIST_REQUEST = Request("list", "GET", LIST_PATH, None, {"Authorization": f"Bearer {KEY}"})
# The generic engine, on the bundled AgentOS: read one agent, create one memory (a collection each).
ENGINE_READ_REQUEST = Request("engine-read", "GET", "/agents/research-agent", None,
                              {"Authorization": f"Bearer {KEY}"})
MEMORY = json.dumps({"memory": "Likes short answers", "user_id": "bench"}).encode()
ENGINE_CREATE_REQUEST = Request("engine-create", "POST", "/memories", MEMORY, HEADERS)


def session_json() -> bytes:
    """The mock's answer for the benchmark's session, as JSON bytes."""
    config = Config()
    model = SessionModel.from_spec(load_specs(config.specs).combined)
    fixtures = load_fixtures(config.fixtures_dir or bundled(Path("fixtures")), model)
    record = next(r for r in fixtures.records if r["session_id"] == SESSION_ID)
    return json.dumps(model.kinds[record["type"]].render(record)).encode()
