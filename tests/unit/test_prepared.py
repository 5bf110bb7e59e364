"""What a process prepares once (Connexion's view of a document, a schema's meta-schema errors,
a data file's content) is the same each time, and each user gets its own copy."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from connexion.json_schema import resolve_refs as connexion_resolve_refs

from mockserver.core.combined import load_specs
from mockserver.core.data_files import json_copy, read_data_file
from mockserver.core.spec_loading import load_spec
from mockserver.core.spec_problems import openapi_problems
from mockserver.errors import FixtureError
from mockserver.server.connexion_adapter.app import CachedOpenAPI31Specification
from mockserver.server.connexion_adapter.prepared import resolve_refs
from tests.conftest import ROOT, SESSION_SPECS


def test_json_copy_is_a_deep_copy_that_keeps_shared_nodes_shared() -> None:
    shared = {"type": "string", "enum": ["a", "b"]}
    document = {"a": shared, "b": [shared, {"c": None, "d": 1.5, "e": True}], "f": shared}
    copied = json_copy(document)
    assert copied == document == copy.deepcopy(document)
    assert copied["a"] is copied["f"] is copied["b"][0] and copied["a"] is not shared
    copied["a"]["enum"].append("z")
    assert shared["enum"] == ["a", "b"]


def test_the_same_loaded_documents_combine_into_the_same_spec() -> None:
    assert load_specs(SESSION_SPECS).combined is load_specs(SESSION_SPECS).combined


def test_what_connexion_changes_in_one_apps_specification_no_other_app_sees() -> None:
    spec = load_specs(SESSION_SPECS).combined
    first = CachedOpenAPI31Specification.of(spec, {})
    pristine = copy.deepcopy(first.raw), copy.deepcopy(first.spec)
    first.base_path = "/changed"  # Connexion's setter rewrites both documents' servers
    first.spec["components"]["schemas"].clear()
    second = CachedOpenAPI31Specification.of(spec, {})
    assert (second.raw, second.spec) == pristine
    assert second.spec == CachedOpenAPI31Specification(json_copy(dict(spec.raw)), base_uri=second._base_uri).spec


def test_a_schema_defect_met_again_is_reported_at_each_place_it_is() -> None:
    defective = {"type": "object", "required": ["a", "a"]}
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {"First": dict(defective), "Second": dict(defective)}}}
    problems = list(openapi_problems(document))
    assert [where for where, _ in problems] == ["/components/schemas/First/required",
                                                "/components/schemas/Second/required"]
    assert problems[0][1] == problems[1][1] and "non-unique" in problems[0][1]
    assert list(openapi_problems(document)) == problems


def test_a_data_file_read_again_is_parsed_once_and_each_reader_gets_its_own_copy(tmp_path: Path) -> None:
    path = tmp_path / "items.yaml"
    path.write_text("items: &one [{id: 1}]\nagain: *one\n")
    first = read_data_file(path, FixtureError, "fixture file")
    first["items"][0]["id"] = 2
    second = read_data_file(path, FixtureError, "fixture file")
    assert second == {"items": [{"id": 1}], "again": [{"id": 1}]} and second["items"] is second["again"]
    path.write_text("items: []\n")
    assert read_data_file(path, FixtureError, "fixture file") == {"items": []}


def _same(ours: Any, theirs: Any, met: set[tuple[int, int]]) -> bool:
    """Equality of two JSON-like graphs that may contain themselves (a resolved recursive schema)."""
    if isinstance(ours, (dict, list)) and type(ours) is type(theirs):
        if (id(ours), id(theirs)) in met:
            return True
        met.add((id(ours), id(theirs)))
        if isinstance(ours, dict):
            return ours.keys() == theirs.keys() and all(_same(ours[k], theirs[k], met) for k in ours)
        return len(ours) == len(theirs) and all(_same(a, b, met) for a, b in zip(ours, theirs, strict=True))
    return type(ours) is type(theirs) and bool(ours == theirs)


@pytest.mark.slow  # loads every document of the suite (the whole AgentOS among them)
def test_refs_are_resolved_as_connexion_resolves_them_in_every_document_of_the_suite() -> None:
    documents = [*sorted((ROOT / "tests" / "data" / "specs").rglob("*.yaml")), *sorted((ROOT / "openapi").glob("*.yaml"))]
    assert len(documents) > 25
    # Connexion's resolve_refs fails on a $ref to a list (ValueError in dict.update); ours serves it
    # (tests/integration/test_corpus_shapes.py), so there is nothing of Connexion's to compare with.
    cannot = [path for path in documents if path.name == "ref-to-a-list.yaml"]
    assert len(cannot) == 1
    for path in (path for path in documents if path not in cannot):
        raw = json_copy(dict(load_spec(path, strict=False).raw))
        theirs = connexion_resolve_refs(json_copy(raw), base_uri=f"{path.resolve().parent}/")
        assert _same(resolve_refs(raw), theirs, set()), path


def test_a_property_named_ref_is_a_property_not_a_reference() -> None:
    # cloud-elements.com's ecwid document: swagger's own schema, with a property named "$ref"
    document = {"components": {"schemas": {"Ref": {"type": "object", "properties": {
        "$ref": {"type": "string", "x-samplevalue": "#/definitions/Contact"}, "to": {"$ref": "#/components/schemas/To"}}},
        "To": {"type": "integer"}}}}
    resolved = resolve_refs(document)
    properties = resolved["components"]["schemas"]["Ref"]["properties"]
    assert properties["$ref"] == {"type": "string", "x-samplevalue": "#/definitions/Contact"}
    assert properties["to"] == {"type": "integer"}
