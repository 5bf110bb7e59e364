"""The pieces of the lifecycle checks: the targets inferred, the bodies sent, the changes made, the
curl lines and multipart bodies, the envelope fields read."""

from __future__ import annotations

import shlex
from typing import Any

from mockserver.contract.command import known_parameters
from mockserver.contract.lifecycle.data import binary, change, item_body, kind_read, reads_as_sent, writable
from mockserver.contract.lifecycle.http import curl_line, multipart
from mockserver.contract.lifecycle.pages import declared
from mockserver.contract.lifecycle.targets import targets
from mockserver.core.spec_loading import load_spec
from mockserver.engine import paging
from tests.conftest import ROOT

PETSTORE = ROOT / "tests" / "data" / "specs" / "petstore.yaml"
MUSEUM = ROOT / "tests" / "data" / "specs" / "real-world" / "redocly-museum.yaml"
DOCUMENT: dict[str, Any] = {"components": {"schemas": {"User": {
    "type": "object", "required": ["id", "name"],
    "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string", "maxLength": 8}}}}}}
ITEM = {"type": "object", "required": ["name"], "properties": {
    "id": {"type": "integer", "readOnly": True}, "name": {"type": "string"},
    "status": {"type": "string", "enum": ["open", "closed"]}, "done": {"type": "boolean"},
    "owner": {"$ref": "#/components/schemas/User"}, "file": {"anyOf": [{"type": "string", "format": "binary"},
                                                                        {"type": "null"}]}}}


def test_targets_are_the_engines_collections_with_every_verb() -> None:
    [pets] = targets(load_spec(PETSTORE), "http://127.0.0.1:1", {})
    assert pets.name == "/pets" and pets.collection.id_property == "id"
    assert set(pets.routes) == {"list", "create", "read", "replace", "update", "remove"}
    assert pets.url("read", "7") == "http://127.0.0.1:1/pets/7"
    assert pets.media_type("update") == "application/merge-patch+json"


def test_a_target_url_carries_the_documents_base_path_unless_the_url_has_one() -> None:
    spec = load_spec(MUSEUM)
    [events] = targets(spec, "http://127.0.0.1:1", {})
    assert events.url("list") == "http://127.0.0.1:1/_mock/docs/openapi/museum-api/special-events"
    [given] = targets(spec, "http://127.0.0.1:1/api/", {})
    assert given.url("list") == "http://127.0.0.1:1/api/special-events"


def test_bodies_leave_out_read_only_fields_at_any_depth_and_differ_by_seed() -> None:
    body = item_body(DOCUMENT, ITEM, seed=3, number=2)
    assert "id" not in body and set(body["owner"]) == {"name"}
    assert "id" not in body["owner"] and len(body["owner"]["name"]) <= 8
    assert body["name"] == "lc3-2-name" and body["status"] == "open"
    assert item_body(DOCUMENT, ITEM, seed=3, number=2) == body
    assert item_body(DOCUMENT, ITEM, seed=4, number=2)["name"] != body["name"]


def test_a_required_name_no_property_declares_is_sent() -> None:
    assert item_body({}, {"type": "object", "required": ["name"], "properties": {"Name": {"type": "string"}}},
                     1, 1)["name"] == "lc1-1-name"


def test_a_read_shows_what_was_sent_with_server_set_fields_aside_at_any_depth() -> None:
    owner = ITEM["properties"]["owner"]
    assert reads_as_sent(DOCUMENT, owner, {"id": 3, "name": "Ann"}, {"name": "Ann"})
    assert reads_as_sent(DOCUMENT, {"type": "array", "items": owner}, [{"id": 3, "name": "Ann"}], [{"name": "Ann"}])
    assert not reads_as_sent(DOCUMENT, owner, {"id": 3, "name": "Bob"}, {"name": "Ann"})
    assert not reads_as_sent(DOCUMENT, {"type": "array", "items": owner}, [], [{"name": "Ann"}])


def test_a_field_sent_as_one_kind_and_read_as_another_is_told_apart() -> None:
    document = {"components": {"schemas": {"WorkspaceCompact": {"type": "object", "properties": {
        "gid": {"type": "string"}}}}}}
    workspace = {"allOf": [{"$ref": "#/components/schemas/WorkspaceCompact"}, {"type": "object"}]}
    assert kind_read(document, workspace, "167589") == "object"  # Asana: sent as a gid, read as an object
    assert kind_read(document, workspace, {"gid": "167589"}) is None
    assert kind_read(document, {"type": "number"}, 3) is None and kind_read(document, {}, "any") is None
    assert kind_read(document, {"type": ["string", "null"]}, 3) == "string or null"


def test_writable_keeps_what_a_client_may_send() -> None:
    assert writable(DOCUMENT, {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
                    [{"id": 1, "name": "a"}]) == [{"name": "a"}]


def test_a_change_prefers_free_text_then_another_enum_value() -> None:
    assert change(DOCUMENT, ITEM, {"name": "x"}, {"id"}, 5) == ("name", "lc5-changed-name")
    assert change(DOCUMENT, ITEM, {"status": "open"}, {"name"}, 5) == ("status", "closed")
    assert change(DOCUMENT, {"type": "object", "properties": {"id": {"type": "string"}}}, {}, {"id"}, 1) is None


def test_optional_files_are_binary() -> None:
    assert binary(DOCUMENT, ITEM["properties"]["file"]) and not binary(DOCUMENT, {"type": "string"})


def test_curl_lines_quote_what_they_send() -> None:
    line = curl_line("POST", "http://h/pets?a=1&b=2", {"Content-Type": "application/json"}, b'{"name": "it\'s"}')
    assert shlex.split(line) == ["curl", "-sS", "-X", "POST", "http://h/pets?a=1&b=2", "-H",
                                 "Content-Type: application/json", "--data-raw", '{"name": "it\'s"}']


def test_multipart_bodies_send_files_with_a_filename() -> None:
    body = multipart({"name": "a", "file": "", "meta": {"k": 1}}, "B", frozenset({"file"})).decode()
    assert 'name="name"\r\n\r\na\r\n' in body and 'name="file"; filename="file.txt"' in body
    assert '{"k": 1}' in body and body.endswith("--B--\r\n")


def test_totals_and_next_pages_are_read_at_the_top_or_one_object_below() -> None:
    assert declared({"meta": {"total": 4}, "data": []}, paging.TOTAL) == 4
    assert declared({"count": 2, "items": []}, paging.TOTAL) == 2
    assert declared({"a": {"b": {"total": 1}}}, paging.TOTAL) is None
    assert declared({"nextPageToken": "2"}, paging.NEXT) == "2"


def test_pins_give_parameters_by_name_the_first_pin_first() -> None:
    class Pin:
        def __init__(self, kind: str) -> None:
            self.label = kind
            self.kind = kind

        def parameters(self) -> dict[str, str]:
            return {"path.session_id": f"{self.kind}-1", "query.type": self.kind}

    assert known_parameters([Pin("agent"), Pin("team")]) == {"session_id": "agent-1", "type": "agent"}


def test_a_check_that_cannot_follow_an_answer_is_an_error_and_the_run_goes_on(monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from mockserver import contract
    from mockserver.contract import lifecycle
    from mockserver.contract.lifecycle.outcome import ERROR, LifecycleReport

    def confused(steps: Any) -> None:
        steps.client.trail.append("curl -X GET http://h/pets")
        raise KeyError("items")

    monkeypatch.setitem(lifecycle.CHECKS, "create_then_read", confused)
    steps: Any = SimpleNamespace(client=SimpleNamespace(trail=[]), target=SimpleNamespace(name="/pets"))
    outcome = lifecycle._run_one(contract.LIFECYCLE_CHECKS[0], steps)
    assert outcome.result == ERROR and "KeyError" in outcome.sentence
    assert outcome.curls == ("curl -X GET http://h/pets",)
    report = LifecycleReport([outcome])
    assert not report.ok and list(report.lines())[-1].endswith("0 skipped, 1 errors")
