"""The admin API's collections, for any document: list the engine's collections, and list, put
and delete the items of one (``/__mockserver/collections/{collection}/items[/{item_id}]``).

``collection`` is the collection's path without its leading ``/`` (``pets``; a nested one with
its ``/`` percent-encoded, ``owners%2F{ownerId}%2Fpets``), and ``scope`` the values of its
parent path parameters, in order (``?scope=7``). A put item is validated like a fixture item:
against the item schema, its id property set from the path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mockserver.core.schema import first_error
from mockserver.core.schema_messages import explain
from mockserver.engine import Engine
from mockserver.engine.bodies import typed
from mockserver.engine.inference import Collection
from mockserver.engine.items import Item, Place
from mockserver.errors import NotFound, ValidationFailed


def listed(engine: Engine) -> list[dict[str, Any]]:
    return [{"collection": c.path.lstrip("/"), "path": c.path, "item_path": c.item_path,
             "id_property": c.id_property, "scope_parameters": list(c.scope_parameters)}
            for c in engine.collections.values()]


def place_of(engine: Engine, collection: str, scope: Sequence[str] | None) -> tuple[Collection, Place]:
    """The collection named ``collection`` and the place ``scope`` puts it (``NotFound``/422)."""
    found = engine.collections.get("/" + collection.lstrip("/"))
    if found is None:
        known = ", ".join(sorted(c.lstrip("/") for c in engine.collections)) or "none"
        raise NotFound(f"No collection {collection!r} (collections: {known})")
    values = tuple(scope or ())
    if len(values) != len(found.scope_parameters):
        raise ValidationFailed(f"{found.path} needs scope values for {list(found.scope_parameters)} "
                               f"(?scope=...), got {len(values)}", pointer="/query/scope")
    return found, (found.path, values)


def checked_item(engine: Engine, collection: Collection, item_id: str, body: Any) -> Item:
    if not isinstance(body, dict):
        raise ValidationFailed("An item is a JSON object", pointer="/body")
    item = {**body, collection.id_property: typed(collection.id_schema, item_id)}
    if collection.item_schema is not None:
        error = first_error(engine.spec.validator(collection.item_schema), item)
        if error is not None:
            where = "/".join(map(str, error.absolute_path))
            raise ValidationFailed(explain(error, "the item"), pointer=f"/body/{where}".rstrip("/"))
    return item
