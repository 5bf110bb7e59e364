"""Schemas narrowed to the values a client can read, for the random draws (``dynamic``).

Hypothesis draws any value a schema allows: text with lone surrogates (which JSON cannot carry
as UTF-8), map keys of broken Unicode, a page size of -36577336111729051205912565383168. Each is
schema-valid and useless. Before a draw the schema is narrowed, never widened, so that every value
drawn still fits the document's schema:

- a number without bounds gets 0 to ``SMALL`` (one bound given: ``SMALL`` from it);
- text without a ``pattern``, ``format``, ``enum`` or ``const`` is letters, digits, spaces, at most
  ``maxLength`` long (else at most ``SHORT`` or its ``minLength``);
- an object's undeclared property names (a map's keys) look like keys (``KEY``); an object with
  declared properties and no word on others gets none, a free-form one short texts. Where that
  leaves no value (an ``allOf`` of objects that each declare their own properties: Box's files),
  ``closed=False`` narrows objects less: their property names look like names (``NAME``), and
  the document says which others they may have.

``plain`` then writes integral numbers as integers and drops lone surrogates (Hypothesis may still
draw them for a ``pattern``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mockserver.core.type_keyword import type_names

SMALL = 100
SHORT = 12
KEY = "^[a-z][a-z0-9_]{0,15}$"
NAME = "^[A-Za-z_$@][A-Za-z0-9_.$@-]{0,63}$"
CHARACTERS = "[A-Za-z0-9 ._-]"
TEXT = f"^{CHARACTERS}{{0,{SHORT}}}$"
SURROGATE = re.compile("[\ud800-\udfff]")
NAMES = re.compile(NAME)
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_VALUES = ("items", "additionalProperties", "not", "if", "then", "else", "contains",
                 "propertyNames", "unevaluatedProperties", "unevaluatedItems")


def readable_components(components: Mapping[str, Any], closed: bool = True) -> dict[str, Any]:
    """``components`` with every schema of ``components/schemas`` narrowed."""
    narrowed = dict(components)
    schemas = components.get("schemas")
    if isinstance(schemas, Mapping):
        narrowed["schemas"] = {name: readable(schema, closed) for name, schema in schemas.items()}
    return narrowed


def readable(schema: Any, closed: bool = True) -> Any:
    """``schema`` narrowed as the module says (a new mapping; the document's is not touched)."""
    if not isinstance(schema, Mapping) or ("$ref" in schema and len(schema) == 1):
        return schema
    narrowed = dict(schema)
    for key in SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            narrowed[key] = [readable(branch, closed) for branch in schema[key]]
    for key in SCHEMA_MAPS:
        if isinstance(schema.get(key), Mapping):
            narrowed[key] = {name: readable(branch, closed) for name, branch in schema[key].items()}
    for key in SCHEMA_VALUES:
        if key in schema:
            narrowed[key] = readable(schema[key], closed)
    types = type_names(schema)
    if "enum" in schema or "const" in schema:
        return narrowed
    if types & {"integer", "number"} and "multipleOf" not in schema:
        narrowed.update(_bounds(schema))
    if "string" in types and not {"pattern", "format", "contentEncoding", "contentMediaType"} & set(schema):
        low = schema.get("minLength", 0) if isinstance(schema.get("minLength"), int) else 0
        high = schema.get("maxLength") if isinstance(schema.get("maxLength"), int) else max(low, SHORT)
        narrowed["pattern"] = f"^{CHARACTERS}{{{low},{high}}}$"
    if ("object" in types or "properties" in schema) and "propertyNames" not in schema \
            and schema.get("additionalProperties") is not False:
        declared = [*(schema.get("properties") or {}), *(schema.get("required") or ())]
        names = KEY if closed else NAME
        narrowed["propertyNames"] = {"anyOf": [{"enum": declared}, {"pattern": names}]} if declared \
            else {"pattern": names}
        if schema.get("additionalProperties", True) is True and "patternProperties" not in schema \
                and (closed or not declared):
            # Undeclared members, any JSON at all: none beside declared ones, short texts in a free map.
            narrowed["additionalProperties"] = False if declared else {"type": "string", "pattern": TEXT}
    return narrowed


def plain(value: Any) -> Any:
    """A drawn value as a person would write it: ``52`` for ``52.0`` (the same JSON Schema number),
    and no lone surrogates in text or keys (UTF-8 JSON cannot carry them)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str):
        return SURROGATE.sub("", value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {SURROGATE.sub("", key): plain(item) for key, item in value.items()}
    return value


def tidy(value: Any) -> Any:
    """``value`` without the members whose names do not look like names (``NAME``), at any depth:
    what a draw narrowed open puts in undeclared members (``{"J": {"Ð\\x8c/º": 1.8e16}}``)."""
    if isinstance(value, list):
        return [tidy(item) for item in value]
    if isinstance(value, dict):
        return {key: tidy(item) for key, item in value.items() if NAMES.fullmatch(key)}
    return value


def _bounds(schema: Mapping[str, Any]) -> dict[str, Any]:
    lows = [schema[key] for key in ("minimum", "exclusiveMinimum") if _is_number(schema.get(key))]
    highs = [schema[key] for key in ("maximum", "exclusiveMaximum") if _is_number(schema.get(key))]
    if lows and highs:
        return {}
    if lows:
        return {"maximum": max(lows) + SMALL}
    if highs:
        return {"minimum": min(highs) - SMALL}
    return {"minimum": 0, "maximum": SMALL}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
