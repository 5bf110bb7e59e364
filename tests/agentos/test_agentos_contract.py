"""`mockserver contract` against a real AgentOS (agno 3.1.x) surfaces its known deviations.

The test starts and stops the server itself (tests/agentos/agentos_server.py), with deadlines.
"""

from __future__ import annotations

import importlib.util

import pytest

from mockserver.contract.runner import run_contract
from tests.agentos.contract_agentos import KEY, SESSIONS, running_agentos
from tests.conftest import SPEC_PATH

pytestmark = [pytest.mark.agentos, pytest.mark.process, pytest.mark.slow]


def test_the_contract_run_surfaces_agentos_deviations() -> None:
    if importlib.util.find_spec("agno") is None:
        pytest.fail("agno is not installed: `make venv` installs it (pip install -e '.[test,agentos]')")
    with running_agentos() as server:
        assert server.url is not None
        report = run_contract((SPEC_PATH,), server.url, KEY, SESSIONS, max_examples=25, seed=11)
    assert server.process.returncode == 0, server.output()
    assert report.statuses[200] > 0  # the pinned, seeded sessions were reached
    found = {(f.check, f.status) for f in report.failures.values()}
    # 422 bodies are FastAPI's list, not the spec's string detail.
    assert ("response_schema_conformance", 422) in found
    # A summary object without a "summary" key is a 500.
    assert ("not_a_server_error", 500) in found
    # GET and DELETE exist on /sessions/{session_id} beside the documented PATCH.
    assert "unsupported_method" in {check for check, _ in found}
    # Beyond the schema: workflow timestamps are strings, and errors carry no error_code.
    assert report.advisories is not None
    advisories = set(report.advisories.messages)
    assert any(key[:2] == ("typed_schema", "workflow") for key in advisories), advisories
    assert ("error_code", "404") in advisories
