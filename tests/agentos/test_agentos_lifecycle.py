"""The lifecycle checks against a real AgentOS (agno 2.3.17) find its known deviations
(docs/agentos-deviations.md, "Found by the lifecycle checks"), and only those: the sessions pass."""

from __future__ import annotations

import pytest

from mockserver.config import Config
from mockserver.contract.command import known_parameters
from mockserver.contract.lifecycle import run_lifecycle
from mockserver.contract.lifecycle.outcome import PASSED, SKIPPED
from tests.agentos.contract_agentos import KEY, SESSIONS, running_agentos

pytestmark = [pytest.mark.agentos, pytest.mark.process, pytest.mark.slow]


def test_the_lifecycle_checks_find_agentos_known_deviations_and_only_those() -> None:
    with running_agentos() as server:
        report = run_lifecycle(Config().specs, str(server.url), KEY, known_parameters(SESSIONS),
                               seed=1, max_examples=5)
    failed = {(o.resource, o.check): o.sentence for o in report.failures()}
    assert failed.keys() == {
        ("/memories", "update_is_visible"),  # a PATCH without user_id is a 400
        ("/eval-runs", "create_then_read"),  # agent_id and team_id, both optional, together are a 400
    }, failed
    assert failed[("/eval-runs", "create_then_read")].startswith("the create answered 400")
    skipped = {(o.resource, o.check): o.sentence for o in report.outcomes if o.result == SKIPPED}
    # the checks' limit, said as such: no knowledge base is set up on the seeded server
    for check in ("create_then_read", "created_is_listed"):
        assert "Knowledge instance with id 'main-db' not found" in skipped[("/knowledge/content", check)], skipped
    assert failed[("/memories", "update_is_visible")] == "the PATCH of memory answered 400, not a success"
    passed = {o.check for o in report.outcomes if o.resource == "/sessions" and o.result == PASSED}
    assert passed == {"create_then_read", "delete_is_final", "created_is_listed", "paging_is_truthful"}
    assert sum(1 for o in report.outcomes if o.resource == "/memories" and o.result == PASSED) == 5
