"""Schemathesis over every operation of the sessions API, stateless and stateful.

The mock serves the seed and agno 2.3.16's document as one API; Schemathesis reads them combined
(``core.combined``, the documents unchanged). The stateless run generates positive and negative cases
for all nine operations with every check; the stateful run follows the links Schemathesis infers
between them (a created session's id into read, rename, patch, runs and delete), where
``use_after_free`` and ``ensure_resource_availability`` check that a deleted session stays gone and
a created one can be found. Each operation must reach a success status at least once (a run pins a
fixture session and one of its runs for that): a mock that answers only errors fails the tier. State is reset before each case and each stateful run.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from mockserver.config import Config
from mockserver.core.combined import load_specs
from mockserver.server import build_mock
from tests.conftest import FIXTURES, SESSION_SPECS, SPECS, STATUSES

pytestmark = pytest.mark.slow

KEY = "whole-api-key"
MOCK = build_mock(Config(specs=SPECS, fixtures=FIXTURES, security_key=KEY))
BY_OPERATION: dict[str, Counter[int]] = {}


def whole_api(parameters: dict[str, str] | None = None) -> Any:
    # The mock serves the whole AgentOS; this tier drives its sessions API (the engine's operations
    # are driven in test_real_world_schemathesis.py's way).
    schema = schemathesis.openapi.from_dict(dict(load_specs(SESSION_SPECS).combined.raw))
    schema.app = MOCK.app
    schema.config.update(headers={"Authorization": f"Bearer {KEY}"}, parameters=parameters)
    return schema


def first_run_of(session_id: str) -> str:
    record = next(r for r in MOCK.profile.context.fixtures.records if r["session_id"] == session_id)
    return str(record["runs"][0]["run_id"]) if record["runs"] else "no-runs"


SCHEMA = whole_api()
# A fixture session with runs, and one of its runs, so that the 200s of every path are reached.
PINNED = whole_api({"path.session_id": "agent-research-001", "query.type": "agent", "query.db_id": "main-db",
                    "path.run_id": first_run_of("agent-research-001")})


def record(label: str, status: int) -> None:
    BY_OPERATION.setdefault(label, Counter())[status] += 1
    STATUSES[f"whole API {label}"][status] += 1


@SCHEMA.parametrize()
@settings(max_examples=60, deadline=None)  # no health check needs suppressing: none fails with all on
def test_every_operation(case: Any) -> None:
    asyncio.run(MOCK.reset())
    response = case.call_and_validate()
    record(case.operation.label, response.status_code)


@PINNED.parametrize()
@settings(max_examples=40, deadline=None)
def test_every_operation_on_a_pinned_session(case: Any) -> None:
    asyncio.run(MOCK.reset())
    response = case.call_and_validate()
    record(case.operation.label, response.status_code)


class StatefulAPI(SCHEMA.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        asyncio.run(MOCK.reset())

    def after_call(self, response: Any, case: Any) -> None:
        record(f"stateful {case.operation.label}", response.status_code)


TestStatefulAPI = StatefulAPI.TestCase
TestStatefulAPI.settings = settings(max_examples=40, stateful_step_count=8, deadline=None)


def test_the_stateful_phase_has_links_to_follow() -> None:
    links = {name for name in StatefulAPI.bundles}
    assert {"POST /sessions -> 201", "GET /sessions -> 200"} <= links


def test_zz_every_operation_reached_its_success_status() -> None:
    """Runs after the generated cases of this module (pytest keeps file order)."""
    if not BY_OPERATION:
        pytest.skip("run together with test_every_operation (e.g. the whole module)")
    reached: dict[str, Counter[int]] = {}
    for label, counts in BY_OPERATION.items():
        reached.setdefault(label.removeprefix("stateful "), Counter()).update(counts)
    assert len(reached) == 9, sorted(reached)
    missing = {label: dict(counts) for label, counts in reached.items()
               if not any(200 <= status < 300 for status in counts)}
    assert missing == {}
