"""Shared test helpers: a mock in its start state per test, and the bundled spec."""

from __future__ import annotations

import ast
import asyncio
import gc
import re
import socket
import subprocess
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from mockserver.config import Config
from mockserver.core.combined import load_specs
from mockserver.core.spec import Spec
from mockserver.server.app import Mock, build_mock
from tests import outside_reads
from tests.inline_client import InlineClient

if TYPE_CHECKING:
    from tests.redis_server import RedisServer

pytest_plugins = ("pytester",)

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "agentos-sessions.yaml"  # the seed
SESSIONS_SPEC_PATH = ROOT / "openapi" / "agentos-sessions-2.3.16.yaml"  # the other operations
AGENTOS_SPEC_PATH = ROOT / "openapi" / "agentos-2.3.16.yaml"  # the rest of AgentOS (the engine serves it)
SESSION_SPECS = (SPEC_PATH, SESSIONS_SPEC_PATH)  # the sessions API alone
SPECS = (*SESSION_SPECS, AGENTOS_SPEC_PATH)  # what the mock serves by default (Config.specs)
FIXTURES = ROOT / "fixtures"
outside_reads.install(ROOT)

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


# The tiers `make test-fast` leaves out (pyproject.toml's markers); a test in none of them runs in
# the inner loop, which starts no server and no child process.
TIERS = frozenset({"slow", "process", "server", "browser", "agentos"})


# A marker expression that only leaves tiers out (`make test-fast`'s: "not slow and not server ...").
LEAVING_OUT = re.compile(r"\s*not\s+(\w+)(\s+and\s+not\s+\w+)*\s*")


def module_marks(text: str) -> set[str]:
    """The marks a test module's ``pytestmark`` gives every test in it (``pytest.mark.NAME``)."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pytestmark" for t in node.targets):
            return {n.attr for n in ast.walk(node.value) if isinstance(n, ast.Attribute)} - {"mark"}
    return set()


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A module whose ``pytestmark`` puts all of its tests in a tier the marker expression leaves
    out is not imported: its tests would all be deselected, and importing it costs the inner loop
    what it imports (Redis' client, Uvicorn...). Only for an expression that just leaves tiers out,
    where no mark of a test can bring it back."""
    expression = config.option.markexpr
    if (not expression or not LEAVING_OUT.fullmatch(expression) or collection_path.suffix != ".py"
            or not collection_path.name.startswith("test_")):
        return None
    text = collection_path.read_text(encoding="utf-8")
    if "pytestmark" not in text:
        return None
    left_out = set(re.findall(r"not\s+(\w+)", expression))
    return True if module_marks(text) & left_out else None


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collecting made (modules, classes, test items) lives as long as the session: frozen
    out of the collector's reach, each collection of the oldest generation no longer walks it
    (without: 2.7 s of a 18 s run of `make test-fast` collected garbage, with: 1.9 s)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _inner_loop_starts_nothing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test in no tier fails as soon as it binds a socket (a server, in a thread or not) or starts a
    child process: it must be marked ``server`` or ``process``, so that `make test-fast` stays fast."""
    if TIERS & {mark.name for mark in request.node.iter_markers()}:
        return

    def refuse(what: str, mark: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"{request.node.nodeid} {what}: mark it {mark!r} (pyproject.toml), "
                                 "as `make test-fast` leaves those out")
        return refused

    monkeypatch.setattr(socket.socket, "bind", refuse("binds a socket (starts a server)", "server"))
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse("starts a child process", "process"))


@pytest.fixture(scope="session")
def spec() -> Spec:
    """The documents the mock serves by default, as one (the seed and agno 2.3.16's operations)."""
    return load_specs(SPECS).combined


# Mocks built in this test session, by configuration, with the attributes each started with.
BUILT: dict[Config, tuple[Mock, list[tuple[Any, dict[str, Any]]]]] = {}


def shared_mock(config: Config) -> Mock:
    """The mock ``config`` describes, in its start state. Building one takes 0.1 to 0.3 s, so a mock
    is built once per configuration in a test session and put back before each use: what a test
    replaced on it (the context's clock, a store's method) restored, its sessions and collections
    reset to the fixtures, its journal emptied. Built afresh each time: a configuration that reads
    files outside the repository (a test's own, which it may change) or keeps state elsewhere (a
    Redis store, faults drawn from a seeded generator, a fixture watcher)."""
    paths = [*config.specs, *([config.fixtures] if config.fixtures is not None else [])]
    if (config.store != "memory" or config.faults or config.watch
            or not all(path.resolve().is_relative_to(ROOT) for path in paths)):
        return build_mock(config)
    if config not in BUILT:
        mock = build_mock(config)
        context = getattr(mock.profile, "context", None)  # the AgentOS profile's handler context
        parts = [mock.stores.journal, mock.engine.store,
                 *([context, context.store] if context is not None else [])]
        BUILT[config] = mock, [(part, dict(vars(part))) for part in parts]
    mock, started = BUILT[config]
    for part, attributes in started:
        for name in set(vars(part)) - set(attributes):
            delattr(part, name)
        vars(part).update(attributes)
    asyncio.run(mock.reset())
    asyncio.run(mock.stores.journal.clear())
    return mock


@pytest.fixture
def make_mock() -> Callable[..., Mock]:
    """A mock on the bundled spec and fixtures, with any ``Config`` field overridden, in its start
    state (``shared_mock``)."""

    def make(**overrides: Any) -> Mock:
        return shared_mock(Config(specs=SPECS, fixtures=FIXTURES, **overrides))

    return make


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the test session; tests keep apart by key prefix."""
    from tests.redis_server import start_redis

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
def client(mock: Mock) -> Iterator[Any]:
    """A test client of ``mock``, its requests answered on one event loop (a client outside its
    ``with`` block starts a thread and a loop per request)."""
    with InlineClient(mock.app) as client:
        yield client


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
