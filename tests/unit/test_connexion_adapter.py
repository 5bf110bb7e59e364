"""The Connexion adapter: its pieces, and what of Connexion 3.3 it relies on.

If a Connexion upgrade moves one of these internals, the guard tests here fail by name, before
the integration tests fail in less obvious ways.
"""

from __future__ import annotations

import inspect
import json
from importlib.metadata import version
from typing import Any

import pytest
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.main import API, ConnexionMiddleware, _Options
from connexion.middleware.request_validation import RequestValidationOperation
from connexion.middleware.routing import RoutingOperation
from connexion.operations import OpenAPIOperation
from connexion.security import BearerSecurityHandler
from connexion.spec import OpenAPISpecification, Specification
from connexion.utils import sort_routes
from connexion.validators import AbstractRequestBodyValidator, ParameterValidator

from mockserver.core.spec import Spec
from mockserver.errors import ValidationFailed
from mockserver.server import connexion_adapter
from mockserver.server.connexion_adapter.routing import (
    PARAMETER_NAME,
    most_specific_first,
    routed_operation_id,
)
from tests.conftest import ROOT


def test_connexion_is_the_version_the_adapter_was_written_for() -> None:
    assert version("connexion").startswith("3.3.")


@pytest.mark.slow
def test_connexions_own_add_api_still_refuses_31(spec: Spec) -> None:
    # If this starts passing, Connexion accepts 3.1 itself and OpenAPI31App may be retired.
    with pytest.raises(Exception, match=r"3\.1\.0"):
        Specification.from_dict(dict(spec.raw))


def test_internals_the_adapter_relies_on_are_there() -> None:
    assert isinstance(inspect.getattr_static(OpenAPISpecification, "_validate_spec"), classmethod)
    assert OpenAPISpecification.operation_cls is OpenAPIOperation
    assert "_parameters" in inspect.getsource(OpenAPIOperation.__init__)
    assert {"apis", "options", "middleware_stack"} <= set(vars(ConnexionMiddleware(app=None)))
    assert hasattr(_Options, "replace") and inspect.signature(API).parameters.keys() >= {
        "specification", "base_path"}
    assert callable(AbstractRequestBodyValidator._insert_messages)
    assert isinstance(inspect.getattr_static(ParameterValidator, "validate_parameter"), staticmethod)


@pytest.mark.parametrize(("schema", "declared"), [
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "string"),
    ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, "integer"),
    ({"type": "string"}, "string"),
])
def test_anyof_parameters_get_the_type_connexion_reads(schema: dict, declared: str) -> None:
    parameter = {"name": "p", "in": "query", "schema": schema}
    assert connexion_adapter.with_declared_type(parameter)["schema"]["type"] == declared
    assert "type" not in schema or schema["type"] == declared  # the original is not modified


@pytest.mark.parametrize("branches", [
    [{"type": "boolean"}, {"type": "integer"}],
    [{"type": ["boolean", "null"]}, {"type": "integer"}],
    [{"$ref": "#/components/schemas/Thing"}, "not a schema"],
])
def test_ambiguous_anyof_parameters_are_left_alone(branches: list[Any]) -> None:
    parameter = {"name": "p", "in": "query", "schema": {"anyOf": branches}}
    assert connexion_adapter.with_declared_type(parameter) is parameter


@pytest.mark.parametrize("schema", [
    {"type": ["integer", "string"], "pattern": "^[0-9]+$"},
    {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    # Microsoft Graph beta: a branch naming a list of types (a TypeError at start-up before)
    {"anyOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]},
])
def test_a_parameter_that_may_be_a_string_is_kept_as_text(schema: dict) -> None:
    parameter = {"name": "p", "in": "query", "schema": schema}
    assert connexion_adapter.with_declared_type(parameter)["schema"]["type"] == "string"


def test_array_parameters_get_their_item_type() -> None:
    parameter = {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": ["integer", "null"]}}}
    assert connexion_adapter.with_declared_type(parameter)["schema"]["items"]["type"] == "integer"


def test_parameter_validation_uses_2020_12_messages() -> None:
    validate = connexion_adapter.Parameter202012Validator.validate_parameter
    param = {"name": "type", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}
    assert validate("query", "a", param) is None
    with pytest.raises(ValidationFailed, match=r"query parameter 'type' must be one of 'a', 'b' \(got 'c'\)"):
        validate("query", "c", param)
    with pytest.raises(ValidationFailed, match="missing required path parameter 'id'"):
        validate("path", None, {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}})


def test_validators_are_compiled_once_per_schema() -> None:
    schema = {"type": "object"}
    assert connexion_adapter.compiled(schema) is connexion_adapter.compiled(schema)


def test_the_validator_map_keeps_connexions_other_body_validators() -> None:
    body = connexion_adapter.validator_map(max_depth=7)["body"]
    assert issubclass(body["application/json"], connexion_adapter.JSONBody202012Validator)
    assert body["application/json"].max_depth == 7
    assert "multipart/form-data" in body and "application/x-www-form-urlencoded" in body


def test_the_security_and_validation_internals_the_adapter_overrides_are_there() -> None:
    # security.py: KeyBearerHandler overrides get_fn and wraps its check with _get_verify_func.
    assert list(inspect.signature(BearerSecurityHandler.get_fn).parameters) == [
        "self", "security_scheme", "required_scopes"]
    assert list(inspect.signature(BearerSecurityHandler._get_verify_func).parameters) == [
        "self", "token_info_func"]
    # bodies.py: ParsedBodyValidator (JSON and XML) replaces wrap_receive and reads _schema and _required.
    wrap_receive = inspect.signature(AbstractRequestBodyValidator.wrap_receive).parameters
    assert list(wrap_receive) == ["self", "receive", "scope"]
    assert wrap_receive["scope"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "receive, scope = await validator.wrap_receive(receive, scope=scope)" in " ".join(
        inspect.getsource(RequestValidationOperation.__call__).split())
    init = inspect.getsource(AbstractRequestBodyValidator.__init__)
    assert "self._schema = schema" in init and "self._required = required" in init


def test_the_routing_context_is_where_prefer_reads_the_operation() -> None:
    scope = {"extensions": {ROUTING_CONTEXT: {"operation_id": "update_session"}}}
    assert routed_operation_id(scope) == "update_session"
    assert routed_operation_id({"extensions": {}}) is None
    assert "extensions.setdefault(ROUTING_CONTEXT, {})" in inspect.getsource(RoutingOperation.__call__)



def test_connexion_knows_a_form_file_by_format_binary() -> None:
    # app.as_connexion_file spells 3.1's files (contentMediaType) so for Connexion's form parser.
    from connexion.validators.form_data import FormDataValidator
    assert '"binary"' in inspect.getsource(FormDataValidator._parse)


def test_routes_are_ordered_as_connexions_sort_routes_orders_them() -> None:
    written = ["/", "/items", "/items/by", "/items/{id}", "/items/{id}/parts/{part}", "/items/{id}/parts/top",
               "/repos/{owner}/{repo}/contents/{path}", "/repos/{owner}/{repo}/contents", "/a/", "/a/{b}/"]
    twilio = list(json.loads((ROOT / "bench" / "data" / "large" / "twilio_api_v2010.json").read_text())["paths"])
    for paths in (written, twilio, list(reversed(twilio))):
        assert most_specific_first(paths) == sort_routes(paths, key=lambda path: PARAMETER_NAME.sub("{_", path))
