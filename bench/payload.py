"""What every target is asked and answers: one PATCH of a real fixture session.

The ceilings answer with the session the mock itself would render, so that every target sends a
body of the same size.
"""

from __future__ import annotations

import json

from mockserver.config import Config
from mockserver.core.fixtures import load_fixtures
from mockserver.core.sessions import session_kinds
from mockserver.core.spec import load_spec

SESSION_ID = "agent-research-001"
PATH = f"/sessions/{SESSION_ID}"
KEY = "bench-key"
BODY = json.dumps({"session_name": "Renamed by the benchmark"}).encode()
HEADERS = {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"}


def session_json() -> bytes:
    """The mock's answer for the benchmark's session, as JSON bytes."""
    config = Config()
    spec = load_spec(config.spec)
    kinds = session_kinds(spec)
    fixtures = load_fixtures(config.fixtures, kinds, spec)
    record = next(r for r in fixtures.records if r["session_id"] == SESSION_ID)
    return json.dumps(kinds[record["type"]].render(record)).encode()
