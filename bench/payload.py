"""What every target is asked and answers: one PATCH of a real fixture session.

The ceilings answer with the session the mock itself would render, so that every target sends a
body of the same size.
"""

from __future__ import annotations

import json

from mockserver.config import Config
from mockserver.core.fixtures import load_fixtures
from mockserver.core.model import SessionModel
from mockserver.core.specs import load_specs

SESSION_ID = "agent-research-001"
PATH = f"/sessions/{SESSION_ID}"
KEY = "bench-key"
BODY = json.dumps({"session_name": "Renamed by the benchmark"}).encode()
HEADERS = {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"}


def session_json() -> bytes:
    """The mock's answer for the benchmark's session, as JSON bytes."""
    config = Config()
    model = SessionModel.from_spec(load_specs(config.specs).combined)
    fixtures = load_fixtures(config.fixtures, model)
    record = next(r for r in fixtures.records if r["session_id"] == SESSION_ID)
    return json.dumps(model.kinds[record["type"]].render(record)).encode()
