"""`mockserver contract` catches what it claims, with the right check, and passes the mock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import pytest

from mockserver import cli
from mockserver.agentos.pins import PinnedSession
from mockserver.config import Config
from mockserver.server.app import build_mock
from mockserver.server.serving import serve_in_thread
from tests import contract_servers
from tests.conftest import FIXTURES, SESSION_SPECS, SESSIONS, SPECS

if TYPE_CHECKING:
    from mockserver.contract.report import ContractReport

KEY = "contract-key"
PINNED = [PinnedSession(kind, session_id, "main-db") for kind, (session_id, _) in sorted(SESSIONS.items())]


@pytest.fixture
def served(redis_prefix: str) -> Iterator[Callable[..., str]]:
    """Serve a (possibly broken) mock in a background thread, its state in memory or in Redis
    (``store``); stopped after the test."""
    running = []

    def serve(wrap: Callable[[Any], Any] = lambda app: app, key: str | None = KEY, store: str = "memory") -> str:
        config = Config(specs=SPECS, fixtures=FIXTURES, security_key=key, store=store, store_prefix=redis_prefix)
        mock = build_mock(config)
        mock.state.prepare(config)
        running.append(serve_in_thread(wrap(mock.app)))
        return running[-1].url

    yield serve
    for server in running:
        server.stop()


def contract(url: str, max_examples: int = 25, pinned: list[PinnedSession] = PINNED) -> ContractReport:
    from mockserver.contract.runner import run_contract  # Schemathesis: only the slow tests need it

    # The mock serves the whole AgentOS; the contract checked is its sessions API's.
    return run_contract(SESSION_SPECS, url, KEY, pinned, max_examples=max_examples, seed=42)


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("store", ["memory", pytest.param("redis", marks=pytest.mark.process)])
def test_the_mock_keeps_the_contract(served: Callable[..., str], store: str, request: pytest.FixtureRequest
                                     ) -> None:
    url = request.getfixturevalue("redis_server").url if store == "redis" else "memory"
    # breadth is `make fuzz`'s (2,500 per operation); through Redis the same contract shows the
    # store changes nothing
    report = contract(served(store=url), max_examples=10 if store == "redis" else 15)
    assert report.ok, [f.check for f in report.failures.values()] + report.errors
    assert report.failed == {} and report.passed["response_schema_conformance"] > 0
    assert {200, 401, 404, 422} <= set(report.statuses)
    assert report.advisories is not None and report.advisories.messages == {}
    assert report.runs == ["random ids", "agent session agent-research-001@main-db",
                           "team session team-triage-002@main-db", "workflow session workflow-report-001@main-db"]


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize(("wrap", "key", "check"), [
    (contract_servers.problem_json_errors, KEY, "content_type_conformance"),
    (contract_servers.missing_required_field, KEY, "response_schema_conformance"),
    (contract_servers.server_error_on_summary, KEY, "not_a_server_error"),
    (lambda app: app, None, "ignored_auth"),  # a token is sent, but any (or none) is accepted
], ids=["problem+json errors", "required field missing", "500 on a valid summary", "any token accepted"])
def test_each_broken_server_is_caught_by_the_right_check(served: Callable[..., str], wrap: Any, key: str | None,
                                                         check: str) -> None:
    # one pinned session: each breaks every session alike, and a run per pin was minutes of CI
    report = contract(served(wrap, key), max_examples=10, pinned=PINNED[:1])
    assert not report.ok
    assert report.failed[check] > 0, dict(report.failed)
    failure = next(f for f in report.failures.values() if f.check == check)
    assert failure.curl.startswith("curl ") and "/sessions" in failure.curl


@pytest.mark.slow
@pytest.mark.server
def test_cli_against_a_broken_server_exits_1_with_a_summary_and_junit(
        served: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = served(contract_servers.missing_required_field)
    junit = tmp_path / "report.xml"
    status = cli.main(["contract", "--url", url, "--token", KEY, "--session", "team=team-triage-002@main-db",
                       "--max-examples", "5", "--seed", "1", "--junit-xml", str(junit),
                       "--max-time", "0"])  # what it finds, not how soon: a loaded machine must not cut it
    out = capsys.readouterr().out
    assert status == 1
    assert "response_schema_conformance: " in out and "reproduce: curl " in out and "FAILED:" in out
    suite = ElementTree.parse(junit).getroot()
    failing = {case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None}
    assert "response_schema_conformance" in failing


@pytest.mark.slow
@pytest.mark.server
def test_cli_without_url_tests_the_bundled_mock(capsys: pytest.CaptureFixture) -> None:
    specs = [argument for path in SESSION_SPECS for argument in ("--spec", str(path))]
    assert cli.main(["contract", *specs, "--max-examples", "5", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "agent session agent-research-001@main-db" in out and "OK: " in out


@pytest.mark.slow
def test_an_unreachable_server_is_one_line_and_exit_2(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["contract", "--url", "http://127.0.0.1:9", "--max-examples", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mockserver: error: cannot reach http://127.0.0.1:9 (") and err.count("\n") == 1


@pytest.mark.parametrize(("text", "parsed"), [
    ("agent=s1", PinnedSession("agent", "s1")),
    ("team=s1@db", PinnedSession("team", "s1", "db")),
    ("workflow=a@b@db", PinnedSession("workflow", "a@b", "db")),
])
def test_session_options_parse(text: str, parsed: PinnedSession) -> None:
    assert PinnedSession.parse(text) == parsed


@pytest.mark.parametrize("text", ["agent", "agent=", "robot=s1", "agent=s1@"])
def test_bad_session_options_are_usage_errors(text: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["contract", "--session", text])
    assert exit_info.value.code == 2
    assert "argument --session" in capsys.readouterr().err
