"""Documents written the way published real APIs write them (tests/data/specs/shapes, a few lines
each): security requirements naming several schemes, YAML integer response codes, literal ``@``
in paths, deepObject query parameters, undeclared methods, ids with their own schema."""

from __future__ import annotations

import asyncio
import io
import json
import re
from typing import Any

import pytest

from mockserver import cli
from mockserver.config import Config
from mockserver.core.spec_problems import short
from mockserver.errors import SpecError
from mockserver.server import build_mock
from mockserver.server.access_log import AccessLog
from tests.conftest import ROOT, shared_mock
from tests.inline_client import InlineClient

SHAPES = ROOT / "tests" / "data" / "specs" / "shapes"
KEY = "the-key"


def client_for(document: str, **settings: Any) -> InlineClient:
    return InlineClient(shared_mock(Config(specs=(SHAPES / document,), **settings)).app)


def test_an_and_security_requirement_accepts_the_right_bearer_token() -> None:
    client = client_for("and-security.yaml", security_key=KEY)
    assert client.get("/lists", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert client.get("/lists", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/lists").status_code == 401


@pytest.mark.parametrize("authorization", [f"Basic {KEY}", f"Bearer {KEY}x", f"Bearer {KEY[:-1]}",
                                           f"Bearer  {KEY} extra", KEY, ""])
def test_an_and_security_requirement_takes_no_near_miss_of_the_token(authorization: str) -> None:
    client = client_for("and-security.yaml", security_key=KEY)
    assert client.get("/lists", headers={"Authorization": authorization}).status_code == 401
    assert client.get(f"/lists?access_token={KEY}").status_code == 401  # only the header carries it


def test_yaml_integer_response_codes_are_served() -> None:
    client = client_for("integer-codes.yaml")
    response = client.get("/things")
    assert (response.status_code, response.json()) == (200, ["a", "b"])
    assert client.get("/things", headers={"Prefer": "code=404"}).status_code == 404
    assert cli.main(["validate", "--no-fixtures", str(SHAPES / "integer-codes.yaml")]) == 0


def test_a_literal_at_sign_in_a_path_is_routed() -> None:
    client = client_for("at-sign.yaml")
    assert client.get("/users/@me/lists").json() == ["mine"]
    assert client.get("/users/%40me/lists").json() == ["mine"]
    assert client.get("/users/ann/lists").json() == ["theirs"]


def test_an_undeclared_method_is_a_405_with_allow() -> None:
    client = client_for("methods.yaml")
    for method, path, allowed in [("TRACE", "/pet", "POST, PUT"), ("GET", "/pet", "POST, PUT"),
                                  ("TRACE", "/pet/findByStatus", "GET"), ("TRACE", "/pet/1", "DELETE, GET")]:
        response = client.request(method, path)
        assert (response.status_code, response.headers.get("allow")) == (405, allowed), (method, path)
        assert f"Method {method} is not allowed on {path}" in response.json()["detail"]


def test_the_access_log_names_the_base_path_once() -> None:
    stream = io.StringIO()
    log = AccessLog(stream=stream)
    mock = build_mock(Config(specs=(SHAPES / "base-path.yaml",)), access_log=log)
    with InlineClient(mock.app) as client:
        assert client.get("/2.0/webhooks?x=1").json() == ["hook"]
        assert client.get("/2.0/nothing").status_code == 404
    log.flush()
    lines = [line.split(" - ", 1)[1] for line in stream.getvalue().splitlines()]
    assert lines == ['"GET /2.0/webhooks?x=1 HTTP/1.1" 200 OK', '"GET /2.0/nothing HTTP/1.1" 404 Not Found']


def test_deep_object_query_parameters_are_parsed_not_a_500() -> None:
    client = InlineClient(shared_mock(Config(specs=(SHAPES / "deep-object.yaml",))).app, raise_server_exceptions=False)
    for query in ("filter[createdAt][from]=2024-01-01T00:00:00Z&filter[isTest]=false", "filter[limit]=7",
                  "filter[status]=QUEUED", "filter[status]=QUEUED&filter[status]=COMPLETED",
                  "filter[status]=QUEUED,COMPLETED", "filter[createdAt][period]=7d&filter[other]=1"):
        response = client.get(f"/runs?{query}")
        assert (response.status_code, response.json()) == (200, ["run"]), query
    for query, detail in [
        ("filter[isTest]=maybe", "field 'isTest' of query parameter 'filter' must be of type boolean (got string)"),
        ("filter[limit]=700", "700 is greater than the maximum of 100"),
        ("filter[status]=NOPE", "query parameter 'filter' must be one of 'QUEUED', 'COMPLETED' (got 'NOPE')"),
        ("filter[isTest][a]=1", "field 'isTest' of query parameter 'filter' must be of type boolean (got object)"),
        ("filter[createdAt]=x", "field 'createdAt' of query parameter 'filter' must be of type object"),
    ]:
        response = client.get(f"/runs?{query}")
        assert response.status_code == 422 and detail in response.json()["detail"], (query, response.text)


def test_a_duplicate_required_name_is_a_located_warning_not_a_refusal() -> None:
    document = SHAPES / "spec-defects.yaml"
    mock = build_mock(Config(specs=(document,)))
    assert mock.spec_warnings == (
        f"{document}: /components/schemas/Note/properties/image/required: must be of type array (got boolean)",
        f"{document}: /components/schemas/Note/required: ['id', 'text', 'id'] has non-unique elements",
    )
    with InlineClient(mock.app) as client:
        assert client.get("/notes").json() == [{"id": "1", "text": "hi"}]
    with pytest.raises(SpecError) as refused:
        build_mock(Config(specs=(document,), strict_spec=True))
    assert str(refused.value) == (f"{document}: /components/schemas/Note/properties/image/required: must be of "
                                  "type array (got boolean)")


def test_a_long_value_in_a_spec_problem_is_elided() -> None:
    line = short(f"'{'A' * 1200}' is not valid under any of the given schemas\nmore")
    assert len(line) < 100 and line.endswith("is not valid under any of the given schemas") and "…" in line


def test_assigned_ids_fit_the_id_schema() -> None:
    mock = shared_mock(Config(specs=(SHAPES / "ids.yaml",)))
    client = InlineClient(mock.app)
    expected = {"/boards": ("id", ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"]),
                "/Accounts": ("sid", ["AC" + "1".rjust(32, "0"), "AC" + "2".rjust(32, "0")]),
                "/codes": ("code", ["AAA-0001", "AAA-0002"])}
    for path, (name, ids) in expected.items():
        for item_id in ids:
            created = client.post(path, json={"name": "x"})
            assert (created.status_code, created.json()[name]) == (201, item_id), created.text
            read = client.get(created.headers["location"])
            assert (read.status_code, read.json()) == (200, {"name": "x", name: item_id}), read.text
    asyncio.run(mock.reset())
    assert client.post("/boards", json={}).json()["id"] == expected["/boards"][1][0]  # the same in every run


@pytest.mark.slow  # Hypothesis builds a strategy and draws (about 10 s)
def test_generated_values_are_readable() -> None:
    client = client_for("values.yaml")
    static = client.get("/reports").json()
    assert static["url"].startswith("https://") and re.fullmatch(r"RP\d{6}", static["reports"][0]["id"])
    for _ in range(8):
        drawn = client.get("/reports", headers={"Prefer": "dynamic=true"}).json()
        assert 0 <= drawn["pageSize"] <= 100 and 10 <= drawn["count"] <= 110
        assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,15}", key) for key in drawn["labels"])
        assert drawn["url"].startswith("https://")
        assert all(re.fullmatch(r"RP\d{6}", report["id"]) for report in drawn["reports"])
        text = json.dumps(drawn, ensure_ascii=False)
        assert not re.search("[\ud800-\udfff]", text), text
        text.encode("utf-8")  # no lone surrogate: UTF-8 carries every character


@pytest.mark.slow  # Hypothesis builds strategies and draws
def test_drawn_objects_of_an_all_of_get_readable_names() -> None:
    # Narrowed closed (no names beside declared ones), FileBase refuses File's other part's names:
    # no value. Narrowed open, names look like names and the document's own are all there.
    client = client_for("values.yaml")
    for _ in range(4):
        drawn = client.get("/file", headers={"Prefer": "dynamic=true"}).json()
        assert {"id", "type", "is_accessible_via_shared_link", "sequence_id"} <= set(drawn), drawn
        assert all(re.fullmatch(r"[A-Za-z_$@][A-Za-z0-9_.$@-]{0,63}", key) for key in names(drawn)), drawn
        json.dumps(drawn, ensure_ascii=False).encode("utf-8")  # no lone surrogate


def names(value: Any) -> list[str]:
    """Every member name in ``value``, at any depth."""
    if isinstance(value, list):
        return [name for item in value for name in names(item)]
    if isinstance(value, dict):
        return [*value, *(name for item in value.values() for name in names(item))]
    return []
