"""Request validation with JSON Schema 2020-12 (Connexion validates with Draft 4).

Parameters and JSON bodies are checked against the spec's own schemas, compiled once, and every
failure is a ``ValidationFailed`` with a sentence naming the field. Bodies are read as strict
UTF-8 JSON: invalid UTF-8, NaN, infinite numbers and pathological nesting are 422s, not 500s.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from connexion.validators import VALIDATOR_MAP
from connexion.validators.abstract import AbstractRequestBodyValidator
from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft202012Validator
from starlette.types import Receive, Scope

from mockserver.core.schema import explain, first_error, make_validator
from mockserver.errors import InvalidPathParameter, ValidationFailed
from mockserver.server.connexion31.hotpath import VALIDATED_BODY, CachedMediaTypeDict
from mockserver.server.middleware.limits import nesting_depth

TEXT_OR = "x-mockserver-text-or"  # set by app.declared_type: the types a text parameter may also be

_compiled: dict[tuple[int, bool], tuple[Mapping[str, Any], Draft202012Validator]] = {}


def compiled(schema: Mapping[str, Any], *, request: bool = False) -> Draft202012Validator:
    """A 2020-12 validator for one of Connexion's (resolved, long-lived) schemas, built once (for a
    ``request`` body: readOnly properties are not required)."""
    entry = _compiled.get((id(schema), request))
    if entry is None or entry[0] is not schema:
        entry = _compiled[(id(schema), request)] = (schema, make_validator(schema, request=request))
    return entry[1]


class Parameter202012Validator(ParameterValidator):
    """Parameter validation with JSON Schema 2020-12 and the mock's error messages."""

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict[str, Any], param_name: Any = None
    ) -> None:
        if value is None:
            if param.get("required"):
                raise ValidationFailed(f"missing required {parameter_type} parameter {param['name']!r}")
            return None
        schema = param.get("schema", {})
        validator = declared_validator(schema)
        error = first_error(validator, value)
        if error is not None:
            as_numbers = read_as_numbers(schema, value)
            if as_numbers is not value and validator.is_valid(as_numbers):
                error = None  # [integer, string]: valid as text or as the number it spells
        if error is not None:
            failure = InvalidPathParameter if parameter_type == "path" else ValidationFailed
            raise failure(explain(error, f"{parameter_type} parameter {param['name']!r}"))
        return None


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


def as_number(value: Any) -> Any:
    """``value``, or the number it spells (``"7"`` is 7, ``"0.5"`` is 0.5)."""
    if not isinstance(value, str):
        return value
    try:
        return int(value)
    except ValueError:
        try:
            return _finite(value)
        except ValueError:
            return value


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"number {text} is out of range")
    return number


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


# One decoder for all requests: json.loads with hooks builds a new JSONDecoder on every call.
STRICT_JSON = json.JSONDecoder(parse_float=_finite, parse_constant=_no_constants)


def parse_json_body(raw: bytes, max_depth: int) -> Any:
    """Decode a request body as strict UTF-8 JSON, raising ``ValidationFailed`` otherwise.

    A ``charset`` parameter is ignored: RFC 8259 defines none for application/json.
    """
    if nesting_depth(raw, max_depth) > max_depth:
        raise ValidationFailed(f"The request body is nested deeper than {max_depth} levels")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"The request body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return STRICT_JSON.decode(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ValueError as exc:
        raise ValidationFailed(f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValidationFailed("The request body is not valid JSON: it is nested too deeply") from None


class JSONBody202012Validator(AbstractRequestBodyValidator):
    """JSON body validation with JSON Schema 2020-12; reads chunked bodies too."""

    max_depth: int  # set by validator_map(), from Config.max_depth

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        messages: list[Any] = []
        more_body = True
        while more_body:
            message = await receive()
            messages.append(message)
            more_body = message.get("more_body", False)
        raw = b"".join(message.get("body", b"") for message in messages)
        if not raw:
            if self._required:
                raise ValidationFailed("The request body is required: send a JSON object, e.g. {}")
        else:
            body = parse_json_body(raw, self.max_depth)
            error = first_error(compiled(self._schema, request=True), body)
            if error is not None:
                raise ValidationFailed(explain(error, "the request body"))
            scope.setdefault("extensions", {})[VALIDATED_BODY] = body
        return self._insert_messages(receive, messages=messages), scope


def validator_map(max_depth: int) -> dict[str, Any]:
    """Connexion's validator map with 2020-12 parameter and JSON body validators."""
    body = CachedMediaTypeDict(VALIDATOR_MAP["body"])  # merge: a one-key dict would drop the others
    body["*/*json"] = type("JSONBodyValidator", (JSONBody202012Validator,), {"max_depth": max_depth})
    return {"parameter": Parameter202012Validator, "body": body}
