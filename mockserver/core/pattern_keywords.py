"""JSON Schema's pattern keywords (``pattern``, ``patternProperties``, and ``additionalProperties``,
which reads them) matched with a bound on time (``core.bounded_regex``).

jsonschema's own call ``re.search`` without a bound, so one backtracking pattern in a document
and one long value in a request held the server for minutes. A match not decided in time leaves
the value unchecked: a ``pattern`` is refused only when it is known not to match, and a property
name is taken as matching a ``patternProperties`` pattern only when it is known to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import ValidationError

from mockserver.core.bounded_regex import matches, refuses


def pattern(validator: Any, expected: Any, instance: Any, schema: Mapping[str, Any]
            ) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and refuses(expected, instance):
        yield ValidationError(f"{instance!r} does not match {expected!r}")


def pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Mapping[str, Any]
                       ) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for expected, subschema in patterns.items():
        for name, value in instance.items():
            if matches(expected, name):
                yield from validator.descend(value, subschema, path=name, schema_path=expected)


def _additional(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """The names of ``instance`` neither ``properties`` nor a ``patternProperties`` pattern
    is known to cover; a name whose match is undecided counts as covered (left unchecked)."""
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [name for name in instance if name not in properties
            and all(refuses(expected, name) for expected in patterns)]


def additional_properties(validator: Any, allowed: Any, instance: Any, schema: Mapping[str, Any]
                          ) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    extras = _additional(instance, schema)
    if validator.is_type(allowed, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        listed = ", ".join(repr(each) for each in sorted(extras, key=str))
        if "patternProperties" in schema:
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            verb = "does" if len(extras) == 1 else "do"
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {patterns}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")


KEYWORDS = {"pattern": pattern, "patternProperties": pattern_properties,
            "additionalProperties": additional_properties}
