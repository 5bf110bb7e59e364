"""Shared test helpers: a fresh mock (fresh state) per test, and the bundled spec."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.core.spec import Spec
from mockserver.core.specs import load_specs
from mockserver.server.app import Mock, build_mock
from tests.redis_server import RedisServer, start_redis

pytest_plugins = ("pytester",)

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "agentos-sessions.yaml"  # the seed
SESSIONS_SPEC_PATH = ROOT / "openapi" / "agentos-sessions-2.3.16.yaml"  # the other operations
AGENTOS_SPEC_PATH = ROOT / "openapi" / "agentos-2.3.16.yaml"  # the rest of AgentOS (the engine serves it)
SESSION_SPECS = (SPEC_PATH, SESSIONS_SPEC_PATH)  # the sessions API alone
SPECS = (*SESSION_SPECS, AGENTOS_SPEC_PATH)  # what the mock serves by default (Config.specs)
FIXTURES = ROOT / "fixtures"

# One fixture session of each type in the default database (main-db), and their owners.
SESSIONS = {
    "agent": ("agent-research-001", "alice@example.com"),
    "team": ("team-triage-002", "bob@example.com"),
    "workflow": ("workflow-report-001", "alice@example.com"),
}

# Response statuses per Schemathesis run, filled by tests/conformance, reported at the end.
STATUSES: defaultdict[str, Counter[int]] = defaultdict(Counter)
# Schemathesis failures a conformance run counts instead of raising (document -> why -> count).
RESIDUE: defaultdict[str, Counter[str]] = defaultdict(Counter)


@pytest.fixture(scope="session")
def spec() -> Spec:
    """The documents the mock serves by default, as one (the seed and agno 2.3.16's operations)."""
    return load_specs(SPECS).combined


@pytest.fixture
def make_mock() -> Callable[..., Mock]:
    """Build a mock on the bundled spec and fixtures, with any ``Config`` field overridden."""

    def make(**overrides: Any) -> Mock:
        return build_mock(Config(specs=SPECS, fixtures=FIXTURES, **overrides))

    return make


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the test session; tests keep apart by key prefix."""
    server = start_redis()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_prefix(request: pytest.FixtureRequest) -> str:
    """A key prefix of this test's own."""
    return f"test:{request.node.name}:{uuid.uuid4().hex[:8]}"


@pytest.fixture
def mock(make_mock: Callable[..., Mock]) -> Mock:
    return make_mock()


@pytest.fixture
def client(mock: Mock) -> Any:
    return mock.app.test_client()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """After a run that included the conformance tier, say how many cases ran and their statuses."""
    if not STATUSES:
        return
    terminalreporter.section("schemathesis cases")
    for run, counts in STATUSES.items():
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
        terminalreporter.write_line(f"{run}: {sum(counts.values())} cases ({statuses})")
    if RESIDUE:
        terminalreporter.section("schemathesis failures counted, not raised (see the test module)")
        for document, reasons in sorted(RESIDUE.items()):
            for reason, n in sorted(reasons.items()):
                terminalreporter.write_line(f"{document}: {n} x {reason}")
