"""JSON Schema 2020-12 validation with plain-sentence messages.

OpenAPI 3.1 schemas are JSON Schema 2020-12. Everything in the mock that checks a value against
the spec (request parameters and bodies, fixtures, later the spec's own examples) goes through
here, so that a failure always reads the same way: where (a field path) and what (a sentence such
as ``must be of type object or null (got string)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
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


def field_path(path: Iterable[Any]) -> str:
    """Render a path such as ``("chat_history", 0, "role")`` as ``chat_history[0].role``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _allowed_types(error: ValidationError) -> list[str] | None:
    """For an anyOf/oneOf of plain type checks that failed on type alone, the types it allows."""
    branches = error.validator_value
    if error.validator not in ("anyOf", "oneOf") or not isinstance(branches, list):
        return None
    if not all(isinstance(b, Mapping) and isinstance(b.get("type"), str) for b in branches):
        return None
    if any(sub.validator != "type" for sub in error.context or ()):
        return None  # a branch of the right type failed deeper: that error says more
    return [branch["type"] for branch in branches]


REQUIRED_SUFFIX = " is a required property"


def required_property(error: ValidationError) -> str:
    """The quoted name of the property a ``required`` error is about (jsonschema says it only in text)."""
    return error.message.removesuffix(REQUIRED_SUFFIX)


def _discriminated_out(errors: list[ValidationError]) -> bool:
    """Whether a branch failed on what tells branches apart: its type, or a const/enum property."""
    return any((e.validator == "type" and not e.relative_path)
               or (e.validator in ("const", "enum") and len(e.relative_path) == 1) for e in errors)


def errors_by_branch(error: ValidationError) -> dict[int, list[ValidationError]]:
    """The sub-errors of a failed anyOf/oneOf, by the index of the alternative that raised them."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    return branches


def specific(error: ValidationError) -> ValidationError:
    """For an anyOf/oneOf whose value fits exactly one branch's kind, that branch's error."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return error
    candidates = [errors for errors in errors_by_branch(error).values() if not _discriminated_out(errors)]
    if len(candidates) != 1:
        return error
    return specific(best_match(candidates[0]) or error)


def describe(error: ValidationError) -> str:
    """A plain sentence for one validation error, without the location."""
    error = specific(error)
    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, Mapping):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = ", ".join(repr(name) for name in instance if name not in known)
        return f"unknown propert{'y' if ', ' not in extra else 'ies'} {extra}"
    if error.validator == "required":
        return f"missing required property {required_property(error)}"
    if error.validator == "type":
        expected = error.validator_value
        names = " or ".join(expected) if isinstance(expected, list) else expected
        return f"must be of type {names} (got {json_type(instance)})"
    if error.validator == "enum":
        # An error from iter_errors always carries its keyword's value (never Unset): the enum.
        options = ", ".join(repr(option) for option in cast("Iterable[Any]", error.validator_value))
        return f"must be one of {options} (got {instance!r})"
    if error.validator == "format":
        return f"{instance!r} is not a valid {error.validator_value}"
    types = _allowed_types(error)
    if types is not None:
        return f"must be of type {' or '.join(types)} (got {json_type(instance)})"
    if error.validator in ("anyOf", "oneOf") and isinstance(error.validator_value, list):
        return f"matches none of its {len(error.validator_value)} allowed shapes ({error.validator})"
    return error.message


def explain(error: ValidationError, subject: str) -> str:
    """Where and what, e.g. ``field 'session_state' of the request body must be of type ...``."""
    error = specific(error)
    where = field_path(error.absolute_path)
    target = f"field {where!r} of {subject}" if where else subject
    sentence = describe(error)
    return f"{target} {sentence}" if sentence.startswith("must ") else f"{target}: {sentence}"
