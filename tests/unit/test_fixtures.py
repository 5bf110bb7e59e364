"""Fixture loading: the bundled set is realistic and valid; bad files stop start-up with a place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mockserver.agentos.fixtures import load_fixtures
from mockserver.agentos.model import SessionModel
from mockserver.core.schema import first_error
from mockserver.core.spec import Spec
from mockserver.errors import FixtureError
from tests.conftest import FIXTURES

GOOD_AGENT = {"type": "agent", "session_id": "a1", "session_name": "A", "user_id": "u"}


def load(directory: Path, spec: Spec):
    return load_fixtures(directory, SessionModel.from_spec(spec))


def write(directory: Path, name: str, document: object) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(document) if name.endswith(".json") else yaml.safe_dump(document))
    return path


def test_bundled_fixtures_are_realistic(spec: Spec) -> None:
    fixtures = load(FIXTURES, spec)
    by_type: dict[str, list[dict]] = {}
    for record in fixtures.records:
        by_type.setdefault(record["type"], []).append(record)
    assert {kind: len(records) >= 3 for kind, records in by_type.items()} == {
        "agent": True, "team": True, "workflow": True}
    assert len({r["user_id"] for r in fixtures.records}) >= 2
    assert len(fixtures.databases) >= 2 and fixtures.default_db == "main-db"
    assert any(r["chat_history"] for r in by_type["agent"] + by_type["team"])
    assert any(r["metrics"] for r in by_type["agent"] + by_type["team"])
    assert any(r["session_summary"] for r in by_type["agent"] + by_type["team"])


def test_every_bundled_fixture_renders_to_a_valid_response(spec: Spec) -> None:
    kinds = SessionModel.from_spec(spec).kinds
    for record in load(FIXTURES, spec).records:
        kind = kinds[record["type"]]
        assert first_error(spec.validator(kind.schema_pointer), kind.render(record)) is None, record


def test_a_file_may_be_a_bare_list_with_db_on_each_session(tmp_path: Path, spec: Spec) -> None:
    write(tmp_path, "s.json", [{**GOOD_AGENT, "db_id": "only"}])
    fixtures = load(tmp_path, spec)
    assert (fixtures.databases, fixtures.default_db) == (["only"], "only")
    assert fixtures.records[0]["agent_session_id"] == "a1"


@pytest.mark.parametrize(("session", "message"), [
    ({**GOOD_AGENT, "session_name": None},
     r"s\.yaml: sessions\[0\]: field 'session_name' of session 'a1' must be of type string \(got null\)"),
    ({k: v for k, v in GOOD_AGENT.items() if k != "session_name"},
     r"s\.yaml: sessions\[0\]: session 'a1': missing required property 'session_name'"),
    ({**GOOD_AGENT, "created_at": "yesterday"},
     r"field 'created_at' of session 'a1': 'yesterday' is not a valid date-time"),
    ({**GOOD_AGENT, "type": "workflow", "created_at": "2025-01-01T00:00:00Z"},
     r"field 'created_at' of session 'a1' must be of type integer or null \(got string\)"),
    ({**GOOD_AGENT, "sesion_name": "typo"}, r"session 'a1': unknown field 'sesion_name' for a agent session"),
    ({**GOOD_AGENT, "type": "robot"}, r"sessions\[0\]: field 'type' must be one of 'agent', 'team', 'workflow'"),
    ({**GOOD_AGENT, "agent_session_id": "other"}, r"'agent_session_id' must equal 'session_id'"),
    ({**GOOD_AGENT, "chat_history": ["hello"]},
     r"field 'chat_history\[0\]' of session 'a1' must be of type object \(got string\)"),
    ({**GOOD_AGENT, "runs": [{"run_id": "r1"}, {"run_id": "r2", "created_at": 5}]},
     r"s\.yaml: sessions\[0\]: field 'created_at' of runs\[1\] of session 'a1' \(RunSchema\) must be of "
     r"type string or null \(got integer\)"),
    ({**GOOD_AGENT, "runs": [{"run_id": "w1", "workflow_id": "w"}]},  # an agent session's runs are agent runs
     r"session 'a1': runs\[0\]: unknown field 'workflow_id' for a RunSchema"),
    ({**GOOD_AGENT, "runs": [{"run_id": "r1", "colour": "red"}]},
     r"session 'a1': runs\[0\]: unknown field 'colour' for a RunSchema"),
    ({**GOOD_AGENT, "runs": {"run_id": "r1"}}, r"session 'a1': 'runs' must be a list of runs"),
])
def test_a_bad_session_names_file_session_and_field(tmp_path: Path, spec: Spec, session: dict, message: str) -> None:
    write(tmp_path, "s.yaml", {"db_id": "db", "sessions": [session]})
    with pytest.raises(FixtureError, match=message):
        load(tmp_path, spec)


def test_a_session_without_a_database_is_an_error(tmp_path: Path, spec: Spec) -> None:
    write(tmp_path, "s.yaml", [GOOD_AGENT])
    with pytest.raises(FixtureError, match="session 'a1' has no 'db_id'"):
        load(tmp_path, spec)


def test_duplicate_sessions_name_both_files(tmp_path: Path, spec: Spec) -> None:
    write(tmp_path, "a.yaml", {"db_id": "db", "sessions": [GOOD_AGENT]})
    write(tmp_path, "b.yaml", {"db_id": "db", "sessions": [GOOD_AGENT]})
    with pytest.raises(FixtureError, match=r"b\.yaml: sessions\[0\]: session 'a1' in database 'db' is also "
                                           r"defined in .*a\.yaml"):
        load(tmp_path, spec)


def test_several_databases_need_one_default(tmp_path: Path, spec: Spec) -> None:
    write(tmp_path, "a.yaml", {"db_id": "one", "sessions": [GOOD_AGENT]})
    write(tmp_path, "b.yaml", {"db_id": "two", "sessions": [GOOD_AGENT]})
    with pytest.raises(FixtureError, match=r"several databases \(one, two\) and none is the default"):
        load(tmp_path, spec)
    write(tmp_path, "b.yaml", {"db_id": "two", "default": True, "sessions": [GOOD_AGENT]})
    assert load(tmp_path, spec).default_db == "two"


def test_two_defaults_are_an_error(tmp_path: Path, spec: Spec) -> None:
    write(tmp_path, "a.yaml", {"db_id": "one", "default": True, "sessions": [GOOD_AGENT]})
    write(tmp_path, "b.yaml", {"db_id": "two", "default": True, "sessions": [GOOD_AGENT]})
    with pytest.raises(FixtureError, match=r"database 'two' is marked default, but .*a\.yaml already marks 'one'"):
        load(tmp_path, spec)


@pytest.mark.parametrize(("document", "message"), [
    ({"sessions": [GOOD_AGENT], "dbid": "x"}, "unknown top-level key 'dbid'"),
    ({"default": True, "sessions": [GOOD_AGENT]}, "'default: true' marks the file's 'db_id'"),
    ({"db_id": "x"}, "expected a list of sessions or a mapping with 'sessions: \\[...\\]'"),
    ({"db_id": "x", "sessions": ["text"]}, r"sessions\[0\]: a session is a mapping"),
])
def test_a_malformed_file_is_an_error(tmp_path: Path, spec: Spec, document: dict, message: str) -> None:
    write(tmp_path, "f.yaml", document)
    with pytest.raises(FixtureError, match=message):
        load(tmp_path, spec)


def test_unparseable_yaml_names_line_and_column(tmp_path: Path, spec: Spec) -> None:
    tmp_path.joinpath("bad.yaml").write_text("sessions:\n  - type: agent\n    session_id: [oops\n")
    with pytest.raises(FixtureError, match=r"bad\.yaml:\d+:\d+: not valid YAML"):
        load(tmp_path, spec)


def test_missing_or_empty_directories_are_errors(tmp_path: Path, spec: Spec) -> None:
    with pytest.raises(FixtureError, match="fixtures directory not found"):
        load(tmp_path / "absent", spec)
    tmp_path.joinpath("README.md").write_text("not a fixture")
    with pytest.raises(FixtureError, match=r"no fixture files \(\*\.yaml, \*\.yml, \*\.json\)"):
        load(tmp_path, spec)
