"""``mockserver proxy`` in front of a real AgentOS 2.3.17 (seeded with the fixtures' main-db), driven
by agno's own ``AgentOSClient`` through every session operation: conforming traffic shows no
violation, the deviations docs/agentos-deviations.md lists are reported with their pointers, and
what ``--record`` wrote, served by the mock, answers the same reads as AgentOS did."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.config import Config
from mockserver.server import Proxy, build_mock, build_proxy, serve_in_thread
from tests.agentos.contract_agentos import running_agentos
from tests.agentos.test_client import run

pytestmark = [pytest.mark.agentos]

KEY = "proxy-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
TIMEOUT = 10
READS = ["/sessions/agent-research-001", "/sessions/agent-research-001/runs",
         "/sessions/team-triage-002?type=team", "/sessions/team-triage-002/runs?type=team",
         "/sessions/workflow-report-001?type=workflow", "/sessions/workflow-report-001/runs?type=workflow"]


class Through:
    """A real AgentOS and the proxy in front of it, recording into ``record``."""

    def __init__(self, agentos_url: str, record: Path) -> None:
        self.proxy: Proxy = build_proxy(Config(upstream=agentos_url, security_key=KEY, record=record))
        self.served = serve_in_thread(self.proxy.app)
        self.url = self.served.url

    def journal(self) -> list[dict[str, Any]]:
        journal = httpx.get(f"{self.url}/__mockserver/requests", headers=AUTH, timeout=TIMEOUT)
        entries: list[dict[str, Any]] = journal.json()
        return entries

    def clear(self) -> None:
        httpx.delete(f"{self.url}/__mockserver/requests", headers=AUTH, timeout=TIMEOUT).raise_for_status()


@pytest.fixture(scope="module")
def record_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("recorded")


@pytest.fixture(scope="module")
def through(record_dir: Path) -> Iterator[Through]:
    if importlib.util.find_spec("agno") is None:
        pytest.fail("agno is not installed: `make venv` installs it (pip install -e '.[test,agentos]')")
    with running_agentos(KEY) as agentos:
        assert agentos.url is not None
        pair = Through(agentos.url, record_dir)
        try:
            yield pair
        finally:
            pair.served.stop()
            print(pair.proxy.report.summary())


def test_agnos_client_through_every_session_operation_shows_no_violation(through: Through) -> None:
    from agno.client import AgentOSClient
    from agno.db.base import SessionType

    through.clear()
    client = AgentOSClient(base_url=through.url, timeout=TIMEOUT)
    for kind in (SessionType.AGENT, SessionType.TEAM, SessionType.WORKFLOW):
        page = run(client.get_sessions(session_type=kind, headers=AUTH))
        assert page.data, kind
        session_id = page.data[-1].session_id
        run(client.get_session(session_id, session_type=kind, headers=AUTH))
        runs = run(client.get_session_runs(session_id, session_type=kind, headers=AUTH))
        if runs:
            run(client.get_session_run(session_id, runs[0].run_id, session_type=kind, headers=AUTH))
    run(client.get_sessions(limit=2, page=2, sort_by="updated_at", sort_order="asc", headers=AUTH))
    created = run(client.create_session(session_id="proxy-a", session_name="Through the proxy", headers=AUTH))
    run(client.update_session(created.session_id, session_state={"step": 2}, metadata={"via": "proxy"},
                              headers=AUTH))
    run(client.rename_session(created.session_id, "Renamed through the proxy", headers=AUTH))
    team = run(client.create_session(session_type=SessionType.TEAM, session_id="proxy-t", headers=AUTH))
    run(client.delete_session(created.session_id, headers=AUTH))
    run(client.delete_sessions([team.session_id], [SessionType.TEAM], headers=AUTH))
    journal = through.journal()
    assert len(journal) >= 16
    found = [violation for entry in journal for violation in entry.get("violations", ())]
    assert found == [], found
    print(f"{len(journal)} exchanges through the proxy, 0 violations")


def test_agentos_deviations_are_reported_with_their_pointers(through: Through) -> None:
    through.clear()
    # AgentOS answers request validation errors with FastAPI's list (docs/agentos-deviations.md,
    # "422 bodies are FastAPI's list"); the spec says detail is a string.
    answer = httpx.patch(f"{through.url}/sessions/agent-research-001", json={"session_state": 5},
                         headers=AUTH, timeout=TIMEOUT)
    assert answer.status_code == 422 and isinstance(answer.json()["detail"], list)
    [entry] = through.journal()
    assert [(v["direction"], v["pointer"]) for v in entry["violations"]] == [
        ("request", "/body/session_state"), ("response", "/body/detail")]
    assert entry["violations"][1]["message"] == "must be of type string (got array)"
    # A summary without its summary key is valid by the seed, and a 500 in AgentOS
    # ("A PATCH summary without a summary key is a 500").
    through.clear()
    answer = httpx.patch(f"{through.url}/sessions/agent-research-001", json={"summary": {"topics": ["x"]}},
                         headers=AUTH, timeout=TIMEOUT)
    assert answer.status_code == 500
    [entry] = through.journal()
    assert [(v["direction"], v["pointer"], v["message"]) for v in entry["violations"]] == [
        ("response", "/status", "server error 500 to a request that keeps the contract")]
    # An unknown path is undocumented.
    through.clear()
    assert httpx.get(f"{through.url}/no/such/path", headers=AUTH, timeout=TIMEOUT).status_code == 404
    [entry] = through.journal()
    assert entry["violations"][0]["message"].startswith("undocumented")


def test_recorded_fixtures_replay_on_the_mock_with_agentos_answers(through: Through, record_dir: Path) -> None:
    answered = {}
    for path in READS:
        answer = httpx.get(through.url + path, headers=AUTH, timeout=TIMEOUT)
        assert answer.status_code == 200, path
        answered[path] = answer.json()
    assert through.proxy.recorder is not None and through.proxy.recorder.flush()
    assert (record_dir / "sessions-default.json").is_file()
    replay = build_mock(Config(fixtures=record_dir)).app.test_client()
    for path in READS:
        answer = replay.get(path)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.json() == answered[path], path
