"""pytest plugin: a running mock for your own tests (entry point ``pytest11``).

The ``mockserver`` fixture serves any documents (``--mockserver-spec FILE[,FILE]``, with
``--mockserver-fixtures DIR``, ``--mockserver-security-key KEY``, ``--mockserver-profile NAME``, or
the ini keys of the same names with underscores), its collections' items read and put through the
admin API::

    def test_adopt(mockserver):
        mockserver.put_item("pets", "7", {"name": "Rex", "status": "available"})
        assert httpx.get(f"{mockserver.url}/pets/7", headers=mockserver.headers).json()["name"] == "Rex"

The ``agentos_mock`` fixture serves the AgentOS mock (its sessions too). Each serves one mock per
test session on a free loopback port, in a background thread, and puts its state (and request
journal) back to the fixtures before each test::

    def test_rename(agentos_mock):
        url = f"{agentos_mock.url}/sessions/agent-research-001"
        assert httpx.patch(url, json={"session_name": "Q3"}).json()["session_name"] == "Q3"
        assert agentos_mock.requests()[-1]["body"] == {"session_name": "Q3"}

Each is a client of the mock's admin API (``pytest_clients``), and checks what the mock was called
with (``pytest_assertions``)::

    def test_create(mockserver):
        httpx.post(f"{mockserver.url}/pets", json={"name": "Rex"}, headers=mockserver.headers)
        mockserver.assert_called("createPet", times=1, json={"name": "Rex"})
        mockserver.assert_not_called("DELETE /pets/{petId}")   # no operationId: METHOD /path

and, in a test marked ``@pytest.mark.mockserver_verify`` (or every test, with ``--mockserver-verify``
or the ini key ``mockserver_verify = true``), the expectations ``mock.expect(...)`` declares are
checked when the test ends, all that do not hold listed together.

Options: ``--agentos-mock-fixtures DIR``, ``--agentos-mock-spec FILE[,FILE]``,
``--agentos-mock-security-key KEY``, ``--agentos-mock-store URL`` (or the ini keys of the same
names with underscores).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from mockserver.pytest_assertions import asked
from mockserver.pytest_assertions import pytest_configure as pytest_configure  # the marker
from mockserver.pytest_assertions import pytest_runtest_call as pytest_runtest_call  # expectations at the end
from mockserver.pytest_clients import AgentOSMock, RunningMock

GENERIC_OPTIONS = {
    "spec": "OpenAPI documents the mockserver fixture serves, comma-separated (needed for it)",
    "fixtures": "directory of fixtures of the mockserver fixture (collection items, a profile's own)",
    "security_key": "the mockserver fixture requires this bearer token",
    "profile": "the mockserver fixture's profile: auto (default), none, or a name",
}
OPTIONS = {
    "fixtures": "directory of session fixtures (default: the bundled ones)",
    "spec": "OpenAPI documents to serve, comma-separated (default: the bundled AgentOS documents)",
    "security_key": "require this bearer token, as `mockserver run --security-key` does",
    "store": "keep the mock's state in Redis (redis://HOST:PORT/DB) under a prefix of this test "
             "session's own, dropped at the end (default: memory)",
}


VERIFY_HELP = "check the expectations mock.expect() declares when each test ends (as the marker does)"


def pytest_addoption(parser: pytest.Parser) -> None:
    generic = parser.getgroup("mockserver", "a mock of any OpenAPI document (mockserver)")
    generic.addoption("--mockserver-verify", dest="mockserver_verify", action="store_true", help=VERIFY_HELP)
    parser.addini("mockserver_verify", VERIFY_HELP, type="bool", default=False)
    for name, help_text in GENERIC_OPTIONS.items():
        generic.addoption(f"--mockserver-{name.replace('_', '-')}", dest=f"mockserver_{name}", help=help_text)
        parser.addini(f"mockserver_{name}", help_text)
    group = parser.getgroup("agentos-mock", "AgentOS mock (mockserver)")
    for name, help_text in OPTIONS.items():
        flag = f"--agentos-mock-{name.replace('_', '-')}"
        group.addoption(flag, dest=f"agentos_mock_{name}", help=help_text)
        parser.addini(f"agentos_mock_{name}", help_text)


MockT = TypeVar("MockT", bound=RunningMock)


def _option(config: pytest.Config, name: str, group: str = "agentos_mock") -> str | None:
    value = config.getoption(f"{group}_{name}") or config.getini(f"{group}_{name}")
    return str(value) if value else None


def _served(config: Any, client: Callable[[str, str | None], MockT]) -> Iterator[MockT]:
    """The mock ``config`` describes, served until the generator is closed; ``client`` its admin
    API (the store prepared before and dropped after, as a test session's own prefix)."""
    from mockserver.server import build_mock, serve_in_thread

    built = build_mock(config)
    built.state.prepare(config)
    server = serve_in_thread(built.app)
    mock = client(server.url, config.security_key)
    try:
        yield mock
    finally:
        mock.close()
        server.stop()
        built.state.drop()


@pytest.fixture(scope="session")
def agentos_mock_server(pytestconfig: pytest.Config) -> Iterator[AgentOSMock]:
    """The session-wide mock behind ``agentos_mock`` (not reset between tests)."""
    from mockserver.config import Config
    from mockserver.config_values import paths

    spec, fixtures, store = (_option(pytestconfig, name) for name in ("spec", "fixtures", "store"))
    config = Config(security_key=_option(pytestconfig, "security_key"), admin=True, port=0).replace(
        specs=paths(spec) if spec else None,
        fixtures=Path(fixtures) if fixtures else None,
        store=store, store_prefix=f"mockserver-pytest-{uuid.uuid4().hex[:12]}" if store else None)
    yield from _served(config, AgentOSMock)


@pytest.fixture
def agentos_mock(agentos_mock_server: AgentOSMock, request: pytest.FixtureRequest) -> AgentOSMock:
    """The running mock, its state and request journal reset for this test."""
    agentos_mock_server.reset()
    agentos_mock_server.begin_test(asked(request))
    return agentos_mock_server


@pytest.fixture(scope="session")
def mockserver_server(pytestconfig: pytest.Config) -> Iterator[RunningMock]:
    """The session-wide mock behind ``mockserver`` (not reset between tests)."""
    from mockserver.config import Config
    from mockserver.config_values import paths

    spec, fixtures, key, profile = (_option(pytestconfig, name, "mockserver")
                                    for name in ("spec", "fixtures", "security_key", "profile"))
    if spec is None:
        pytest.fail("the mockserver fixture serves the documents --mockserver-spec (or the ini key "
                    "mockserver_spec) names: none was given", pytrace=False)
    config = Config(specs=paths(spec), security_key=key, admin=True, port=0).replace(
        fixtures=Path(fixtures) if fixtures else None, profile=profile)
    yield from _served(config, RunningMock)


@pytest.fixture
def mockserver(mockserver_server: RunningMock, request: pytest.FixtureRequest) -> RunningMock:
    """The running mock of ``--mockserver-spec``, its state and request journal reset for this test."""
    mockserver_server.reset()
    mockserver_server.begin_test(asked(request))
    return mockserver_server
