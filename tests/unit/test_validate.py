"""`mockserver validate`: the bundled spec's real defects, a clean corrected copy, and failures."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver import cli
from mockserver.config import Config
from mockserver.validate.checks import check_documents
from mockserver.validate.command import validate
from tests.conftest import AGENTOS_SPEC_PATH, FIXTURES, SESSIONS_SPEC_PATH, SPEC_PATH, SPECS

EXAMPLES = "/paths/~1sessions~1{session_id}/patch/responses/200/content/application~1json/examples"
MISSING_ALL = ("matches none of its anyOf schemas: AgentSessionDetailSchema: missing required properties "
               "'agent_session_id', 'session_id', 'session_name'; TeamSessionDetailSchema, "
               "WorkflowSessionDetailSchema: missing required properties 'session_id', 'session_name'")
MISSING_IDS = ("matches none of its anyOf schemas: AgentSessionDetailSchema: missing required properties "
               "'agent_session_id', 'session_id'; TeamSessionDetailSchema, WorkflowSessionDetailSchema: "
               "missing required property 'session_id'")
HINT = " (it is a valid request body: a request example filed under a response?)"


def seed_defects(document: str = "") -> list[tuple[str, str]]:
    """The bundled spec's four defects (where, message); ``document``: the file named before the
    pointer, as when several documents are checked."""
    return [(f"{document}{EXAMPLES}/{name}/value", message + HINT) for name, message in (
        ("update_summary", MISSING_ALL), ("update_metadata", MISSING_ALL),
        ("update_session_name", MISSING_IDS), ("update_session_state", MISSING_ALL))]


@pytest.mark.slow
def test_the_bundled_spec_has_exactly_its_four_known_defects() -> None:
    report = check_documents((SPEC_PATH,), None)
    assert [(f.where, f.message) for f in report.findings] == seed_defects()
    assert report.checked == {"example": 9, "operation": 1}


def agentos_example(path: str, method: str = "get", at: str = "example") -> str:
    return f"{AGENTOS_SPEC_PATH}#/paths/{path}/{method}/responses/200/content/application~1json/{at}"


# The rest of AgentOS: its own examples' defects (agno 2.3.16 writes them by hand).
AGENTOS_DEFECTS = [
    (agentos_example("~1config"), "missing required property 'os_id'"),
    (agentos_example("~1teams", at="example/0/tools"),
     "matches none of its anyOf schemas: branch 0: must be of type object (got array); branch 1: must be of "
     "type null (got array)"),
    (agentos_example("~1teams~1{team_id}", at="example/tools"),
     "matches none of its anyOf schemas: branch 0: must be of type object (got array); branch 1: must be of "
     "type null (got array)"),
    (agentos_example("~1memories"), "missing required property 'meta'"),
    (agentos_example("~1user_memory_stats"), "missing required property 'meta'"),
    (agentos_example("~1eval-runs"), "missing required property 'meta'"),
    (agentos_example("~1metrics", at="example/metrics/0/date"), "'2025-07-31T00:00:00' is not a valid date-time"),
    (agentos_example("~1metrics~1refresh", "post", at="example/0/date"),
     "'2025-08-12T00:00:00' is not a valid date-time"),
    (agentos_example("~1traces", at="example/data/0"), "missing required property 'end_time'"),
    (agentos_example("~1traces~1{trace_id}", at="examples/full_trace/value"),
     "matches none of its anyOf schemas: TraceDetail: missing required properties 'start_time', 'end_time'; "
     "TraceNode: missing required properties 'id', 'type'"),
    (agentos_example("~1traces~1{trace_id}", at="examples/single_span/value"),
     "matches none of its anyOf schemas: TraceDetail: missing required properties 'trace_id', 'start_time', "
     "'end_time', 'total_spans', 'error_count', 'created_at', 'tree'; TraceNode: missing required properties "
     "'start_time', 'end_time'"),
]


@pytest.mark.slow
def test_the_bundled_documents_and_fixtures_have_only_the_documents_known_defects() -> None:
    report = check_documents(SPECS, FIXTURES)
    others = f"{SESSIONS_SPEC_PATH}#/paths/~1sessions"
    assert [(f.where, f.message) for f in report.findings] == [
        *seed_defects(f"{SPEC_PATH}#"),
        (f"{others}/get/responses/200/content/application~1json/example", "missing required property 'data'"),
        (f"{others}/get/responses/200/content/application~1json/example", "missing required property 'meta'"),
        (f"{others}~1{{session_id}}~1runs/get/responses/200/content/application~1json/examples/completed_run/value",
         "must be of type array (got object)"),
        *AGENTOS_DEFECTS,  # and none in the fixtures
    ]
    assert report.checked == {"example": 62, "operation": 56, "fixture session": 13, "collection item": 18,
                              "run script": 18}  # 10 agents, 4 teams, 4 workflows: fixtures/scripts.yaml


@pytest.mark.slow
def test_a_self_referring_schema_is_valid() -> None:
    report = check_documents((AGENTOS_SPEC_PATH,), None)
    assert not [f for f in report.findings if "Recursion" in f.message]


def corrected_copy(tmp_path: Path) -> Path:
    """The bundled spec with each 200 example turned into a full agent session response."""
    document = yaml.safe_load(SPEC_PATH.read_text())
    examples = document["paths"]["/sessions/{session_id}"]["patch"]["responses"]["200"]["content"][
        "application/json"]["examples"]
    for example in examples.values():
        value = example["value"]
        if "summary" in value:
            value["session_summary"] = value.pop("summary")
        example["value"] = {"agent_session_id": "s1", "session_id": "s1", "session_name": "Name", **value}
    path = tmp_path / "corrected.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


@pytest.mark.slow
def test_a_corrected_copy_is_clean(tmp_path: Path) -> None:
    out = io.StringIO()
    status = validate(Config(specs=(corrected_copy(tmp_path),), fixtures=FIXTURES), fixtures=False,
                      output_format="text", out=out)
    assert status == 0
    assert out.getvalue() == ("info    PATCH /sessions/{session_id}: by the agentos profile's handler\n"
                              f"{tmp_path / 'corrected.yaml'}: 0 errors (checked 9 examples, 1 operation)\n")


@pytest.mark.slow
def test_text_output_is_one_line_per_finding_and_exit_1(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["validate", str(SPEC_PATH), "--no-fixtures"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "info    PATCH /sessions/{session_id}: by the agentos profile's handler",
        *(f"error   {where}  {message}" for where, message in seed_defects()),
        f"{SPEC_PATH}: 4 errors (checked 9 examples, 1 operation)",
    ]


@pytest.mark.slow
def test_runs_in_fixtures_need_a_document_with_run_schemas(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["validate", str(SPEC_PATH), "--fixtures", str(FIXTURES)]) == 1
    out = capsys.readouterr().out
    assert "session 'agent-research-001': the served documents define no run schemas, so no runs" in out


@pytest.mark.slow
def test_json_output(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["validate", str(SPEC_PATH), "--format", "json", "--no-fixtures"]) == 1
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert (report["errors"], report["checked"]) == (4, {"example": 9, "operation": 1})
    assert "warnings" not in report
    assert report["findings"] == [{"where": where, "message": message} for where, message in seed_defects()]


def test_an_unparseable_document_exits_2_with_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: 3.1.0\ninfo: {title: x\n")
    assert cli.main(["validate", str(path)]) == 2
    assert f"{path}:3:1: not valid YAML" in capsys.readouterr().err


@pytest.mark.slow
def test_structural_errors_are_listed_with_pointers(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC_PATH.read_text())
    document["paths"]["/sessions/{session_id}"]["patch"]["parameters"][0]["in"] = "body"
    del document["info"]["title"]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document))
    findings = [(f.where, f.message) for f in check_documents((path,), None).findings]
    assert findings == [
        ("/info", '"title" is a required property'),
        ("/paths/~1sessions~1{session_id}/patch/parameters/0/in",
         '"body" is not one of "query", "header" or 2 other candidates'),
        ("/", "Path parameter 'session_id' for 'patch' operation in '/sessions/{session_id}' was not resolved"),
    ]


@pytest.mark.slow
def test_examples_of_parameters_and_schemas_are_checked(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC_PATH.read_text())
    operation = document["paths"]["/sessions/{session_id}"]["patch"]
    operation["parameters"][1]["example"] = "robot"
    document["components"]["schemas"]["NotFoundResponse"]["example"] = {"error_code": "NOT_FOUND"}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document))
    findings = {f.where: f.message for f in check_documents((path,), None).findings}
    assert findings["/paths/~1sessions~1{session_id}/patch/parameters/1/example"] == (
        "must be one of 'agent', 'team', 'workflow' (got 'robot')")
    assert findings["/components/schemas/NotFoundResponse/example"] == "missing required property 'detail'"


@pytest.mark.slow
def test_operations_without_handlers_are_reported_as_served_by_the_engine(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC_PATH.read_text())
    document["paths"]["/sessions/{session_id}"]["patch"]["operationId"] = "archive_session"
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document))
    report = check_documents((path,), None)
    assert [served.message for served in report.served] == [
        "PATCH /sessions/{session_id}: answered from the document (its example, else a value built from "
        "its schema)"]


@pytest.mark.slow
def test_every_bad_fixture_is_listed(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({"db_id": "db", "sessions": [
        {"type": "agent", "session_id": "a1", "session_name": None},
        {"type": "team", "session_id": "t1"},
        {"type": "workflow", "session_id": "w1", "session_name": "ok"},
    ]}))
    findings = [(f.where, f.message) for f in check_documents((SPEC_PATH,), tmp_path).findings]
    assert findings == [
        *seed_defects(),
        (str(tmp_path / "a.yaml"), "sessions[0]: field 'session_name' of session 'a1' must be of type string (got null)"),
        (str(tmp_path / "a.yaml"), "sessions[1]: session 't1': missing required property 'session_name'"),
    ]


def test_validate_says_how_each_operation_is_served_under_the_profile_it_is_given() -> None:
    def served(profile: str) -> list[str]:
        return [f.message for f in check_documents((SPEC_PATH,), None, profile).served]

    assert served("auto") == ["PATCH /sessions/{session_id}: by the agentos profile's handler"]
    assert served("agentos") == served("auto")
    assert served("none") == ["PATCH /sessions/{session_id}: answered from the document (its example, "
                              "else a value built from its schema)"]


def test_validate_takes_the_profile_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--profile", "none", "--no-fixtures", str(SPEC_PATH)]) == 1
    assert "PATCH /sessions/{session_id}: answered from the document" in capsys.readouterr().out
