"""``engine.inference``: which operations make a collection, its item path, scope, item schema and
id, read from a document's paths alone; every other operation is answered statically."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.engine.inference import Collection, Route, id_property, infer_routes
from mockserver.engine.naming import id_guess
from tests.unit.inline_specs import answer, body, ref, spec_of

PET = {"type": "object", "required": ["id", "name"],
       "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
PETS = {"/pets": {"get": answer({"type": "array", "items": ref("Pet")}), "post": answer(ref("Pet"), "201")},
        "/pets/{petId}": {"get": answer(ref("Pet")), "put": answer(ref("Pet")), "patch": answer(ref("Pet")),
                          "delete": answer(status="204")}}


def routes(paths: dict[str, Any], schemas: dict[str, Any] | None = None, handled: set[str] = frozenset(),
           overrides: dict[str, str] | None = None) -> dict[str, Route]:
    return infer_routes(spec_of(paths, schemas or {"Pet": PET}), set(handled), overrides or {})


def verbs(found: dict[str, Route]) -> dict[str, str]:
    return {key: route.verb for key, route in found.items()}


def only_collection(found: dict[str, Route]) -> Collection:
    collections = {id(route.collection): route.collection for route in found.values() if route.collection}
    [collection] = collections.values()
    return collection


def test_a_path_ending_in_a_parameter_is_the_item_path_of_its_parent_collection() -> None:
    found = routes(PETS)
    assert verbs(found) == {"GET /pets": "list", "POST /pets": "create", "GET /pets/{petId}": "read",
                            "PUT /pets/{petId}": "replace", "PATCH /pets/{petId}": "update",
                            "DELETE /pets/{petId}": "remove"}
    collection = only_collection(found)
    assert (collection.path, collection.item_path, collection.id_parameter, collection.scope_parameters) == (
        "/pets", "/pets/{petId}", "petId", ())
    assert all(route.collection is collection for route in found.values())


def test_operations_are_keyed_by_their_operation_id_where_they_have_one() -> None:
    paths = {"/pets": {"get": {**answer(ref("Pet")), "operationId": "listPets"}},
             "/pets/{petId}": {"get": {**answer(ref("Pet")), "operationId": "showPet"}}}
    assert verbs(routes(paths)) == {"listPets": "list", "showPet": "read"}


def test_a_literal_path_beside_the_item_path_is_answered_statically() -> None:
    found = routes({**PETS, "/pets/count": {"get": answer({"type": "integer"})}})
    assert found["GET /pets/count"].verb == "static" and found["GET /pets/count"].collection is None
    assert only_collection(found).item_path == "/pets/{petId}"


def test_an_item_path_without_its_parent_path_is_answered_statically() -> None:
    found = routes({"/pets/{petId}": PETS["/pets/{petId}"]})
    assert set(verbs(found).values()) == {"static"}


def test_a_parent_that_neither_lists_nor_creates_makes_no_collection() -> None:
    found = routes({"/pets": {"put": answer(ref("Pet"))}, "/pets/{petId}": {"get": answer(ref("Pet"))}})
    assert verbs(found) == {"PUT /pets": "static", "GET /pets/{petId}": "static"}


def test_an_item_path_with_no_item_verb_makes_no_collection() -> None:
    found = routes({"/pets": PETS["/pets"], "/pets/{petId}": {"post": answer(ref("Pet"))}})
    assert set(verbs(found).values()) == {"static"}


def test_a_collection_of_one_list_and_one_read_is_a_collection() -> None:
    found = routes({"/pets": {"get": PETS["/pets"]["get"]}, "/pets/{petId}": {"delete": answer(status="204")}})
    assert verbs(found) == {"GET /pets": "list", "DELETE /pets/{petId}": "remove"}


def test_a_nested_collection_is_scoped_by_its_parents_path_parameters() -> None:
    owner = {"type": "object", "properties": {"ownerId": {"type": "string"}}}
    paths = {"/owners": {"post": answer(ref("Owner"), "201")}, "/owners/{ownerId}": {"get": answer(ref("Owner"))},
             "/owners/{ownerId}/pets": PETS["/pets"], "/owners/{ownerId}/pets/{petId}": PETS["/pets/{petId}"]}
    found = routes(paths, {"Pet": PET, "Owner": owner})
    pets = found["GET /owners/{ownerId}/pets/{petId}"].collection
    owners = found["GET /owners/{ownerId}"].collection
    assert pets is not None and owners is not None
    assert (pets.path, pets.item_path, pets.scope_parameters) == (
        "/owners/{ownerId}/pets", "/owners/{ownerId}/pets/{petId}", ("ownerId",))
    assert (owners.path, owners.scope_parameters, owners.id_property) == ("/owners", (), "ownerId")


def test_operations_a_dedicated_handler_serves_get_no_route() -> None:
    paths = {"/pets": {"get": {**answer(ref("Pet")), "operationId": "listPets"},
                       "post": {**answer(ref("Pet"), "201"), "operationId": "createPet"}},
             "/pets/{petId}": {"get": {**answer(ref("Pet")), "operationId": "showPet"}}}
    assert verbs(routes(paths, handled={"listPets"})) == {"createPet": "create", "showPet": "read"}
    assert verbs(routes(paths, handled={"listPets", "createPet"})) == {"showPet": "static"}


@pytest.mark.parametrize(("parameter", "properties", "expected"), [
    ("petId", ["petId", "name"], "petId"),  # the parameter's own name
    ("petId", ["pet_id", "name"], "pet_id"),  # compared loosely
    ("pet-id", ["PetId", "name"], "PetId"),
    ("petName", ["id", "name"], "name"),  # the resource's name (singular or plural) before the property's
    ("petsCode", ["id", "code"], "code"),
    ("petId", ["id", "name"], "id"),
    ("petsId", ["Id", "name"], "Id"),
    ("key", ["id", "name"], "id"),  # any parameter: "id", then "uuid"
    ("key", ["uuid", "name"], "uuid"),
    ("petId", ["name"], "petId"),  # none fits: the parameter's name
])
def test_the_id_property_is_the_item_property_the_path_parameter_names(
        parameter: str, properties: list[str], expected: str) -> None:
    assert id_property(parameter, "/pets", {name: {} for name in properties}) == expected


def test_the_id_property_is_guessed_from_the_item_schema() -> None:
    pet = {"type": "object", "properties": {"pet_id": {"type": "string", "format": "uuid"}, "id": {}}}
    collection = only_collection(routes(PETS, {"Pet": pet}))
    assert (collection.id_property, collection.id_schema) == ("pet_id", {"type": "string", "format": "uuid"})


def test_an_id_override_names_the_id_property_instead_of_the_guess() -> None:
    collection = only_collection(routes(PETS, overrides={"/pets": "name"}))
    assert (collection.id_parameter, collection.id_property, collection.id_schema) == (
        "petId", "name", {"type": "string"})


def test_an_id_property_the_item_lacks_is_typed_by_the_path_parameter() -> None:
    item = {"/pets/{petId}": {"parameters": [{"name": "petId", "in": "path", "required": True,
                                              "schema": {"type": "integer", "minimum": 1}}],
                              "get": answer({"type": "object", "properties": {"name": {"type": "string"}}})}}
    collection = only_collection(routes({"/pets": {"get": answer({"type": "array"})}, **item}))
    assert (collection.id_property, collection.id_schema) == ("petId", {"type": "integer", "minimum": 1})


def test_the_item_schema_is_the_items_read_answer_first() -> None:
    paths = {"/pets": {"post": {**answer({"type": "object"}, "201"), **body({"type": "object"})}},
             "/pets/{petId}": {"get": answer(ref("Pet")), "put": answer({"type": "object"})}}
    assert only_collection(routes(paths)).item_schema == (
        "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema")


def test_a_referenced_response_gives_the_item_schema_at_its_component() -> None:
    paths = {"/pets": PETS["/pets"], "/pets/{petId}": {"get": {"responses": {"200": {"$ref": "#/components/responses/Pet"}}}}}
    found = infer_routes(spec_of(paths, {"Pet": PET}, responses={"Pet": {
        "description": "a pet", "content": {"application/json": {"schema": ref("Pet")}}}}), set(), {})
    assert only_collection(found).item_schema == "/components/responses/Pet/content/application~1json/schema"


def test_an_array_answer_is_never_the_item_schema() -> None:
    paths = {"/pets": {"post": answer(ref("Pet"), "201")},
             "/pets/{petId}": {"get": answer({"type": "array", "items": ref("Pet")})}}
    assert only_collection(routes(paths)).item_schema == "/paths/~1pets/post/responses/201/content/application~1json/schema"


def test_without_an_item_answer_the_item_schema_is_the_create_body() -> None:
    paths = {"/pets": {"post": {**answer(status="201"), **body(ref("Pet"))}},
             "/pets/{petId}": {"delete": answer(status="204")}}
    collection = only_collection(routes(paths))
    assert collection.item_schema == "/paths/~1pets/post/requestBody/content/application~1json/schema"
    assert (collection.id_property, collection.id_schema) == ("id", {"type": "integer"})


def test_a_collection_without_any_schema_has_none_and_keeps_the_parameters_name() -> None:
    paths = {"/pets": {"post": answer(status="201")}, "/pets/{petId}": {"delete": answer(status="204")}}
    collection = only_collection(routes(paths))
    assert (collection.item_schema, collection.id_property, collection.id_schema) == (None, "petId", {"type": "string"})


def test_a_path_suffix_pairs_the_collection_with_its_item_path() -> None:
    paths = {"/Queues.json": PETS["/pets"], "/Queues/{Sid}.json": PETS["/pets/{petId}"]}
    collection = only_collection(routes(paths))
    assert (collection.path, collection.item_path, collection.id_parameter) == (
        "/Queues.json", "/Queues/{Sid}.json", "Sid")
    assert set(verbs(routes(paths)).values()) == {"list", "create", "read", "replace", "update", "remove"}


def test_a_post_on_the_item_path_that_answers_the_item_and_sends_its_fields_is_an_update() -> None:
    paths = {"/pets": PETS["/pets"], "/pets/{petId}": {
        "get": answer(ref("Pet")), "post": {**answer(ref("Pet")), **body({"properties": {"Name": {}}})}}}
    assert routes(paths)["POST /pets/{petId}"].verb == "update"


@pytest.mark.parametrize("post", [
    answer({"type": "object", "properties": {"restored": {"type": "boolean"}}}),  # another answer
    {**answer(ref("Pet")), **body({"properties": {"reason": {}, "notify": {}}})},  # fields the item lacks
])
def test_a_post_on_the_item_path_that_is_no_update_is_answered_statically(post: dict[str, Any]) -> None:
    paths = {"/pets": PETS["/pets"], "/pets/{petId}": {"get": answer(ref("Pet")), "post": post}}
    assert routes(paths)["POST /pets/{petId}"].verb == "static"


def data(schema: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"data": schema}}


def test_items_wrapped_in_data_are_read_out_of_their_envelope_and_their_gid_is_the_id() -> None:
    project = {"type": "object", "properties": {"gid": {"type": "string"}, "name": {"type": "string"}}}
    paths = {"/projects": {"get": answer(data({"type": "array", "items": ref("Project")})),
                           "post": {**answer(data(ref("Project")), "201"), **body(data(ref("Project")))}},
             "/projects/{project_gid}": {"get": answer(data(ref("Project"))),
                                         "delete": answer(data({"type": "object"}))}}
    found = routes(paths, {"Project": project})
    collection = only_collection(found)
    assert (collection.id_property, collection.envelope, collection.item_schema) == (
        "gid", "data", "/paths/~1projects~1{project_gid}/get/responses/200/content/application~1json/schema"
                       "/properties/data")
    assert (found["POST /projects"].body_key, found["POST /projects"].answer_key) == ("data", "data")
    assert "id 'gid': the path parameter {project_gid} names it after projects" in collection.describe()


def test_an_item_with_a_data_field_beside_its_own_fields_is_no_envelope() -> None:
    event = {"type": "object", "properties": {"id": {"type": "string"}, "data": {"type": "object"}}}
    collection = only_collection(routes({"/events": {"get": answer({"type": "array", "items": ref("Event")})},
                                         "/events/{eventId}": {"get": answer(ref("Event"))}}, {"Event": event}))
    assert (collection.envelope, collection.id_property) == (None, "id")


@pytest.mark.parametrize(("parameter", "path", "properties", "expected"), [
    ("Sid", "/Queues.json", ["sid", "friendly_name"], ("sid", "the path parameter {Sid} names it")),
    ("project_gid", "/projects", ["gid", "name"], ("gid", "the path parameter {project_gid} names it after projects")),
    ("QueueSid", "/Members.json", ["sid", "queue_sid_x"], ("sid", "the path parameter {QueueSid} ends in it")),
    ("key", "/things", ["gid", "name"], ("gid", "the item schema's own id property")),
    ("key", "/things", ["name"], ("key", "no item property fits the path parameter {key}: its name is used")),
])
def test_each_id_guess_says_why(parameter: str, path: str, properties: list[str], expected: tuple[str, str]) -> None:
    assert id_guess(parameter, path, {name: {} for name in properties}) == expected


TAG_NAME = {"type": "string", "maxLength": 255, "pattern": "^[a-zA-Z0-9_\\-\\:]+$"}


@pytest.mark.parametrize(("properties", "parameter_schema", "expected"), [
    # DigitalOcean: /v2/tags/{tag_id} reads a tag by its name, constrained as the parameter is
    ({"name": {**TAG_NAME, "description": "The name of the tag."}, "resources": {"type": "object"}}, TAG_NAME,
     ("name", "the path parameter {tag_id} is constrained as it is")),
    # the same length alone tells no text from another
    ({"name": {"type": "string", "maxLength": 255}}, {"type": "string", "maxLength": 255},
     ("tag_id", "no item property fits the path parameter {tag_id}: its name is used")),
    # two properties constrained alike: neither is guessed
    ({"name": TAG_NAME, "label": TAG_NAME}, TAG_NAME,
     ("tag_id", "no item property fits the path parameter {tag_id}: its name is used")),
])
def test_a_parameter_named_after_no_property_takes_the_one_constrained_as_it_is(
        properties: dict[str, Any], parameter_schema: dict[str, Any], expected: tuple[str, str]) -> None:
    assert id_guess("tag_id", "/v2/tags", properties, parameter_schema) == expected


def test_a_fixture_override_is_the_reason_for_the_id() -> None:
    collection = only_collection(routes(PETS, overrides={"/pets": "name"}))
    assert "id 'name': named by the fixture file's id_property" in collection.describe()


def test_the_id_of_an_item_of_several_kinds_is_the_property_every_kind_has() -> None:
    kinds = {"Goal": {"type": "object", "properties": {"gid": {"type": "string"}, "goal": {}}},
             "Team": {"type": "object", "properties": {"gid": {"type": "string"}, "team": {}}},
             "Membership": {"anyOf": [ref("Goal"), ref("Team")]}}
    collection = only_collection(routes({"/memberships": {"get": answer({"type": "array"})},
                                         "/memberships/{membership_gid}": {"get": answer(ref("Membership"))}},
                                        kinds))
    assert (collection.id_property, collection.id_schema) == ("gid", {"type": "string"})
