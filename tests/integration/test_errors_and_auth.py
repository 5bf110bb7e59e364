"""Every non-2xx answer is {"detail", "error_code"} JSON; auth is open by default, keyed on demand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SESSIONS
from tests.inline_client import InlineClient

AGENT = f"/sessions/{SESSIONS['agent'][0]}"


def assert_error(response: Any, status: int, code: str, *detail_parts: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "error_code"} and body["error_code"] == code
    for part in detail_parts:
        assert part in body["detail"], body["detail"]


@pytest.mark.parametrize(("kwargs", "detail"), [
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "not valid JSON"),
    ({"json": []}, "the request body must be of type object (got array)"),
    ({"json": "text"}, "the request body must be of type object (got string)"),
    ({"json": {"session_name": 5}}, "field 'session_name' of the request body must be of type string or null"),
    ({"json": {"session_state": "s"}}, "field 'session_state'"),
    ({"json": {"metadata": [1]}}, "field 'metadata'"),
    ({"json": {"summary": 1}}, "field 'summary'"),
    ({"content": b'{"session_name": "\xff"}', "headers": {"content-type": "application/json"}}, "not valid UTF-8"),
    ({"content": b'{"session_name": NaN}', "headers": {"content-type": "application/json"}}, "NaN is not valid JSON"),
    ({"content": b'{"session_state": {"n": 1e999}}', "headers": {"content-type": "application/json"}}, "out of range"),
    ({"content": b"[" * 100_000, "headers": {"content-type": "application/json"}}, "nested deeper than 64 levels"),
    ({}, "The request body is required"),
])
def test_requests_that_break_the_spec_are_422(client: Any, kwargs: dict, detail: str) -> None:
    assert_error(client.patch(AGENT, **kwargs), 422, "VALIDATION_ERROR", detail)


def test_a_type_outside_the_enum_names_the_parameter(client: Any) -> None:
    assert_error(client.patch(f"{AGENT}?type=robot", json={}), 422, "VALIDATION_ERROR",
                 "query parameter 'type' must be one of 'agent', 'team', 'workflow' (got 'robot')")


@pytest.mark.parametrize(("query", "not_found"), [
    ("user_id=anything", "Session with id 'agent-research-001' not found"),  # alice's session, not theirs
    ("db_id=main-db", None),  # the session's own database: found
    ("user_id=null&db_id=null", "No database found with id 'null'"),
    ("user_id=", "Session with id 'agent-research-001' not found"),
], ids=["user_id=anything", "db_id=main-db", "user_id=null&db_id=null", "user_id="])
def test_any_user_id_or_db_id_value_is_answered_without_500(client: Any, query: str, not_found: str | None) -> None:
    response = client.patch(f"{AGENT}?{query}", json={})
    if not_found is None:
        assert response.status_code == 200, response.text
        assert response.json()["session_id"] == SESSIONS["agent"][0]
    else:
        assert_error(response, 404, "NOT_FOUND", not_found)


def test_a_body_without_content_type_is_read_as_json(client: Any) -> None:
    response = client.patch(AGENT, content=b'{"session_name": "No header"}')
    assert response.status_code == 200 and response.json()["session_name"] == "No header"


def test_a_wrong_content_type_is_415(client: Any) -> None:
    response = client.patch(AGENT, content=b"session_name=x", headers={"content-type": "text/plain"})
    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE", "text/plain")


def test_an_unknown_path_is_404(client: Any) -> None:
    assert_error(client.patch("/no/such/path", json={}), 404, "NOT_FOUND", "No operation matches PATCH /no/such/path")


@pytest.mark.parametrize("method", ["POST", "PUT", "OPTIONS"])
def test_another_method_is_405_with_allow(client: Any, method: str) -> None:
    response = client.request(method, AGENT)
    assert_error(response, 405, "METHOD_NOT_ALLOWED", f"Method {method} is not allowed")
    assert response.headers["allow"] == "DELETE, GET, PATCH"  # from both documents


def test_a_bug_is_500_without_internals(mock: Any) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals /etc/passwd")

    mock.profile.context.store.update = broken
    response = InlineClient(mock.app).patch(AGENT, json={})
    assert_error(response, 500, "INTERNAL_SERVER_ERROR")
    assert response.json()["detail"] == "Internal server error"
    assert "secret" not in response.text and "Traceback" not in response.text


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer anything"}, {"Authorization": "garbage"}])
def test_without_a_key_any_or_no_token_is_accepted(client: Any, headers: dict) -> None:
    assert client.patch(AGENT, json={}, headers=headers).status_code == 200


@pytest.fixture
def keyed(make_mock: Any) -> Any:
    return InlineClient(make_mock(security_key="s3cret-key").app)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czM="},
                                     {"Authorization": "Bearer"}, {"Authorization": "Bearer s3cret-key-longer"}])
def test_with_a_key_a_missing_or_wrong_token_is_401(keyed: Any, headers: dict) -> None:
    assert_error(keyed.patch(AGENT, json={}, headers=headers), 401, "UNAUTHENTICATED")


def test_with_a_key_the_right_token_passes(keyed: Any) -> None:
    assert keyed.patch(AGENT, json={}, headers={"Authorization": "Bearer s3cret-key"}).status_code == 200


def test_401_comes_before_validation_and_lookup(keyed: Any) -> None:
    assert_error(keyed.patch(AGENT, json=[]), 401, "UNAUTHENTICATED")
    assert_error(keyed.patch("/sessions/unknown?type=robot", json={}), 401, "UNAUTHENTICATED")
