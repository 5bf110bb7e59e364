"""The item a request sends, as the collection stores it: taken out of its envelope
(``{"data": ...}``), its fields named as the item's (Twilio's form field ``FriendlyName`` is the
item's ``friendly_name``), and the parent path parameters an item names filled in (``AccountSid``
in ``account_sid``); and the helpers of ids in URLs and of JSON Merge Patch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.core.type_keyword import type_names
from mockserver.engine.inference import Collection, Route
from mockserver.engine.messages import Request
from mockserver.engine.naming import as_item_names
from mockserver.engine.reading import normal_name, object_shape, schema_at


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

