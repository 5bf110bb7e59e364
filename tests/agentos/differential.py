"""Comparing the mock with a real AgentOS 2.3.17: the same request to both, answers compared.

Both start from the same sessions: the mock from the bundled fixtures of its default database
``main-db``, AgentOS seeded with them through agno's db API (``agentos_server.seed``). An answer is
normalised before comparing: generated ids and timestamps of "now" become placeholders, and error
bodies are compared by status and, when both are sentences, by text. What the mock does differently
on purpose (the spec says otherwise) is listed in ``DOCUMENTED`` with the reason; everything else
that differs is a difference to fix.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from mockserver.config import Config
from mockserver.server import build_mock, serve_in_thread
from tests.agentos.contract_agentos import DEADLINE_SECONDS, KEY, SERVER
from tests.conftest import FIXTURES
from tests.processes import ServerProcess

MAIN_DB_FILES = ("agent-sessions.yaml", "team-sessions.yaml", "workflow-sessions.yaml")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
RECENT_SECONDS = 600

# (method, path pattern, what differs) -> why the mock does it otherwise (docs/agentos-deviations.md).
DOCUMENTED: dict[str, str] = {
    "error_code": "error bodies carry error_code, as the spec's error schemas declare",
    "422 detail": "a 422's detail is one sentence, as the spec's ValidationErrorResponse declares",
    "type mismatch": "a session asked for with another type is 404: the answer is always the requested "
                     "kind (AgentOS shows it in that kind's shape, or answers 500)",
    "empty defaults": "AgentOS passes stored runs, messages and tools through agno's models, which fill "
                      "their defaults (\"\", [], {}, false) where the data has none; the mock answers with "
                      "what is stored, leaving out what is absent",
    "unequal lists": "AgentOS answers a bulk delete whose lists differ in length with a 400, which "
                     "DeleteSessionRequest allows; the mock deletes the ids (the types choose nothing)",
    "workflow_name": "AgentOS's SQLite store does not keep a workflow session's workflow_name; the mock "
                     "shows the one its fixture gives, as the schema has it",
    "status prefix": "AgentOS puts its status in some details (\"404: No database found ...\"); the mock "
                     "does not repeat the status",
}
EMPTY = ("", [], {}, False, None)


def alike_but_for_defaults(agentos: Any, mock: Any) -> bool:
    """Whether the answers differ only where AgentOS shows an empty default the mock leaves out."""
    if isinstance(agentos, dict) and isinstance(mock, dict):
        keys = set(agentos) | set(mock)
        return all(alike_but_for_defaults(agentos[k], mock[k]) if k in agentos and k in mock
                   else (agentos.get(k) in EMPTY and mock.get(k) is None) for k in keys)
    if isinstance(agentos, list) and isinstance(mock, list):
        return len(agentos) == len(mock) and all(map(alike_but_for_defaults, agentos, mock))
    return agentos == mock or (agentos in EMPTY and mock is None)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.method} {self.path}{'?' + query if query else ''}" + (f" {self.json}" if self.json else "")


@dataclass
class Difference:
    call: Call
    agentos: Any
    mock: Any
    documented: str | None = None

    def __str__(self) -> str:
        return f"{self.call}\n    agentos: {self.agentos}\n    mock:    {self.mock}"


def normalise(value: Any, now: float) -> Any:
    """``value`` with generated ids and timestamps of the last minutes as placeholders."""
    if isinstance(value, dict):
        return {key: normalise(item, now) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item, now) for item in value]
    if isinstance(value, str) and UUID.match(value):
        return "<uuid>"
    if isinstance(value, str) and ISO.match(value):
        seconds = time.mktime(time.strptime(value, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        return "<now>" if abs(seconds - now) < RECENT_SECONDS else value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value - now) < RECENT_SECONDS:
        return "<now>"
    return value


def answer(response: httpx.Response, now: float) -> tuple[int, Any]:
    """Status and normalised body; an error body as its detail sentence (or '<list>')."""
    body = response.json() if response.content else None
    if response.status_code >= 400 and isinstance(body, dict):
        detail = body.get("detail")
        return response.status_code, detail if isinstance(detail, str) else "<list>"
    return response.status_code, normalise(body, now)


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


def documented(agentos: tuple[int, Any], mock: tuple[int, Any]) -> str | None:
    """The documented reason for a difference, if it is one of those."""
    if agentos == (400, "Session IDs and session types must have the same length") and mock[0] == 204:
        return DOCUMENTED["unequal lists"]
    if agentos[0] == mock[0] == 422 and agentos[1] == "<list>":
        return DOCUMENTED["422 detail"]
    if agentos[0] == mock[0] and alike_but_for_defaults(agentos[1], mock[1]):
        return DOCUMENTED["empty defaults"]
    if (agentos[0] == mock[0] and isinstance(agentos[1], dict) and isinstance(mock[1], dict)
            and "workflow_name" in mock[1] and agentos[1].get("workflow_name") is None
            and without(agentos[1], "workflow_name") == without(mock[1], "workflow_name")):
        return DOCUMENTED["workflow_name"]
    if agentos[0] == mock[0] and isinstance(mock[1], str) and agentos[1] == f"{mock[0]}: {mock[1]}":
        return DOCUMENTED["status prefix"]
    if agentos[0] in (200, 500) and mock[0] == 404 and isinstance(mock[1], str) and "not found" in mock[1]:
        return DOCUMENTED["type mismatch"]
    return None


@dataclass
class Pair:
    """A real AgentOS and the mock, started from the same sessions."""

    agentos: httpx.Client
    mock: httpx.Client
    reset_agentos: Any
    reset_mock: Any
    compared: int = 0
    differences: list[Difference] = field(default_factory=list)

    def call(self, call: Call) -> tuple[tuple[int, Any], tuple[int, Any]]:
        now = time.time()
        results = []
        for client in (self.agentos, self.mock):
            response = client.request(call.method, call.path, params=call.params, json=call.json)
            results.append(answer(response, now))
        self.compared += 1
        if results[0] != results[1]:
            self.differences.append(Difference(call, results[0], results[1], documented(*results)))
        return results[0], results[1]

    def reset(self) -> None:
        self.reset_agentos()
        self.reset_mock()

    def undocumented(self) -> list[Difference]:
        return [d for d in self.differences if d.documented is None]


@contextmanager
def running_pair(store: str = "memory") -> Iterator[Pair]:
    """AgentOS 2.3.17 and the mock on loopback, each with the main-db fixture sessions; the mock's
    state in ``store`` (memory, or a redis:// URL: then under a prefix of its own)."""
    from agno.db.sqlite import SqliteDb

    from tests.agentos.agentos_server import fixture_records, seed

    with tempfile.TemporaryDirectory() as folder:
        db_file = Path(folder, "agentos.db")
        server = ServerProcess([sys.executable, str(SERVER), "--db-file", str(db_file), "--security-key", KEY],
                               r"agentos listening on (http://\S+)")
        fixtures = Path(folder, "fixtures")
        fixtures.mkdir()
        for name in MAIN_DB_FILES:
            shutil.copy(FIXTURES / name, fixtures)
        config = Config(fixtures=fixtures, security_key=KEY, port=0, store=store,
                        store_prefix=f"differential-{uuid.uuid4().hex[:8]}")
        mock = build_mock(config)
        mock.state.prepare(config)
        background = serve_in_thread(mock.app)
        headers = {"Authorization": f"Bearer {KEY}"}
        try:
            url = server.wait_ready(DEADLINE_SECONDS)
            db = SqliteDb(db_file=str(db_file), id="main-db")
            records = fixture_records(FIXTURES, "main-db")
            # A new connection per request: AgentOS closes a connection after a 500.
            fresh = httpx.Limits(max_keepalive_connections=0)
            with httpx.Client(base_url=url, headers=headers, timeout=30, limits=fresh) as agentos, \
                    httpx.Client(base_url=background.url, headers=headers, timeout=30) as mock_client:
                yield Pair(agentos, mock_client, lambda: seed(db, records),
                           lambda: mock_client.post("/__mockserver/reset").raise_for_status())
        finally:
            background.stop()
            server.stop()
            mock.state.drop()
