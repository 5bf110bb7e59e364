"""JSON Schema 2020-12 validation, as the mock checks values.

OpenAPI 3.1 schemas are JSON Schema 2020-12. Everything in the mock that checks a value against
the spec (request parameters and bodies, fixtures, later the spec's own examples) gets its
validator here: formats checked, patterns matched with a bound on time, types JSON Schema does
not know left unchecked, and for a request body readOnly properties neither required nor
accepted. How a failure reads (a field path and a sentence) is ``core.schema_messages``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.exceptions import best_match
from referencing import Registry

from mockserver.core.formats import FORMAT_CHECKER
from mockserver.core.pattern_keywords import KEYWORDS as PATTERN_KEYWORDS

_JSON_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (type(None), "null"),
    (Mapping, "object"),
    ((list, tuple), "array"),
)


def json_type(value: Any) -> str:
    """The JSON type name of a decoded JSON value (``bool`` is checked before ``int``)."""
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return type(value).__name__


READ_ONLY_MESSAGE = "must not be sent: it is read-only (the server sets it)"
REQUIRED_SUFFIX = " is a required property"


def _required_unless_read_only(validator: Any, required: Any, instance: Any, schema: Mapping[str, Any]
                               ) -> Iterator[ValidationError]:
    """``required``, where a request may leave out ``readOnly`` properties (OpenAPI: they are
    required in answers only)."""
    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties") or {}
    for name in required:
        if name in instance:
            continue
        declared = properties.get(name)
        if isinstance(declared, Mapping) and isinstance(declared.get("$ref"), str):
            declared = validator._resolver.lookup(declared["$ref"]).contents
        if not (isinstance(declared, Mapping) and declared.get("readOnly") is True):
            yield ValidationError(f"{name!r}{REQUIRED_SUFFIX}")


def _not_sent_if_read_only(validator: Any, read_only: Any, instance: Any, schema: Mapping[str, Any]
                           ) -> Iterator[ValidationError]:
    """``readOnly`` in a request: a value the server sets (OpenAPI: it SHOULD NOT be sent), refused
    so that a client learns it is ignored at best."""
    if read_only is True:
        yield ValidationError(READ_ONLY_MESSAGE)


JSON_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
_CHECK_TYPE = Draft202012Validator.VALIDATORS["type"]


def _known_types(validator: Any, types: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``type``, where it names JSON Schema's types; one that names another (``file``, or a mapping
    written where a property was meant, as a Codat document does) is left unchecked: validation
    raised ``UnknownType`` on it, and ``validate`` and the warnings at start name it."""
    listed = types if isinstance(types, list) else [types]
    if all(isinstance(name, str) and name in JSON_TYPES for name in listed):
        yield from _CHECK_TYPE(validator, types, instance, schema)


# types-jsonschema leaves validators.extend unannotated: it returns a validator class.
ResponseValidator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"type": _known_types, **PATTERN_KEYWORDS})
RequestValidator = validators.extend(  # type: ignore[no-untyped-call]
    ResponseValidator, {"required": _required_unless_read_only, "readOnly": _not_sent_if_read_only})


def make_validator(schema: Mapping[str, Any], registry: Registry | None = None, *,
                   request: bool = False) -> Draft202012Validator:
    """A 2020-12 validator that also checks formats such as ``date-time`` (of a request body:
    readOnly properties are not required, and not accepted)."""
    cls = RequestValidator if request else ResponseValidator
    if registry is None:
        return cast(Draft202012Validator, cls(schema, format_checker=FORMAT_CHECKER))
    return cast(Draft202012Validator, cls(schema, registry=registry, format_checker=FORMAT_CHECKER))


def first_error(validator: Draft202012Validator, instance: Any) -> ValidationError | None:
    """The most relevant error of ``instance``, or None when it is valid."""
    # types-jsonschema leaves best_match's return unannotated: the best error, or None for none.
    return cast("ValidationError | None", best_match(validator.iter_errors(instance)))
