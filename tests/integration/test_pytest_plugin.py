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


VERIFYING_TESTS = '''
import httpx
import pytest

def create(mock, name):
    response = httpx.post(f"{mock.url}/pets", json={"name": name, "tag": "dog"}, headers=mock.headers)
    assert response.status_code == 201

def test_assertions_that_hold_pass(mockserver):
    create(mockserver, "Rex")
    [entry] = mockserver.assert_called("createPet", times=1, json={"name": "Rex"})
    assert entry["body"]["tag"] == "dog"
    mockserver.assert_called("createPet", status=201, method="POST")
    mockserver.assert_not_called("listPets")
    mockserver.assert_not_called("createPet", json={"name": "Max"})
    assert [e["operation"] for e in mockserver.requests(body_contains={"name": "Rex"})] == ["createPet"]

def test_fails_assert_called(mockserver):
    create(mockserver, "Rex")
    mockserver.assert_called("createPet", times=1, json={"name": "Rey"})

def test_fails_assert_not_called(mockserver):
    create(mockserver, "Rex")
    create(mockserver, "Max")
    mockserver.assert_not_called("createPet", json={"tag": "dog"})

@pytest.mark.mockserver_verify
def test_fails_two_expectations_at_the_end(mockserver):
    mockserver.expect("createPet", times=1, json={"name": "Rex"})
    mockserver.expect("createPet", json={"name": "Rey"})
    mockserver.expect("listPets")
    create(mockserver, "Rex")

@pytest.mark.mockserver_verify
def test_expectations_that_hold_pass_at_the_end(mockserver):
    mockserver.expect("createPet", times=1)
    create(mockserver, "Rex")

def test_fails_expect_unasked(mockserver):
    mockserver.expect("createPet")
'''


def test_the_assertions_pass_or_fail_showing_the_closest_requests(pytester: Any) -> None:
    petstore = Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml"
    pytester.makeini(f"[pytest]\nmockserver_spec = {petstore}\n")
    pytester.makepyfile(test_verifying=VERIFYING_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=4)
    result.stdout.fnmatch_lines([
        "*_ test_fails_assert_called _*",
        "E * assert_called('createPet', times=1, json={'name': 'Rey'}): Expected exactly 1 matching request, "
        "found 0 among the 1 in the journal",
        "E *closest requests:",
        "E *  1. POST /pets -> 201 (createPet)",
        "E *     body: {'name': 'Rex', 'tag': 'dog'}",
        "E *     body_contains /name: assert 'Rex' == 'Rey'",
    ])
    result.stdout.fnmatch_lines([
        "*_ test_fails_assert_not_called _*",
        "E * assert_not_called('createPet', json={'tag': 'dog'}): Expected exactly 0 matching requests, found 2*",
        "E *  1. POST /pets -> 201 (createPet)",
        "E *     matches every filter",
        "E *  2. POST /pets -> 201 (createPet)",
    ])
    result.stdout.fnmatch_lines([
        "*_ test_fails_two_expectations_at_the_end _*",
        "E * 2 expectation(s) not met when the test ended:",
        "*expect('createPet', json={'name': 'Rey'}): Expected at least 1 matching request, found 0*",
        "*     body_contains /name: assert 'Rex' == 'Rey'",
        "*expect('listPets'): Expected at least 1 matching request, found 0*",
        "*     operation: assert 'createPet' == 'listPets'",
    ])
    result.stdout.fnmatch_lines(["*_ test_fails_expect_unasked _*",
                                 "E *expect() is checked when the test ends only where asked*"])


def test_the_verify_option_checks_expectations_at_the_end_of_every_test(pytester: Any) -> None:
    petstore = Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml"
    pytester.makeini(f"[pytest]\nmockserver_spec = {petstore}\n")
    pytester.makepyfile(test_unmarked='''
def test_unmet(mockserver):
    mockserver.expect("createPet", times=2)
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mockserver-verify")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["E * 1 expectation(s) not met when the test ended:",
                                 "*expect('createPet', times=2): Expected exactly 2 matching requests, found 0*",
                                 "*no request comes close: the journal is empty"])
