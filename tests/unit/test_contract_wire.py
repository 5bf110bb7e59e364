"""`contract` counts apart the negative cases that reach the server as valid requests: a type
changed in a value sent as text where any text is valid (``topics=false``), and nothing else.

The cases are Schemathesis' own, and loading it takes a second or more (its import and its first
schema): the tests that build cases are ``slow``, and Schemathesis is imported by them, not here,
so that collecting this module for `make test-fast` stays cheap."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

from mockserver.contract.wire import sent_as_valid_text, takes_any_text

if TYPE_CHECKING:
    from schemathesis.core.mutations import Mutation

TEXT_OR_NULL = {"anyOf": [{"type": "string"}, {"type": "null"}]}
DOCUMENT = {
    "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
    "paths": {"/memories": {"get": {
        "parameters": [
            {"name": "topics", "in": "query", "schema": {"anyOf": [
                {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "code", "in": "query", "schema": {"type": "string", "pattern": "^[A-Z]{3}$"}},
        ],
        "responses": {"200": {"description": "ok"}}}},
        "/items": {"post": {
            "requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                    "name": TEXT_OR_NULL, "size": {"type": "integer"}}}},
                "application/json": {"schema": {"type": "object", "properties": {"name": TEXT_OR_NULL}}}}},
            "responses": {"200": {"description": "ok"}}}}},
}


def mutation(location: str, parameter: str | None, path: tuple[str, ...] = (),
             operator: str = "CHANGE_TYPE", keywords: tuple[str, ...] = ("type",)) -> Mutation:
    """A Schemathesis mutation of the value at ``location`` (a ``ParameterLocation`` name, ``QUERY``)
    by ``operator`` (an ``OperatorKind`` name)."""
    from schemathesis.core.mutations import Mutation, MutationChannel, OperatorKind
    from schemathesis.core.parameters import ParameterLocation

    return Mutation(path=path, parameter_location=ParameterLocation[location], schema_pointer="",
                    channel=MutationChannel.SCHEMA, operator=OperatorKind[operator], keywords=keywords,
                    parameter=parameter, original_value=None, new_value=False)


def case(path: str, method: str, mutations: list[Mutation], media_type: str | None = None,
         query: dict[str, Any] | None = None, body: dict[str, Any] | None = None) -> Any:
    """The parts of a Schemathesis case the check reads: a real operation, real mutations, the
    values sent."""
    import schemathesis

    operation = schemathesis.openapi.from_dict(DOCUMENT)[path][method]
    data = SimpleNamespace(mutations=tuple(mutations))
    return SimpleNamespace(operation=operation, media_type=media_type, query=query or {}, body=body,
                           path_parameters={}, headers={}, cookies={},
                           meta=SimpleNamespace(phase=SimpleNamespace(data=data)))


@pytest.mark.slow
def test_a_type_change_in_a_query_list_of_text_reaches_the_server_as_valid() -> None:
    topics = [mutation("QUERY", "topics")]
    assert sent_as_valid_text(case("/memories", "GET", topics, query={"topics": False}))  # topics=false
    assert sent_as_valid_text(case("/memories", "GET", topics, query={"topics": [1, True]}))  # a list of texts


@pytest.mark.slow
def test_a_type_change_in_a_form_field_of_text_reaches_the_server_as_valid() -> None:
    form = "application/x-www-form-urlencoded"
    assert sent_as_valid_text(case("/items", "POST", [mutation("BODY", None, ("name",))], form,
                                   body={"name": 5}))
    assert sent_as_valid_text(case("/items", "POST", [mutation("BODY", None, ("name",))], form,
                                   body={"name": ["5"]}))  # a list of one is sent as one text


FORM = "application/x-www-form-urlencoded"


@pytest.mark.slow
@pytest.mark.parametrize("made", [
    lambda: case("/memories", "GET", [mutation("QUERY", "limit")], query={"limit": "x"}),
    lambda: case("/memories", "GET", [mutation("QUERY", "code")], query={"code": 5}),
    lambda: case("/memories", "GET", [mutation("QUERY", "topics",
                                               operator="REMOVE_REQUIRED_PROPERTY",
                                               keywords=("required",))], query={"topics": "a"}),
    lambda: case("/memories", "GET", [mutation("QUERY", "topics")]),  # not sent
    lambda: case("/memories", "GET", [mutation("QUERY", "topics")],
                 query={"topics": [["a"], {"b": 1}]}),  # nested values
    lambda: case("/items", "POST", [mutation("BODY", None, ("name",))], FORM,
                 body={"name": ["a", "b"]}),  # repeated keys for one text
    lambda: case("/items", "POST", [mutation("BODY", None, ("name",))], "application/json",
                 body={"name": 5}),
    lambda: case("/items", "POST", [mutation("BODY", None, ("name",)),
                                    mutation("BODY", None, ("size",))], FORM,
                 body={"name": 5, "size": "x"}),
    lambda: case("/memories", "GET", []),
], ids=["integer", "pattern", "removed", "not-sent", "nested", "repeated-for-one-text", "json-body",
        "one-mutation-of-two-not-text", "no-mutations"])
def test_every_other_negative_case_still_counts(made: Any) -> None:
    assert not sent_as_valid_text(made())


def test_any_text_means_a_plain_string_a_list_of_them_or_a_branch_of_either() -> None:
    assert takes_any_text({"type": "string"}) and takes_any_text(TEXT_OR_NULL)
    assert takes_any_text({"type": ["string", "null"]}) and takes_any_text({"type": "array", "items": {"type": "string"}})
    assert not takes_any_text({"type": "array", "items": {}})  # an untyped schema is not counted: conservative
    assert not takes_any_text({"type": "string", "format": "uuid"}) and not takes_any_text({"type": "integer"})
