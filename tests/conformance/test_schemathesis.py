"""Schemathesis against the mock in-process: every check, positive and negative generation.

The mock runs with a security key, so the declared bearer scheme is enforced (the open default is
for people; Schemathesis's ``ignored_auth`` check rightly flags it). One run uses random session
ids (they reach 401, 404 and 422); one run per session type pins the id, ``type`` and ``db_id`` of
a fixture session, so that every 200 response schema is exercised: each pinned run fails unless at
least one of its own cases got a 200 (checked as the run ends, whatever else runs or in what order).
State is reset before each case.

The schemas are built at import: Schemathesis 4.32's lazy ``from_fixture`` fails on pytest 9.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from mockserver.config import Config
from mockserver.core.combined import load_specs
from mockserver.server.app import build_mock
from tests.conftest import FIXTURES, SESSIONS, SPECS, STATUSES

pytestmark = pytest.mark.slow

KEY = "conformance-key"
MOCK = build_mock(Config(specs=SPECS, fixtures=FIXTURES, security_key=KEY))
# No health check needs suppressing for the generated data (none fails with all of them on).
SETTINGS = settings(max_examples=150, deadline=None)
# function_scoped_fixture: ``answered`` is set up once per pinned run and shared by all of its cases
# on purpose, to count their statuses across the run.
PINNED_SETTINGS = settings(SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])


def make_schema(parameters: dict[str, str] | None = None) -> Any:
    # The seed's PATCH, read from the served documents combined, so that Allow lists every method
    # of the path (the other operations have their own tier: test_whole_api_schemathesis.py).
    combined = schemathesis.openapi.from_dict(dict(load_specs(SPECS).combined.raw))
    schema = combined.include(operation_id="update_session")
    schema.app = MOCK.app
    schema.config.update(headers={"Authorization": f"Bearer {KEY}"}, parameters=parameters)
    return schema


def check(case: Any, run: str) -> int:
    asyncio.run(MOCK.reset())
    response = case.call_and_validate()
    STATUSES[run][response.status_code] += 1
    return response.status_code


@make_schema().parametrize()
@SETTINGS
def test_random_session_ids(case: Any) -> None:
    check(case, "random ids")


@pytest.fixture
def answered() -> Iterator[Counter[int]]:
    """The statuses of one pinned run's cases: set up once per run, its check made when the run ends."""
    statuses: Counter[int] = Counter()
    yield statuses
    assert statuses[200] > 0, f"no case of the run got a 200 from the pinned session: {dict(statuses)}"


def pinned_session_test(session_type: str) -> Callable[..., None]:
    session_id, _ = SESSIONS[session_type]
    schema = make_schema({"path.session_id": session_id, "query.type": session_type, "query.db_id": "main-db"})

    @schema.parametrize()
    @PINNED_SETTINGS
    def test(case: Any, answered: Counter[int]) -> None:
        answered[check(case, f"pinned {session_type} session")] += 1

    return test


test_pinned_agent_session = pinned_session_test("agent")
test_pinned_team_session = pinned_session_test("team")
test_pinned_workflow_session = pinned_session_test("workflow")
