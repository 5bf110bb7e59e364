"""AgentOS's session handlers serve only AgentOS's session operations, recognised by method, path
and schemas: another API's operations that reuse its operationIds (``create_session`` on
``POST /login/sessions``, ``update_session`` over a shop's own schemas) are the engine's, start,
validate and keep their contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.agentos.handlers import SESSION_HANDLERS
from mockserver.agentos.operations import session_operations
from mockserver.config import Config
from mockserver.contract.runner import run_contract
from mockserver.core.specs import load_specs
from mockserver.server import build_mock, serve_in_thread
from mockserver.validate.checks import check_documents
from tests.conftest import SPECS

COLLISIONS = sorted((Path(__file__).parent.parent / "data" / "specs" / "collisions").glob("*.yaml"))


def test_every_collision_document_reuses_agentos_operation_ids() -> None:
    assert len(COLLISIONS) >= 5
    for document in COLLISIONS:
        ids = {operation.operation_id for operation in load_specs([document]).combined.operations()}
        assert ids & set(SESSION_HANDLERS), document.name


def test_the_bundled_documents_keep_every_session_handler() -> None:
    claimed = {operation.operation_id for operation in session_operations(load_specs(SPECS).combined)}
    assert claimed == set(SESSION_HANDLERS)


@pytest.mark.parametrize("document", COLLISIONS, ids=lambda path: path.stem)
def test_an_agentos_operation_id_on_another_api_is_served_by_the_engine(document: Path) -> None:
    spec = load_specs([document]).combined
    assert list(session_operations(spec)) == []
    mock = build_mock(Config(specs=(document,)))  # used to stop: "no schema .../AgentSessionDetailSchema"
    assert set(mock.engine.routes) == {operation.key for operation in spec.operations()}
    lines = [finding.message for finding in check_documents((document,), None).served]
    assert lines and not any("dedicated" in line for line in lines), lines


@pytest.mark.slow
@pytest.mark.parametrize("document", COLLISIONS, ids=lambda path: path.stem)
def test_schemathesis_finds_nothing_on_a_collision_document(document: Path) -> None:
    server = serve_in_thread(build_mock(Config(specs=(document,))).app)
    try:
        report = run_contract((document,), server.url, None, [], max_examples=25, seed=1)
    finally:
        server.stop()
    assert report.cases > 0
    assert report.ok, (report.errors, [(f.check, f.title, f.curl) for f in report.failures.values()])
