"""Reading what the engine needs from an operation: its success response, the JSON schema of a
body, and the parameters that apply to it (path-level and operation-level, ``$ref``s resolved);
and from a schema: an object's properties and required names, and names compared loosely."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mockserver.core.pointers import follow_refs, local_pointer, pointer, resolve_pointer
from mockserver.core.spec import Operation, Spec

JSON_MEDIA = "application/json"
FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")  # bodies stored like JSON ones


def json_media_type(content: Mapping[str, Any] | None) -> str | None:
    """The JSON media type of a ``content`` map: ``application/json``, else any ``...json``."""
    if not content:
        return None
    if JSON_MEDIA in content:
        return JSON_MEDIA
    return next((media for media in content if media.split(";")[0].strip().endswith("json")), None)


def success_status(operation: Operation) -> str | None:
    """The documented status a success answers with: the lowest 2xx, else ``2XX``, else ``default``."""
    codes = [str(code) for code in operation.definition.get("responses") or {}]
    exact = sorted(code for code in codes if code.isdigit() and code.startswith("2"))
    for candidate in (*exact, "2XX", "default"):
        if candidate in codes:
            return candidate
    return None


def documents_status(operation: Operation, status: int) -> bool:
    """Whether the operation documents ``status`` (exactly, as ``4XX``, or by ``default``)."""
    codes = {str(code) for code in operation.definition.get("responses") or {}}
    return bool({str(status), f"{str(status)[0]}XX", "default"} & codes)


def response(spec: Spec, operation: Operation, status: str) -> Mapping[str, Any]:
    found = follow_refs(spec.raw, (operation.definition.get("responses") or {}).get(status) or {})
    return found if isinstance(found, Mapping) else {}


def response_schema_pointer(spec: Spec, operation: Operation, status: str | None) -> str | None:
    """The JSON pointer of the JSON schema of ``status``'s response (None without one)."""
    if status is None:
        return None
    raw = (operation.definition.get("responses") or {}).get(status) or {}
    base = pointer("paths", operation.path, operation.method, "responses", status)
    if isinstance(raw, Mapping) and isinstance(raw.get("$ref"), str):
        base = local_pointer(raw["$ref"])
    content = response(spec, operation, status).get("content") or {}
    media = json_media_type(content)
    if media is None or "schema" not in content[media]:
        return None
    return f"{base}{pointer('content', media, 'schema')}"


def request_schema_pointer(spec: Spec, operation: Operation) -> str | None:
    """The JSON pointer of the schema of the operation's JSON request body, else its form body
    (None without one)."""
    raw = operation.definition.get("requestBody")
    if raw is None:
        return None
    base = local_pointer(raw["$ref"]) if isinstance(raw.get("$ref"), str) else pointer(
        "paths", operation.path, operation.method, "requestBody")
    body = follow_refs(spec.raw, raw)
    content = body.get("content") or {}
    media = json_media_type(content) or next((media for media in FORM_MEDIA if media in content), None)
    if media is None or "schema" not in content[media]:
        return None
    return f"{base}{pointer('content', media, 'schema')}"


def parameters(spec: Spec, operation: Operation) -> list[Mapping[str, Any]]:
    """The operation's parameters, path-level ones included (an operation's own win)."""
    item = spec.raw["paths"][operation.path]
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for raw in [*(item.get("parameters") or ()), *(operation.definition.get("parameters") or ())]:
        parameter = follow_refs(spec.raw, raw)
        found[(parameter.get("in", ""), parameter.get("name", ""))] = parameter
    return list(found.values())


def schema_at(spec: Spec, schema_pointer: str | None) -> Mapping[str, Any]:
    """The schema at ``schema_pointer`` with its own ``$ref``s followed ({} for None)."""
    if schema_pointer is None:
        return {}
    found = follow_refs(spec.raw, resolve_pointer(spec.raw, schema_pointer))
    return found if isinstance(found, Mapping) else {}


def object_shape(document: Mapping[str, Any], schema: Any) -> tuple[dict[str, Any], set[str]]:
    """An object schema's properties and required names, its ``allOf`` parts (and theirs) merged."""
    schema = follow_refs(document, schema)
    if not isinstance(schema, Mapping):
        return {}, set()
    properties = dict(schema.get("properties") or {})
    required = set(schema.get("required") or ())
    for part in schema.get("allOf") or ():
        more, needed = object_shape(document, part)
        properties.update(more)
        required |= needed
    return properties, required


def shared_properties(document: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """An object schema's properties; for a choice of kinds (``anyOf``, ``oneOf``: Asana's
    memberships), the properties every kind has."""
    properties, _ = object_shape(document, schema)
    resolved = follow_refs(document, schema)
    branches = (resolved.get("anyOf") or resolved.get("oneOf") or ()) if isinstance(resolved, Mapping) else ()
    if properties or not branches:
        return properties
    shapes = [shared_properties(document, branch) for branch in branches]
    return {name: found for name, found in shapes[0].items() if all(name in other for other in shapes[1:])}


def normal_name(name: str) -> str:
    """A name compared loosely: lower case, letters and digits only (``pet_id``, ``PetId``: ``petid``)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())
