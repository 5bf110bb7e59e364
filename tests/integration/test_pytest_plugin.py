"""The pytest plugin, as a user's test suite would use it (run by pytester in a subprocess)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.process

USER_TESTS = '''
import httpx

def test_rename_is_seen_and_journaled(agentos_mock):
    url = f"{agentos_mock.url}/sessions/agent-research-001"
    response = httpx.patch(url, json={"session_name": "Q3"}, headers=agentos_mock.headers)
    assert response.json()["session_name"] == "Q3"
    assert [r["body"] for r in agentos_mock.requests()] == [{"session_name": "Q3"}]
    [session] = [s for s in agentos_mock.sessions(type="agent", db_id="main-db")
                 if s["session_id"] == "agent-research-001"]
    assert session["session_name"] == "Q3"

def test_state_and_journal_are_reset_before_each_test(agentos_mock):
    assert agentos_mock.requests() == []
    names = {s["session_id"]: s["session_name"] for s in agentos_mock.sessions(db_id="main-db")}
    assert names["agent-research-001"] == "Market research for Q3 launch"
'''


def test_the_fixture_serves_a_mock_reset_per_test(pytester: Any) -> None:
    pytester.makepyfile(USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_fixture_serves_the_same_on_redis_and_leaves_no_key(pytester: Any, redis_server: Any) -> None:
    pytester.makepyfile(USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--agentos-mock-store", redis_server.url)
    result.assert_outcomes(passed=2)
    client = redis_server.client()
    assert list(client.scan_iter(match="{mockserver-pytest-*")) == []
    client.close()


def test_options_set_a_key_and_other_fixtures(pytester: Any) -> None:
    pytester.makepyfile(fixtures_dir_yaml="")
    (pytester.path / "sessions").mkdir()
    (pytester.path / "sessions" / "one.yaml").write_text(
        "db_id: only\nsessions:\n  - {type: team, session_id: t1, session_name: Only one}\n")
    pytester.makepyfile(test_keyed='''
import httpx

def test_keyed(agentos_mock):
    assert httpx.patch(f"{agentos_mock.url}/sessions/t1?type=team", json={}).status_code == 401
    response = httpx.patch(f"{agentos_mock.url}/sessions/t1?type=team", json={}, headers=agentos_mock.headers)
    assert response.json()["session_name"] == "Only one"
    assert [s["session_id"] for s in agentos_mock.sessions()] == ["t1"]
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--agentos-mock-security-key", "k",
                                           "--agentos-mock-fixtures", str(pytester.path / "sessions"))
    result.assert_outcomes(passed=1)


def test_the_generic_fixture_serves_any_document_with_its_items_reset_per_test(pytester: Any) -> None:
    petstore = Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml"
    pytester.makeini(f"[pytest]\nmockserver_spec = {petstore}\nmockserver_security_key = k\n")
    pytester.makepyfile(test_pets='''
import httpx

def test_put_then_read(mockserver):
    mockserver.put_item("pets", "7", {"name": "Rex", "status": "available"})
    assert httpx.get(f"{mockserver.url}/pets/7", headers=mockserver.headers).json()["name"] == "Rex"
    assert [pet["id"] for pet in mockserver.items("pets")] == [7]
    assert mockserver.requests()[-1]["path"] == "/pets/7"

def test_the_next_test_starts_from_the_fixtures(mockserver):
    assert mockserver.items("pets") == [] and mockserver.requests() == []
    assert httpx.get(f"{mockserver.url}/pets/7", headers=mockserver.headers).status_code == 404
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_generic_fixture_without_a_document_says_what_to_give(pytester: Any) -> None:
    pytester.makepyfile(test_none="def test_it(mockserver):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the mockserver fixture serves the documents --mockserver-spec*"])
