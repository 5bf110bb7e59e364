"""Several documents as one API: combined when they fit, refused naming both files when not."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver import cli
from mockserver.config import Config
from mockserver.core.combined import load_specs
from mockserver.core.spec_loading import load_spec
from mockserver.errors import SpecError
from mockserver.validate.checks import check_documents
from tests.conftest import ROOT, SPEC_PATH

OTHERS = ROOT / "openapi" / "agentos-sessions-2.3.16.yaml"


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def seed() -> dict[str, Any]:
    return copy.deepcopy(dict(load_spec(SPEC_PATH).raw))


@pytest.mark.slow
def test_the_seed_and_the_other_operations_combine_into_the_whole_sessions_api() -> None:
    served = load_specs((SPEC_PATH, OTHERS))
    assert served.paths == (SPEC_PATH, OTHERS)
    operations = {(op.method, op.path): op.operation_id for op in served.combined.operations()}
    assert len(operations) == 9 and operations[("patch", "/sessions/{session_id}")] == "update_session"
    assert operations[("get", "/sessions/{session_id}")] == "get_session_by_id"
    schemas = served.combined.raw["components"]["schemas"]
    assert {"UpdateSessionRequest", "RunSchema", "AgentSessionDetailSchema"} <= set(schemas)
    # Each document stays as it was read.
    assert "get" not in served.documents[0].raw["paths"]["/sessions/{session_id}"]


def test_an_operation_defined_twice_names_both_files(tmp_path: Path) -> None:
    copied = write(tmp_path / "copy.yaml", seed())
    with pytest.raises(SpecError) as error:
        load_specs((SPEC_PATH, copied))
    assert str(error.value).startswith(f"{copied}: /paths/~1sessions~1{{session_id}}/patch: PATCH "
                                       f"/sessions/{{session_id}} is also defined in {SPEC_PATH}")


def test_an_operation_id_defined_twice_names_both_files(tmp_path: Path) -> None:
    document = seed()
    document["paths"]["/elsewhere/{session_id}"] = document["paths"].pop("/sessions/{session_id}")
    moved = write(tmp_path / "moved.yaml", document)
    with pytest.raises(SpecError, match=(
            f"^{moved}: /paths/~1elsewhere~1{{session_id}}/patch/operationId: operationId "
            f"'update_session' is also defined in {SPEC_PATH}$")):
        load_specs((SPEC_PATH, moved))


def test_a_component_that_differs_names_both_files(tmp_path: Path) -> None:
    document = seed()
    document["paths"] = {}
    document["components"]["schemas"]["NotFoundResponse"]["properties"]["detail"]["title"] = "Changed"
    changed = write(tmp_path / "changed.yaml", document)
    with pytest.raises(SpecError, match=(
            f"^{changed}: /components/schemas/NotFoundResponse differs from the component of the "
            f"same name in {SPEC_PATH}$")):
        load_specs((SPEC_PATH, changed))


def test_spec_repeats_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Config] = []
    monkeypatch.setitem(cli.COMMANDS, "run", lambda config, options: seen.append(config) or 0)
    monkeypatch.delenv("MOCKSERVER_SPEC", raising=False)
    assert cli.main(["run", "--spec", "a.yaml", "--spec", "b.yaml"]) == 0
    assert seen[0].specs == (Path("a.yaml"), Path("b.yaml"))


@pytest.mark.slow
def test_validate_checks_documents_together_and_names_the_file_of_each_finding(tmp_path: Path) -> None:
    document = seed()
    document["paths"]["/sessions/{session_id}"]["patch"]["parameters"][1]["example"] = "robot"
    broken = write(tmp_path / "broken.yaml", document)
    report = check_documents((broken, OTHERS), None)
    findings = {f.where: f.message for f in report.findings}
    assert findings[f"{broken}#/paths/~1sessions~1{{session_id}}/patch/parameters/1/example"] == (
        "must be one of 'agent', 'team', 'workflow' (got 'robot')")
    assert report.checked["operation"] == 9
    assert [where for where, message in findings.items() if "robot" in message] == [
        f"{broken}#/paths/~1sessions~1{{session_id}}/patch/parameters/1/example"]


@pytest.mark.slow
def test_validate_reports_documents_that_contradict_each_other(tmp_path: Path) -> None:
    copied = write(tmp_path / "copy.yaml", seed())
    findings = [(f.where, f.message) for f in check_documents((SPEC_PATH, copied), None).findings]
    assert (str(copied), f"/paths/~1sessions~1{{session_id}}/patch: PATCH /sessions/{{session_id}} is also "
            f"defined in {SPEC_PATH}") in findings


@pytest.mark.slow
def test_top_level_security_and_path_level_parameters_must_agree(tmp_path: Path) -> None:
    document = seed()
    document["security"] = [{"HTTPBearer": []}]
    del document["paths"]["/sessions/{session_id}"]
    secured = write(tmp_path / "secured.yaml", document)
    with pytest.raises(SpecError, match=f"^{secured}: /security differs from /security in {SPEC_PATH}"):
        load_specs((SPEC_PATH, secured))
    other = seed()
    item = other["paths"]["/sessions/{session_id}"]
    item["parameters"] = [{"name": "session_id", "in": "path", "required": True, "schema": {"type": "string"}}]
    del item["patch"]
    item["get"] = {"operationId": "read_it", "responses": {"200": {"description": "ok"}}}
    shared = write(tmp_path / "shared.yaml", other)
    with pytest.raises(SpecError, match=r"/paths/~1sessions~1\{session_id\}: path-level parameters differ"):
        load_specs((SPEC_PATH, shared))
