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
from mockserver.core.combined import load_specs
from mockserver.server import build_mock, serve_in_thread
from mockserver.validate.checks import check_documents
from tests.conftest import SPECS
from tests.inline_client import InlineClient

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
    from mockserver.contract.runner import run_contract  # Schemathesis: not for `make test-fast`

    server = serve_in_thread(build_mock(Config(specs=(document,))).app)
    try:
        report = run_contract((document,), server.url, None, [], max_examples=25, seed=1)
    finally:
        server.stop()
    assert report.cases > 0
    assert report.ok, (report.errors, [(f.check, f.title, f.curl) for f in report.failures.values()])


PETSTORE = Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml"
SERVED_AT = ""  # petstore.yaml has no servers: its paths are served as written


def test_another_api_has_no_profile_and_no_sessions_admin_endpoints() -> None:
    mock = build_mock(Config(specs=(PETSTORE,)))
    assert mock.profile is None and mock.chosen.why.startswith("none detected")
    client = InlineClient(mock.app)
    assert client.get("/__mockserver/sessions").status_code == 404
    assert client.put("/__mockserver/sessions/x", json={"type": "agent", "session_name": "x"}).status_code == 404
    assert client.post("/__mockserver/reset").json() == {"items": 0}
    assert client.get("/__mockserver/requests").status_code == 200


@pytest.mark.slow
def test_the_agentos_profile_is_detected_and_can_be_switched_off() -> None:
    detected = build_mock(Config(specs=SPECS))
    assert detected.chosen.profile is not None and detected.chosen.profile.name == "agentos"
    # 9 operations of sessions, 7 of runs (create, cancel, continue)
    assert detected.chosen.why == "detected: the documents define 16 of its operations"
    off = build_mock(Config(specs=SPECS, profile="none"))
    assert off.profile is None and off.chosen.claimed == frozenset()
    assert set(off.engine.routes) == {operation.key for operation in off.spec.operations()}
    client = InlineClient(off.app)
    assert client.get("/__mockserver/sessions").status_code == 404
    # The generic mock asks for the credentials the document names (AgentOS's own leniency is the profile's).
    assert client.post("/sessions", json={"session_name": "by the engine"}).status_code == 401
    created = client.post("/sessions", json={"session_name": "by the engine"}, headers={"Authorization": "Bearer t"})
    assert created.status_code in (200, 201), created.text


def test_an_unknown_profile_stops_start_up_naming_the_installed_ones() -> None:
    from mockserver.errors import ConfigError

    with pytest.raises(ConfigError, match=r"--profile: no profile 'agentos-9' \(installed: none, agentos\)"):
        build_mock(Config(specs=SPECS, profile="agentos-9"))


def test_the_banner_says_which_profile_and_why() -> None:
    from mockserver.server.banner import banner

    text = banner(build_mock(Config(specs=(PETSTORE,))), Config(specs=(PETSTORE,)), "http://127.0.0.1:1")
    assert "  profile   none (none detected: every operation is the engine's; --profile none|NAME to choose)" in text
    assert "/sessions" not in text


def test_the_admin_api_lists_puts_and_deletes_pets_of_any_api() -> None:
    client = InlineClient(build_mock(Config(specs=(PETSTORE,), require_credentials=False)).app)
    assert client.get("/__mockserver/collections").json() == [
        {"collection": "pets", "path": "/pets", "item_path": "/pets/{petId}", "id_property": "id",
         "scope_parameters": []}]
    rex = {"name": "Rex", "status": "available"}
    assert client.put("/__mockserver/collections/pets/items/7", json=rex).status_code == 201
    assert client.put("/__mockserver/collections/pets/items/7", json={**rex, "name": "Max"}).status_code == 200
    assert client.get("/__mockserver/collections/pets/items").json() == [{**rex, "name": "Max", "id": 7}]
    assert client.get(f"{SERVED_AT}/pets/7").json()["name"] == "Max"  # the API sees what the admin put
    refused = client.put("/__mockserver/collections/pets/items/8", json={"name": 3, "status": "available"})
    assert refused.status_code == 422 and "name" in refused.json()["detail"]
    assert client.delete("/__mockserver/collections/pets/items/7").status_code == 204
    assert client.delete("/__mockserver/collections/pets/items/7").status_code == 404
    assert client.get(f"{SERVED_AT}/pets/7").status_code == 404
    unknown = client.get("/__mockserver/collections/owls/items")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "No collection 'owls' (collections: pets)"
