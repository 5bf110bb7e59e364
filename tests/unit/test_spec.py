"""Spec loading: the bundled document is pinned, and bad documents stop start-up with a place."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from mockserver.core.pointers import pointer
from mockserver.core.spec_loading import load_spec
from mockserver.errors import SpecError
from tests.conftest import ROOT, SPEC_PATH

SPEC_SHA256 = "38c4ea23e1fe362e9e8eccb0c75cd83ac3c9ed244e1392cb565eaba6f1bfb62f"
SEED = ROOT / "tests" / "data" / "seed" / "update-session.md"  # Agno's docs page, copied unchanged
SEED_SHA256 = "1afc9b370188cfe20c681afd0b6071a9c9e298ee870b2514c4c7f632eba3b1d5"


def test_bundled_spec_is_pinned() -> None:
    assert hashlib.sha256(SPEC_PATH.read_bytes()).hexdigest() == SPEC_SHA256


def test_bundled_spec_is_the_seed_yaml_block_byte_for_byte() -> None:
    seed = SEED.read_bytes()
    assert hashlib.sha256(seed).hexdigest() == SEED_SHA256
    start = seed.index(b"\n", seed.index(b"````yaml patch /sessions/{session_id}")) + 1
    end = seed.index(b"\n````", start) + 1
    assert SPEC_PATH.read_bytes() == seed[start:end]


def test_bundled_spec_loads_as_openapi_31() -> None:
    spec = load_spec(SPEC_PATH)
    assert spec.raw["openapi"] == "3.1.0"
    [operation] = list(spec.operations())
    assert (operation.method, operation.path, operation.operation_id) == (
        "patch", "/sessions/{session_id}", "update_session")


def write_variant(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(SPEC_PATH.read_text())
    change(document)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_unparseable_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: 3.1.0\npaths:\n  /a: [unclosed\n")
    with pytest.raises(SpecError, match=r"broken\.yaml:\d+:\d+: not valid YAML"):
        load_spec(path)


def test_a_document_of_another_version_is_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, lambda d: d.update(openapi="2.0"))
    with pytest.raises(SpecError, match=r"serves OpenAPI 3\.0 and 3\.1 documents; this one has '2\.0'"):
        load_spec(path)


def test_a_30_document_is_read_in_2020_12_terms(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Name": {"type": "string", "nullable": True, "enum": ["a"]},
            "Age": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
            "Pet": {"type": "object", "properties": {"nullable": {"type": "boolean"}}}}}}))
    spec = load_spec(path)
    assert spec.component_schema("Name") == {"type": ["string", "null"], "enum": ["a", None]}
    assert spec.component_schema("Age") == {"type": "integer", "exclusiveMinimum": 0}
    assert spec.component_schema("Pet")["properties"] == {"nullable": {"type": "boolean"}}
    assert path.read_text().count("nullable: true") == 1  # the file itself is served unchanged


def test_an_invalid_document_names_the_json_pointer(tmp_path: Path) -> None:
    def bad_location(document: dict) -> None:
        document["paths"]["/sessions/{session_id}"]["patch"]["parameters"][0]["in"] = "body"

    path = write_variant(tmp_path, bad_location)
    expected = pointer("paths", "/sessions/{session_id}", "patch", "parameters", 0, "in")
    with pytest.raises(SpecError, match=f'spec.yaml: {expected}: "body" is not one of "query", "header" or 2 other candidates$'):
        load_spec(path)


@pytest.mark.slow
def test_an_unresolvable_reference_is_reported(tmp_path: Path) -> None:
    def dangling(document: dict) -> None:
        body = document["paths"]["/sessions/{session_id}"]["patch"]["requestBody"]
        body["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/Nope"

    expected = pointer("paths", "/sessions/{session_id}", "patch", "requestBody", "content",
                       "application/json", "schema", "$ref")
    message = f"{expected}: unresolvable reference '#/components/schemas/Nope'"
    with pytest.raises(SpecError, match=re.escape(message)):
        load_spec(write_variant(tmp_path, dangling))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read the OpenAPI document"):
        load_spec(tmp_path / "absent.yaml")


def test_pointer_escapes_slashes_and_tildes() -> None:
    assert pointer("paths", "/sessions/{id}", "a~b") == "/paths/~1sessions~1{id}/a~0b"


def test_a_document_text_is_parsed_and_validated_once_wherever_it_is_read_from(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mockserver.core import data_files, spec_checks

    text = (ROOT / "tests" / "data" / "specs" / "petstore.yaml").read_text(encoding="utf-8")
    text += f"# {tmp_path.name}\n"  # a text no other test loads
    validated, parsed = [], []
    monkeypatch.setattr(spec_checks, "openapi_problems", lambda document: validated.append(1) or iter(()))
    real_parse = data_files.parse_data
    monkeypatch.setattr(data_files, "parse_data", lambda *args: parsed.append(1) or real_parse(*args))
    copies = [tmp_path / "a" / "petstore.yaml", tmp_path / "b" / "pets.yaml"]
    for copy in copies:
        copy.parent.mkdir()
        copy.write_text(text, encoding="utf-8")
    specs = [load_spec(copy, strict=strict) for copy in copies for strict in (True, False)]
    assert (len(validated), len(parsed)) == (1, 1)
    assert all(spec.raw == specs[0].raw for spec in specs)
    specs[0].raw["info"]["title"] = "changed"  # each load has a document of its own
    assert specs[1].raw["info"]["title"] != "changed"


FLAWED = """openapi: 3.1.0
info: {title: a flawed document, version: "1"}
paths:
  /pets:
    get:
      responses:
        '200':
          description: pets
          content: {application/json: {schema: {type: object, properties: {name: {type: string, required: true}}}}}
"""


def test_a_document_checked_later_has_the_same_problems_found_when_asked(tmp_path: Path) -> None:
    document = tmp_path / "flawed.yaml"
    document.write_text(FLAWED)
    now = load_spec(document, strict=False)
    later = load_spec(document, strict=False, later=True)
    assert now.warnings and later.warnings == () and later.later is not None
    assert later.later() == now.warnings
    with pytest.raises(SpecError, match="required: must be of type array"):  # --strict-spec refuses now
        load_spec(document, strict=True, later=True)


@pytest.mark.parametrize(("text", "says"), [
    (FLAWED.replace("3.1.0", "2.0"), "mockserver serves OpenAPI 3.0 and 3.1 documents"),
    (FLAWED.replace("{type: object,", "{$ref: '#/components/schemas/Nope', type: object,"),
     "unresolvable reference '#/components/schemas/Nope'"),
])
def test_what_makes_serving_impossible_is_refused_at_once_even_when_checked_later(
        tmp_path: Path, text: str, says: str) -> None:
    document = tmp_path / "unservable.yaml"
    document.write_text(text)
    with pytest.raises(SpecError, match=re.escape(says)):
        load_spec(document, strict=False, later=True)
