"""``engine.answers`` and ``engine.error_bodies``: static answers from a document's examples (else a value built from the
schema), and error bodies in the shape each operation documents for the status, else the mock's
own shape or RFC 9457 problem+json."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mockserver.core.spec import Spec
from mockserver.engine.answers import Body, StaticAnswers, documented_body
from mockserver.engine.error_bodies import PROBLEM_JSON, ErrorBodies
from mockserver.engine.fitting import Fitter
from mockserver.errors import (
    ApiError,
    BadRequest,
    ExpectationFailed,
    InvalidPathParameter,
    NotFound,
    ValidationFailed,
    error_body,
)
from tests.unit.inline_specs import JSON, answer, ref, spec_of

COUNTS = {"type": "object", "required": ["available"],
          "properties": {"available": {"type": "integer", "minimum": 0}, "sold": {"type": "integer"}}}


def static(media: dict[str, Any], schema: Any = COUNTS, status: str = "200") -> tuple[StaticAnswers, Body]:
    """The static answers of a document whose one operation answers ``status`` with ``media``."""
    spec = spec_of({"/inventory": {"get": {**answer(schema, status, **media), "operationId": "inventory"}}},
                   {"Counts": COUNTS}, examples={"Quiet": {"value": {"available": 0}}})
    [operation] = spec.operations()
    return StaticAnswers(spec, Fitter(spec), dynamic_timeout=2.0), documented_body(spec, operation, status)


def static_body(answers: StaticAnswers, body: Any, preferences: dict[str, str]) -> Any:
    """The answer's body (``StaticAnswers.body`` is a coroutine: a dynamic draw runs off the loop)."""
    return asyncio.run(answers.body("inventory", body, preferences))[0]


def test_a_built_answer_is_built_once_per_document_in_a_process_and_not_for_another() -> None:
    answers, body = static({}, schema={"type": "object", "properties": {"n": {"type": "integer"}}})
    built = static_body(answers, body, {})
    again = StaticAnswers(answers.spec, Fitter(answers.spec), dynamic_timeout=2.0)  # another mock's engine
    assert static_body(again, body, {}) is built
    other, other_body = static({}, schema={"type": "object", "properties": {"n": {"type": "integer"}}})
    assert other.spec is not answers.spec and static_body(other, other_body, {}) is not built


def test_the_first_example_that_fits_is_the_answer() -> None:
    answers, body = static({"examples": {"broken": {"value": {"available": -1}},
                                         "busy": {"value": {"available": 3, "sold": 10}}}})
    assert static_body(answers, body, {}) == {"available": 3, "sold": 10}


def test_an_example_by_reference_is_followed() -> None:
    answers, body = static({"examples": {"quiet": {"$ref": "#/components/examples/Quiet"}}})
    assert body.examples == {"quiet": {"available": 0}}
    assert static_body(answers, body, {}) == {"available": 0}


def test_a_schemas_own_example_answers_where_the_media_type_has_none() -> None:
    answers, body = static({}, {**COUNTS, "example": {"available": 5}})
    assert static_body(answers, body, {}) == {"available": 5}


def test_prefer_names_the_example_to_answer_with() -> None:
    answers, body = static({"examples": {"busy": {"value": {"available": 3}},
                                         "quiet": {"value": {"available": 0}}}})
    assert static_body(answers, body, {"example": "quiet"}) == {"available": 0}


def test_prefer_naming_no_example_is_a_bad_request_listing_the_documented_ones() -> None:
    answers, body = static({"examples": {"busy": {"value": {"available": 3}},
                                         "quiet": {"value": {"available": 0}}}})
    with pytest.raises(BadRequest) as refused:
        static_body(answers, body, {"example": "nope"})
    assert refused.value.detail == "Prefer: example=nope names no example of this answer; documented: busy, quiet"


def test_without_a_fitting_example_the_answer_is_built_from_the_schema() -> None:
    answers, body = static({"example": {"available": "many"}})
    assert static_body(answers, body, {}) == {"available": 0, "sold": 0}


@pytest.mark.slow
def test_a_built_answer_that_breaks_its_schema_is_drawn_to_fit_instead() -> None:
    code = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string", "pattern": "^[A-Z]{3}$"}}}
    answers, body = static({}, code)
    built = static_body(answers, body, {})
    assert answers.fitter.fits(body.schema, built), built  # "string" breaks the pattern: drawn instead


def test_a_static_answer_is_built_once_per_operation() -> None:
    answers, body = static({})
    assert static_body(answers, body, {}) is static_body(answers, body, {})


@pytest.mark.slow
def test_prefer_dynamic_draws_a_value_that_fits_the_schema() -> None:
    answers, body = static({"example": {"available": 3}})
    drawn = static_body(answers, body, {"dynamic": "true"})
    assert answers.fitter.fits(body.schema, drawn), drawn


def test_an_answer_without_content_has_no_body() -> None:
    answers, body = static({}, schema=None, status="204")
    assert (body.status, body.media_type, body.schema) == (204, None, None)
    assert static_body(answers, body, {"example": "any"}) is None


def test_a_json_media_type_other_than_application_json_is_the_documented_one() -> None:
    spec = spec_of({"/inventory": {"get": answer(COUNTS, media="application/vnd.api+json")}})
    [operation] = spec.operations()
    body = documented_body(spec, operation, "200")
    assert (body.media_type, body.schema) == (
        "application/vnd.api+json", "/paths/~1inventory/get/responses/200/content/application~1vnd.api+json/schema")


MESSAGE = {"type": "object", "required": ["code", "message"],
           "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}
PROBLEM = {"type": "object", "required": ["title", "status", "errorCode"],
           "properties": {"title": {"type": "string"}, "status": {"type": "integer"},
                          "errorCode": {"type": "string"}}}


def error_spec(responses: dict[str, Any], media: str = JSON, **media_fields: Any) -> Spec:
    """A document whose operation ``showPet`` answers 200, and ``responses`` (status -> schema) in
    ``media`` (with ``media_fields``, as examples)."""
    documented = {status: {"description": status, "content": {media: {"schema": schema, **media_fields}}}
                  for status, schema in responses.items()}
    return spec_of({"/pets/{petId}": {"get": {"operationId": "showPet", "responses": {
        "200": {"description": "a pet", "content": {JSON: {"schema": {"type": "object"}}}}, **documented}}}},
        {"Message": MESSAGE, "Problem": PROBLEM})


def render(error: ApiError, spec: Spec | None = None, own_shape: bool = False, key: str | None = "showPet",
           keep: tuple[str, ...] = ()) -> tuple[int, Any, str]:
    own_body = error_body if own_shape else None  # the AgentOS profile's shape (Profile.error_body)
    return ErrorBodies([spec or error_spec({})], own_body, keep).render(key, error)


def test_an_error_takes_the_shape_its_operation_documents_for_its_status() -> None:
    spec = error_spec({"404": ref("Message")})
    assert render(NotFound("No pet 7"), spec) == (404, {"code": 404, "message": "No pet 7"}, JSON)


def test_an_error_fills_the_title_status_and_code_fields_of_its_shape() -> None:
    spec = error_spec({"404": ref("Problem")})
    assert render(NotFound("No pet 7"), spec) == (404, {"title": "No pet 7", "status": 404,
                                                        "errorCode": "NOT_FOUND"}, JSON)


@pytest.mark.parametrize(("documented", "error", "expected"), [
    ("400", ValidationFailed("bad limit"), 400),  # a 422 the operation does not document
    ("422", BadRequest("bad limit"), 422),
    ("403", ApiError("no key", status=401), 403),
    ("404", InvalidPathParameter("petId must be an integer"), 404),  # no pet can have that id
])
def test_an_undocumented_error_status_uses_a_documented_equivalent(documented: str, error: ApiError,
                                                                   expected: int) -> None:
    status, body, _ = render(error, error_spec({documented: ref("Message")}))
    assert (status, body) == (expected, {"code": expected, "message": error.detail})


def test_an_errors_own_fields_join_its_body_only_where_the_shape_has_room_for_them() -> None:
    error = ExpectationFailed("Expected 1, found 0", fields={"matched": 0})
    roomy = {"type": "object", "properties": {"message": {"type": "string"}, "matched": {"type": "integer"}}}
    assert render(error, error_spec({"409": roomy}))[:2] == (409, {"message": "Expected 1, found 0", "matched": 0})
    closed = {**roomy, "properties": {"message": {"type": "string"}}, "additionalProperties": False}
    assert render(error, error_spec({"409": closed}))[:2] == (409, {"message": "Expected 1, found 0"})
    status, problem, _ = render(error)  # problem details: extension members (RFC 9457)
    assert (status, problem["title"], problem["matched"]) == (409, "Conflict", 0)
    assert render(error, own_shape=True)[1] == {**error_body(409, "Expected 1, found 0"), "matched": 0}


def test_a_status_range_or_default_response_shapes_the_error() -> None:
    assert render(NotFound("No pet 7"), error_spec({"4XX": ref("Message")}))[:2] == (
        404, {"code": 404, "message": "No pet 7"})
    assert render(NotFound("No pet 7"), error_spec({"default": ref("Message")}))[:2] == (
        404, {"code": 404, "message": "No pet 7"})


def test_an_operation_whose_handler_owns_its_statuses_keeps_the_errors_status() -> None:
    spec = error_spec({"400": ref("Message")})
    assert render(ValidationFailed("bad limit"), spec, own_shape=True, keep=("showPet",)) == (
        422, {"detail": "bad limit", "error_code": "VALIDATION_ERROR"}, JSON)


def test_an_undocumented_error_is_problem_json_where_the_operation_answers_with_it() -> None:
    spec = error_spec({"500": {"type": "object"}}, media=PROBLEM_JSON)
    assert render(NotFound("No pet 7"), spec) == (404, {"type": "about:blank", "title": "Not Found",
                                                        "status": 404, "detail": "No pet 7"}, PROBLEM_JSON)


def test_an_undocumented_error_is_problem_json_where_the_operation_answers_no_content() -> None:
    spec = spec_of({"/pets/{petId}": {"delete": answer(status="204")}})
    assert render(NotFound("No pet 7"), spec, key="DELETE /pets/{petId}")[2] == PROBLEM_JSON


def test_problem_json_is_sent_as_plain_json_to_an_operation_that_answers_only_json() -> None:
    assert render(NotFound("No pet 7"))[2] == JSON


def test_an_error_without_a_route_is_problem_json() -> None:
    assert render(NotFound("No such path"), key=None) == (404, {
        "type": "about:blank", "title": "Not Found", "status": 404, "detail": "No such path"}, PROBLEM_JSON)


def test_a_status_without_a_name_is_titled_error() -> None:
    assert render(ApiError("odd", status=499), key=None)[1]["title"] == "Error"


def test_with_the_mocks_own_shape_an_undocumented_error_is_detail_and_error_code() -> None:
    assert render(NotFound("No pet 7"), own_shape=True) == (404, {"detail": "No pet 7", "error_code": "NOT_FOUND"},
                                                            JSON)


def test_a_documented_shape_the_message_cannot_fit_falls_back_to_a_fitting_example() -> None:
    short = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string", "maxLength": 9}}}
    spec = error_spec({"404": short}, examples={"long": {"value": {"message": "No such pet"}},
                                                "short": {"value": {"message": "Not found"}}})
    assert render(NotFound("No pet 7 here"), spec) == (404, {"message": "Not found"}, JSON)


def test_a_documented_shape_nothing_fits_gives_way_to_the_problem_shape() -> None:
    spec = error_spec({"404": {"type": "object", "required": ["message"],
                               "properties": {"message": {"type": "string", "maxLength": 3}}}})
    assert render(NotFound("No pet 7"), spec) == (404, {"type": "about:blank", "title": "Not Found",
                                                        "status": 404, "detail": "No pet 7"}, JSON)


def test_an_error_carries_its_reason_in_a_message_field_nested_in_its_shape() -> None:
    errors = {"type": "object", "properties": {"errors": {"type": "array", "items": {
        "type": "object", "properties": {"message": {"type": "string"}, "help": {"type": "string"}}}}}}
    status, body, _ = render(NotFound("No pet 7"), error_spec({"404": errors}))
    assert (status, body["errors"][0]["message"]) == (404, "No pet 7")


def test_an_error_code_field_takes_the_code_its_enum_allows() -> None:
    box = {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["error"]}, "status": {"type": "integer"},
        "code": {"type": "string", "enum": ["bad_request", "not_found"]}, "message": {"type": "string"}}}
    assert render(NotFound("No pet 7"), error_spec({"404": box}))[:2] == (
        404, {"type": "error", "status": 404, "code": "not_found", "message": "No pet 7"})
