"""What a document writes under ``paths`` that no server can route is left out with a warning
naming it, the rest served: found on published documents (the APIs-guru directory) where the mock
ended in a traceback."""

from __future__ import annotations

from pathlib import Path

from mockserver.config import Config
from mockserver.core.served_paths import served_paths
from mockserver.core.spec_loading import load_spec
from mockserver.core.spec_problems import openapi_problems
from mockserver.server.app import build_mock
from tests.inline_client import InlineClient

DOCUMENT = """openapi: 3.0.3
info: {title: paths no server can route, version: "1"}
servers: [{url: Your API URL}]
paths:
  x-codegen-contextRoot: /apis/registry
  /pets:
    get: {responses: {'200': {description: pets, content: {application/json: {schema: {type: array}}}}}}
  pets/{id}:
    get: {responses: {'200': {description: one}}}
  /a/{location}/b/{location}:
    parameters: [{name: location, in: path, required: true, schema: {type: string}}]
    get: {responses: {'200': {description: twice}}}
"""


def test_extensions_are_no_paths_and_other_keys_are_left_out_naming_why() -> None:
    document = {"paths": {"x-root": "/r", "/ok": {}, "no-slash": {}, "/a/{x}/{x}": {}, "/not-an-item": "text"}}
    kept, left_out = served_paths(document)
    assert list(kept["paths"]) == ["/ok"]
    assert left_out == [("no-slash", "a path starts with '/'"), ("/a/{x}/{x}", "the path names {x} more than once"),
                        ("/not-an-item", "a path item is a mapping")]
    untouched = {"paths": {"/ok": {}}}
    assert served_paths(untouched) == (untouched, [])


def test_such_a_document_is_served_from_a_relative_server_url_and_warned_of(tmp_path: Path) -> None:
    path = tmp_path / "paths.yaml"
    path.write_text(DOCUMENT)
    spec = load_spec(path, strict=False)
    assert spec.base_path == "/Your API URL"  # relative to where the document is served: "/"
    assert [w.split(": ", 2)[1:] for w in spec.warnings if "not served" in w] == [
        ["/paths/pets~1{id}", "not served: a path starts with '/'"],
        ["/paths/~1a~1{location}~1b~1{location}", "not served: the path names {location} more than once"]]
    client = InlineClient(build_mock(Config(specs=(path,), require_credentials=False)).app)
    assert client.get("/Your API URL/pets").status_code == 200


def test_an_extension_under_paths_does_not_stop_the_validator(tmp_path: Path) -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"x-codegen-contextRoot": "/r", "/ok": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    assert list(openapi_problems(document)) == []
