"""A resources file (``mockserver contract --resources FILE``) corrects the inferred resources; a
file that says something the documents do not have stops the run, naming file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.contract.lifecycle.resources import ResourceMapping, read_resources
from mockserver.contract.lifecycle.targets import targets
from mockserver.core.spec_loading import load_spec
from mockserver.errors import UnusableInput

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "tests" / "data" / "specs" / "petstore.yaml"
SINGULAR = """openapi: 3.1.0
info: {title: pets read at a singular path, version: "1"}
paths:
  /pets:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses: {'201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
  /pet/{petId}:
    parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200': {description: one, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: no such pet}
    delete:
      responses: {'204': {description: gone}, '404': {description: no such pet}}
components:
  schemas:
    Pet: {type: object, properties: {key: {type: string, readOnly: true}, name: {type: string}}}
"""


def written(tmp_path: Path, text: str, name: str = "resources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_resources_file_reads_as_its_mappings(tmp_path: Path) -> None:
    path = written(tmp_path, "- collection: /pets\n  item_path: /pets/{petId}\n  id_property: id\n")
    assert read_resources(path) == (ResourceMapping("/pets", "/pets/{petId}", "id", f"{path}: [0]"),)


def test_fields_are_what_every_create_of_the_collection_sends(tmp_path: Path) -> None:
    path = written(tmp_path, "- {collection: /pets, fields: {owner: o1, age: 3}}\n")
    (mapping,) = read_resources(path)
    assert mapping.fields == {"owner": "o1", "age": 3}
    (target,) = targets(load_spec(PETSTORE), "http://127.0.0.1:1", {}, (mapping,))
    assert target.fields == {"owner": "o1", "age": 3}


@pytest.mark.parametrize(("text", "says"), [
    ("collection: /pets\n", "a resources file is a list of mappings"),
    ("- /pets\n", "[0]: an entry is a mapping"),
    ("- {collection: /pets, idproperty: id}\n", "[0].idproperty: unknown key"),
    ("- {item_path: '/pets/{id}'}\n", "[0].collection: must be a non-empty string (got None)"),
    ("- {collection: pets}\n", "[0].collection: a path starts with '/' (got 'pets')"),
    ("- {collection: /pets, id_property: 3}\n", "[0].id_property: must be a non-empty string (got 3)"),
    ("- {collection: /pets, fields: [owner]}\n", "[0].fields: must be a mapping of field names to values"),
])
def test_a_wrong_resources_file_is_refused_naming_file_entry_and_field(tmp_path: Path, text: str, says: str) -> None:
    path = written(tmp_path, text)
    with pytest.raises(UnusableInput) as refused:
        read_resources(path)
    assert str(refused.value).startswith(str(path)) and says in str(refused.value), refused.value


@pytest.mark.parametrize(("mapping", "says"), [
    (ResourceMapping("/owners", where="r.yaml: [0]"), "r.yaml: [0].collection: no path /owners in the documents"),
    (ResourceMapping("/pets", "/pets/{nope}", where="r.yaml: [0]"), "[0].item_path: no path /pets/{nope}"),
    (ResourceMapping("/pets/{petId}", where="r.yaml: [0]"), "[0].collection: /pets/{petId} is no collection"),
])
def test_a_mapping_naming_what_the_documents_lack_is_refused(mapping: ResourceMapping, says: str) -> None:
    with pytest.raises(UnusableInput) as refused:
        targets(load_spec(PETSTORE), "http://127.0.0.1:1", {}, [mapping])
    assert says in str(refused.value), refused.value


def test_an_item_path_the_inference_missed_makes_a_collection(tmp_path: Path) -> None:
    spec = load_spec(written(tmp_path, SINGULAR, "singular.yaml"))
    assert targets(spec, "http://127.0.0.1:1", {}) == []  # /pet/{petId} is not /pets'
    [target] = targets(spec, "http://127.0.0.1:1", {}, [ResourceMapping("/pets", "/pet/{petId}", "key")])
    assert (target.collection.path, target.collection.item_path, target.collection.id_property) == (
        "/pets", "/pet/{petId}", "key")
    assert set(target.routes) == {"create", "read", "remove"}


def test_an_id_property_names_the_id(tmp_path: Path) -> None:
    [guessed] = targets(load_spec(PETSTORE), "http://127.0.0.1:1", {})
    [named] = targets(load_spec(PETSTORE), "http://127.0.0.1:1", {}, [ResourceMapping("/pets", id_property="name")])
    assert (guessed.collection.id_property, named.collection.id_property) == ("id", "name")
