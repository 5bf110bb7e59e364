"""Schemathesis over the run operations of the AgentOS document (issue 21): create, cancel and
continue runs of agents, teams and workflows, positive and negative cases, every check, once with
generated ids and once with the bundled components' ids pinned (so that the streamed and plain 200s
are reached). State is reset before each case.

One failure is Schemathesis's, and counted, not raised: the document wraps the runs' ``files``
(an array of binary strings) in ``anyOf [..., null]``, where Schemathesis 4 does not see files, so it
sends their items as text parts without a filename; the mock refuses those as FastAPI does (a text
part is not a file), and Schemathesis calls that a schema-valid request rejected."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import settings
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.openapi.checks import RejectedPositiveData

from mockserver.config import Config
from mockserver.contract.report import files_as_text
from mockserver.core.combined import load_specs
from mockserver.server import build_mock
from tests.conftest import FIXTURES, RESIDUE, SPECS, STATUSES

pytestmark = pytest.mark.slow

KEY = "runs-key"
MOCK = build_mock(Config(specs=SPECS, fixtures=FIXTURES, security_key=KEY))
RUN_OPERATIONS = ("create_agent_run", "create_team_run", "create_workflow_run", "continue_agent_run",
                  "cancel_agent_run", "cancel_team_run", "cancel_workflow_run")
REACHED: dict[str, Counter[int]] = {}


def run_operations(parameters: dict[str, str] | None = None) -> Any:
    schema = schemathesis.openapi.from_dict(dict(load_specs(SPECS).combined.raw))
    schema = schema.include(operation_id=list(RUN_OPERATIONS))
    schema.app = MOCK.app
    schema.config.update(headers={"Authorization": f"Bearer {KEY}"}, parameters=parameters)
    return schema


GENERATED = run_operations()
PINNED = run_operations({"path.agent_id": "research-agent", "path.team_id": "content-team",
                         "path.workflow_id": "weekly-report"})


def checked(case: Any, run: str) -> None:
    asyncio.run(MOCK.reset())
    response = case.call()
    REACHED.setdefault(case.operation.label, Counter())[response.status_code] += 1
    STATUSES[f"runs {run} {case.operation.label}"][response.status_code] += 1
    try:
        case.validate_response(response)
    except (FailureGroup, Failure) as raised:
        failures = list(raised.exceptions) if isinstance(raised, FailureGroup) else [raised]
        real = [failure for failure in failures
                if not (isinstance(failure, RejectedPositiveData) and files_as_text(case))]
        RESIDUE["runs"]["files sent as text parts (Schemathesis), refused as FastAPI does"] += len(failures) - len(real)
        if real:
            raise


@GENERATED.parametrize()
@settings(max_examples=40, deadline=None)
def test_run_operations_with_generated_ids(case: Any) -> None:
    checked(case, "generated")


@PINNED.parametrize()
@settings(max_examples=40, deadline=None)
def test_run_operations_on_the_bundled_components(case: Any) -> None:
    checked(case, "pinned")


def test_zz_every_run_operation_reached_its_success_status() -> None:
    """Continue needs a paused run, which generated cases never make (tests/integration covers it)."""
    if not REACHED:
        pytest.skip("run together with the generated cases (the whole module)")
    assert len(REACHED) == len(RUN_OPERATIONS), sorted(REACHED)
    unreached = {label: dict(c) for label, c in REACHED.items() if not any(200 <= s < 300 for s in c)}
    assert set(unreached) <= {"POST /agents/{agent_id}/runs/{run_id}/continue"}, unreached
