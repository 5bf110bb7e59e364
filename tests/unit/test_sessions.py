"""Session semantics: replace never merge, null leaves unchanged, timestamps per kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mockserver.agentos.sessions import SessionKind, session_kinds
from mockserver.core.spec import Spec

NOW = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


@pytest.fixture(scope="module")
def kinds(spec: Spec) -> dict[str, SessionKind]:
    return session_kinds(spec)


def agent_record(kinds: dict[str, SessionKind]) -> dict:
    return kinds["agent"].complete({
        "session_id": "s1", "session_name": "Old", "user_id": "u1",
        "session_state": {"a": 1, "b": 2}, "metadata": {"m": 1},
        "session_summary": {"summary": "old"}, "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
    }, "db")


def test_kinds_follow_their_response_schemas(kinds: dict[str, SessionKind]) -> None:
    assert set(kinds) == {"agent", "team", "workflow"}
    assert (kinds["agent"].unix_timestamps, kinds["team"].unix_timestamps) == (False, False)
    assert kinds["workflow"].unix_timestamps is True
    assert "session_summary" not in kinds["workflow"].properties
    assert kinds["agent"].required == {"agent_session_id", "session_id", "session_name"}


def test_present_values_replace_and_never_merge(kinds: dict[str, SessionKind]) -> None:
    record = agent_record(kinds)
    body = {"session_name": "New", "session_state": {"c": 3}, "metadata": {"n": 2},
            "summary": {"topics": ["x"]}}
    updated = kinds["agent"].apply_update(record, body, NOW)
    assert updated["session_name"] == "New"
    assert updated["session_state"] == {"c": 3}
    assert updated["metadata"] == {"n": 2}
    assert updated["session_summary"] == {"topics": ["x"]}


def test_null_or_absent_leaves_values_unchanged(kinds: dict[str, SessionKind]) -> None:
    record = agent_record(kinds)
    body = {"session_name": None, "session_state": None, "summary": None}
    updated = kinds["agent"].apply_update(record, body, NOW)
    for name in ("session_name", "session_state", "metadata", "session_summary", "created_at"):
        assert updated[name] == record[name]


def test_unknown_fields_are_ignored(kinds: dict[str, SessionKind]) -> None:
    record = agent_record(kinds)
    updated = kinds["agent"].apply_update(record, {"session_id": "hijack", "user_id": "x"}, NOW)
    assert (updated["session_id"], updated["user_id"]) == ("s1", "u1")


def test_an_update_moves_updated_at_and_keeps_created_at(kinds: dict[str, SessionKind]) -> None:
    record = agent_record(kinds)
    updated = kinds["agent"].apply_update(record, {}, NOW)
    assert updated["updated_at"] == "2026-01-02T03:04:05Z"
    assert updated["created_at"] == record["created_at"]
    assert {k: v for k, v in updated.items() if k != "updated_at"} == {
        **{k: v for k, v in record.items() if k != "updated_at"}, "metrics": {}}  # AgentOS: the update gives data


def test_workflow_timestamps_are_unix_seconds_and_summary_is_dropped(kinds: dict[str, SessionKind]) -> None:
    workflow = kinds["workflow"]
    record = workflow.complete({"session_id": "w", "session_name": "W", "created_at": 1}, "db")
    updated = workflow.apply_update(record, {"summary": {"summary": "s"}}, NOW)
    assert updated["updated_at"] == int(NOW.replace(microsecond=0).timestamp())
    assert updated["created_at"] == 1
    assert "session_summary" not in updated


def test_render_gives_exactly_the_schema_properties(kinds: dict[str, SessionKind]) -> None:
    record = agent_record(kinds)
    rendered = kinds["agent"].render(record)
    assert tuple(rendered) == kinds["agent"].properties
    assert rendered["agent_session_id"] == rendered["session_id"] == "s1"
    assert "type" not in rendered and "db_id" not in rendered


def test_updates_do_not_alias_the_request_body(kinds: dict[str, SessionKind]) -> None:
    body = {"session_state": {"nested": {"x": 1}}}
    updated = kinds["agent"].apply_update(agent_record(kinds), body, NOW)
    body["session_state"]["nested"]["x"] = 2
    assert updated["session_state"] == {"nested": {"x": 1}}
