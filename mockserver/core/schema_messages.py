"""A validation error told as a plain sentence: where (a field path) and what (a sentence such as
``must be of type object or null (got string)``). Everything in the mock that reports a value that
fails its schema (``core.schema``'s validators) words it here, so that a failure always reads the
same way; for an anyOf/oneOf whose value fits one branch's kind, that branch's error is told.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from mockserver.core.schema import REQUIRED_SUFFIX, json_type


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
