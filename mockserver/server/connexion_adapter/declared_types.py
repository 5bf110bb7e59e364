"""Schemas as Connexion's parameter and form handling reads them: a 3.1 type declared inside
``anyOf`` (or a list of types) found where Connexion looks for ``schema["type"]``, a file field
as Connexion's ``format: binary``, and whether a schema admits null."""

from __future__ import annotations

from typing import Any

from mockserver.server.connexion_adapter.validation import TEXT_OR

PRIMITIVE_TYPES = ("string", "integer", "number", "boolean")


def declared_type(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the single ``type: T`` Connexion expects, where 3.1 allows more.

    Connexion reads ``schema["type"]`` (and an array's ``items["type"]``) to coerce parameters,
    and 3.1 documents may declare the type only inside ``anyOf`` (``anyOf: [T, null]`` becomes
    ``T``), or as a list (``[T, null]`` becomes ``T``; ``[integer, string]`` becomes ``string``:
    the text is kept as it came). A value in a URL is never JSON null.
    """
    declared = schema.get("type")
    if declared is None and "anyOf" in schema:
        branches = [branch for branch in schema["anyOf"] if not _is_null(branch)]
        if len(branches) == 1:  # anyOf: [{type: array, items: ...}, null]: the branch's keywords too
            schema = {**{k: v for k, v in branches[0].items() if k not in schema}, **schema}
    if isinstance(schema.get("items"), dict):
        schema = {**schema, "items": declared_type(schema["items"])}
    if isinstance(declared, list):
        types = set(declared) - {"null"}
    elif declared is None and "anyOf" in schema:
        types = _branch_types(schema["anyOf"]) - {"null"}
    else:
        return schema
    if "string" in types and types <= set(PRIMITIVE_TYPES):
        # Kept as text for Connexion; validated against every type it may be (``validation``).
        return {**schema, "type": "string", TEXT_OR: sorted(types)}
    if len(types) != 1 or not types <= {*PRIMITIVE_TYPES, "array", "object"}:
        return schema
    return {**schema, "type": types.pop()}


def _is_null(branch: Any) -> bool:
    return isinstance(branch, dict) and branch.get("type") == "null"


def _branch_types(branches: Any) -> set[Any]:
    """The types the branches of an ``anyOf`` name (a branch's list of types, as Microsoft Graph
    writes ``type: [string, null]`` in one, counts each); None for a branch that names none."""
    types: set[Any] = set()
    for branch in branches if isinstance(branches, list) else ():
        named = branch.get("type") if isinstance(branch, dict) else None
        types.update(name for name in (named if isinstance(named, list) else [named])
                     if name is None or isinstance(name, str))
    return types


def with_declared_type(parameter: dict[str, Any]) -> dict[str, Any]:
    """``parameter`` with its schema's type declared as Connexion expects (``declared_type``)."""
    schema = parameter.get("schema")
    if not isinstance(schema, dict):
        return parameter
    declared = declared_type(schema)
    return parameter if declared == schema else {**parameter, "schema": declared}


def form_field(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    declared = as_connexion_file(declared_type(schema))
    if not isinstance(declared.get("type"), str):
        return {**declared, "type": "string"}
    if declared["type"] != "string" and allows_null(schema):
        # A form has no JSON null: the text "null" in a field that may be null and is no string
        # can only mean null (Connexion's parser reads it so for x-nullable fields).
        return {**declared, "x-nullable": True}
    return declared


def as_connexion_file(schema: dict[str, Any]) -> dict[str, Any]:
    """A file field (3.1's ``contentMediaType``) spelt ``format: binary``, as Connexion knows files."""
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict):
        return {**schema, "items": as_connexion_file(items)}
    if schema.get("type") == "string" and is_file(schema) and "format" not in schema:
        return {**schema, "format": "binary"}
    return schema


def is_file(schema: Any) -> bool:
    """Whether a form field's schema is a file: ``format: binary``, or in 3.1 terms a
    ``contentMediaType`` of octet-stream or a base64 ``contentEncoding``."""
    return isinstance(schema, dict) and (
        schema.get("format") in ("binary", "base64")
        or schema.get("contentMediaType") == "application/octet-stream"
        or schema.get("contentEncoding") == "base64")


def allows_null(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    if isinstance(declared, list):
        return "null" in declared
    branches = schema.get("anyOf", ())
    return any(isinstance(branch, dict) and branch.get("type") == "null" for branch in branches)
