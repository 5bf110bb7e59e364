"""Request validation with JSON Schema 2020-12 (Connexion validates with Draft 4).

Parameters and JSON bodies are checked against the spec's own schemas, compiled once, and every
failure is a ``ValidationFailed`` with a sentence naming the field. Bodies are read as strict
UTF-8 JSON (``strict_json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connexion.validators import VALIDATOR_MAP
from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft202012Validator

from mockserver.core.pointers import pointer
from mockserver.core.schema import first_error, make_validator
from mockserver.core.schema_messages import explain
from mockserver.core.type_keyword import type_names
from mockserver.errors import InvalidPathParameter, ValidationFailed
from mockserver.server.connexion_adapter.bodies import ParsedBodyValidator
from mockserver.server.connexion_adapter.form_bodies import FormBodyValidator
from mockserver.server.connexion_adapter.forms import FilePartsValidator
from mockserver.server.connexion_adapter.lookup_caches import CachedMediaTypeDict
from mockserver.server.connexion_adapter.query_repeats import refuse_repeated_single_values
from mockserver.server.connexion_adapter.strict_json import finite, parse_json_body
from mockserver.server.connexion_adapter.xml_requests import XML_MEDIA_TYPES, XMLBody202012Validator

TEXT_OR = "x-mockserver-text-or"  # set by app.declared_type: the types a text parameter may also be


class Parameter202012Validator(ParameterValidator):
    """Parameter validation with JSON Schema 2020-12 and the mock's error messages."""

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict[str, Any], param_name: Any = None
    ) -> None:
        if value is None:
            if param.get("required"):
                raise ValidationFailed(f"missing required {parameter_type} parameter {param['name']!r}",
                                       pointer=pointer(parameter_type, param["name"]))
            return None
        if value == "" and parameter_type == "query" and param.get("allowEmptyValue"):
            return None  # ``?flag=``: the document takes the empty value, whatever the schema's type
        schema = param.get("schema", {})
        validator = declared_validator(schema)
        error = first_error(validator, value)
        if error is not None:
            read = read_path_number if parameter_type == "path" else read_as_numbers
            as_numbers = read(schema, value)
            if as_numbers is not value and validator.is_valid(as_numbers):
                error = None  # valid as the number the text spells: "7" for [integer, string]
            elif value == [""] and parameter_type == "query" and validator.is_valid([]):
                error = None  # ``?fields=``: how the form style writes an empty array
        if error is not None:
            failure = InvalidPathParameter if parameter_type == "path" else ValidationFailed
            raise failure(explain(error, f"{parameter_type} parameter {param['name']!r}"),
                          pointer=pointer(parameter_type, param["name"], *error.absolute_path))
        return None

    def validate_request(self, request: Any) -> None:
        # The path first: a path no value fits names no resource (a 404, or a 405 where a literal
        # path lacks the method), whatever else is wrong with the request.
        for param in self.parameters.get("path", []):
            self.validate_path_parameter(param, request)  # type: ignore[no-untyped-call]
        query_string = request.scope.get("query_string", b"")
        refuse_repeated_single_values(query_string, self.parameters.get("query", []))
        super().validate_request(request)  # type: ignore[no-untyped-call]


_declared: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}


def declared_validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator for one of Connexion's (long-lived) parameter schemas, with the types set aside
    for Connexion (``TEXT_OR``) back; built once per schema."""
    entry = _declared.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _declared[id(schema)] = (schema, make_validator(with_types_back(schema)))
    return entry[1]


def with_types_back(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """A parameter's schema kept as text for Connexion (``[integer, string]``, or an array of such)
    with its declared types back."""
    items = schema.get("items")
    if isinstance(items, Mapping) and TEXT_OR in items:
        schema = {**schema, "items": with_types_back(items)}
    return {**schema, "type": schema[TEXT_OR]} if TEXT_OR in schema else schema


def read_as_numbers(schema: Mapping[str, Any], value: Any) -> Any:
    """``value`` with numbers written as text read as numbers where its schema (or its items') may
    be a number as well as text; ``value`` itself otherwise."""
    items = schema.get("items")
    if isinstance(items, Mapping) and TEXT_OR in items and isinstance(value, list):
        return [read_as_numbers(items, item) for item in value]
    return as_number(value) if {"integer", "number"} & set(schema.get(TEXT_OR, ())) else value


def read_path_number(schema: Mapping[str, Any], value: Any) -> Any:
    """A path parameter's text as the number it spells, where its schema is a number: Connexion
    reads integers with ``int()``, which refuses ``"7.0"``, an integer in JSON Schema. (The engine
    reads path parameters itself; dedicated handlers have none of a number type.)"""
    numeric = {"integer", "number"} & type_names(schema)
    return as_number(value) if numeric else value


def as_number(value: Any) -> Any:
    """``value``, or the number it spells (``"7"`` is 7, ``"0.5"`` is 0.5)."""
    if not isinstance(value, str):
        return value
    try:
        return int(value)
    except ValueError:
        try:
            return finite(value)
        except ValueError:
            return value




class JSONBody202012Validator(ParsedBodyValidator):
    """JSON body validation with JSON Schema 2020-12; reads chunked bodies too."""

    missing = "The request body is required: send a JSON object, e.g. {}"

    def parse(self, raw: bytes) -> Any:
        return parse_json_body(raw, self.max_depth)


def validator_map(max_depth: int) -> dict[str, Any]:
    """Connexion's validator map with 2020-12 parameter and JSON body validators."""
    body = CachedMediaTypeDict(VALIDATOR_MAP["body"])  # merge: a one-key dict would drop the others
    body["*/*json"] = type("JSONBodyValidator", (JSONBody202012Validator,), {"max_depth": max_depth})
    xml = type("XMLBodyValidator", (XMLBody202012Validator,), {"max_depth": max_depth})
    for media_range in XML_MEDIA_TYPES:
        body[media_range] = xml
    body["multipart/form-data"] = FilePartsValidator
    body["application/x-www-form-urlencoded"] = FormBodyValidator
    return {"parameter": Parameter202012Validator, "body": body}
