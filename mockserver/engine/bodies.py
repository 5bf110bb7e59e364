"""The item a request sends, as the collection stores it: taken out of its envelope
(``{"data": ...}``), its fields named as the item's (Twilio's form field ``FriendlyName`` is the
item's ``friendly_name``), and the parent path parameters an item names filled in (``AccountSid``
in ``account_sid``); the item properties a replacing body can say (``writable_names``); and the
helpers of ids in URLs and of JSON Merge Patch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.core.type_keyword import type_names
from mockserver.engine.envelopes import resource_of, unwrapped
from mockserver.engine.inference import Collection, Route
from mockserver.engine.messages import Request
from mockserver.engine.naming import as_item_names
from mockserver.engine.reading import normal_name, object_shape, request_schema_pointer, schema_at


def path_parameter(request: Request, name: str) -> str:
    """A path parameter's value (routing writes ``{file-id}`` as ``file_id``)."""
    return request.path_params.get(name) or request.path_params.get(name.replace("-", "_"), "")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: objects merge, null removes, anything else replaces."""
    if not isinstance(patch, Mapping):
        return patch
    result = dict(target) if isinstance(target, Mapping) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result


def typed(schema: Mapping[str, Any], item_id: str) -> Any:
    """An id from a URL as the schema types it (``"7"`` is 7 for an integer id)."""
    types = type_names(schema)
    if "integer" in types or "number" in types:
        try:
            number = float(item_id)
        except ValueError:
            return item_id
        if number.is_integer() and abs(number) < 2**53:  # "7.0" is 7, as in JSON Schema
            return int(number)
    return item_id


def sent_item(spec: Spec, route: Route, collection: Collection, request: Request) -> dict[str, Any]:
    """The item a request body sends, as the collection stores it."""
    body = request.body if isinstance(request.body, Mapping) else {}
    if route.body_key is not None and isinstance(body.get(route.body_key), Mapping):
        body = body[route.body_key]
    properties, required = object_shape(spec.raw, schema_at(spec, collection.item_schema))
    item = as_item_names(body, properties, required)
    if route.verb == "create":
        scope = {normal_name(name): path_parameter(request, name) for name in collection.scope_parameters}
        for name, schema in properties.items():
            if name not in item and normal_name(name) in scope:
                resolved = follow_refs(spec.raw, schema)
                schema = resolved if isinstance(resolved, Mapping) else {}
                item[name] = typed(schema, scope[normal_name(name)])
    return item


def writable_names(spec: Spec, route: Route, collection: Collection) -> frozenset[str] | None:
    """The item properties ``route``'s request body can say: those its schema (or one of its
    ``anyOf``/``oneOf`` kinds) declares and does not mark read-only, named as the item's. None where
    it declares none: a free-form body can say anything. What a body cannot say, a replacing
    request cannot have meant to remove (DigitalOcean's SSH key ``PUT`` sends only its ``name``)."""
    sent = request_schema_pointer(spec, route.operation)
    schema = schema_at(spec, unwrapped(spec, sent, resource_of(route.operation.path))[0])
    names: set[str] = set()
    for part in (schema, *(schema.get("anyOf") or ()), *(schema.get("oneOf") or ())):
        properties, _ = object_shape(spec.raw, part)
        for name, declared in properties.items():
            found = follow_refs(spec.raw, declared)
            if not (isinstance(found, Mapping) and found.get("readOnly")):
                names.add(name)
    if not names:
        return None
    item_properties, required = object_shape(spec.raw, schema_at(spec, collection.item_schema))
    return frozenset(as_item_names(dict.fromkeys(names), item_properties, required))
