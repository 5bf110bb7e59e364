"""The generic admin API (``admin.yaml``, under ``/__mockserver/``), for any document: put the
state back to the fixtures, read (``filters``) and empty the request journal, verify what was
called (``verify``), read and change the items of the engine's collections (``collections``), read
what the mock sent (callbacks and webhooks) and register webhook receivers (``webhooks``). A
profile adds an admin document of its own (the AgentOS profile: its sessions). No web code:
Connexion calls these like any handler.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.admin import collections, webhooks
from mockserver.admin.filters import Filters
from mockserver.admin.verify import Expectation, verified
from mockserver.core.deliveries import DeliveryLog, Receivers
from mockserver.core.journal import Journal
from mockserver.engine import Engine
from mockserver.engine.items import Item
from mockserver.errors import NotFound

ADMIN_DOCUMENT = Path(__file__).with_name("admin.yaml")


@dataclass(frozen=True)
class AdminContext:
    journal: Journal
    reset: Callable[[], Awaitable[dict[str, int]]]  # the state's: what the fixtures hold, by kind
    engine: Engine
    # the operation ``method path`` was routed to (operationId, else METHOD /path), or None
    operation_of: Callable[[str, str], str | None] = lambda method, path: None
    deliveries: DeliveryLog | None = None  # the callbacks and webhooks sent or refused
    receivers: Receivers | None = None  # the webhooks' receivers
    callback_hosts: tuple[str, ...] = ("loopback",)  # where a receiver may be


async def reset_state(context: AdminContext) -> tuple[dict[str, int], int]:
    return await context.reset(), 200


async def _entries(context: AdminContext) -> list[dict[str, Any]]:
    """The journal, each entry naming the operation it was routed to."""
    return [{**entry, "operation": context.operation_of(entry["method"], entry["path"])}
            for entry in await context.journal.entries()]


async def list_requests(context: AdminContext, **filters: Any
                        ) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    wanted = Filters.read(filters, "/query", body_as_text=True)
    matching = [entry for entry in await _entries(context) if not wanted.differences(entry)]
    return matching, 200, {"Mockserver-Count": str(len(matching))}


async def verify_requests(context: AdminContext, body: Any) -> tuple[dict[str, Any], int]:
    return verified(Expectation.read(body), await _entries(context)), 200


async def clear_requests(context: AdminContext) -> tuple[None, int]:
    await context.journal.clear()
    return None, 204


async def list_collections(context: AdminContext) -> tuple[list[dict[str, Any]], int]:
    return collections.listed(context.engine), 200


async def list_items(context: AdminContext, collection: str, scope: list[str] | None = None
                     ) -> tuple[list[Item], int]:
    _, place = collections.place_of(context.engine, collection, scope)
    return await context.engine.store.list(place), 200


async def put_item(context: AdminContext, collection: str, item_id: str, body: Any,
                   scope: list[str] | None = None) -> tuple[Item, int]:
    found, place = collections.place_of(context.engine, collection, scope)
    item = collections.checked_item(context.engine, found, item_id, body)
    existed = await context.engine.store.get(place, item_id) is not None
    await context.engine.store.update(place, item_id, lambda _: item, create=True)
    return item, 200 if existed else 201


async def delete_item(context: AdminContext, collection: str, item_id: str,
                      scope: list[str] | None = None) -> tuple[None, int]:
    _, place = collections.place_of(context.engine, collection, scope)
    if await context.engine.store.delete(place, item_id) is None:
        raise NotFound(f"No item {item_id!r} in {collection!r}")
    return None, 204


async def list_deliveries(context: AdminContext) -> tuple[list[dict[str, Any]], int]:
    return webhooks.listed_deliveries(context.deliveries), 200


async def clear_deliveries(context: AdminContext) -> tuple[None, int]:
    if context.deliveries is not None:
        context.deliveries.clear()
    return None, 204


async def list_webhooks(context: AdminContext) -> tuple[list[dict[str, Any]], int]:
    return webhooks.listed_receivers(context.receivers), 200


async def put_webhook(context: AdminContext, name: str, body: Any) -> tuple[dict[str, Any], int]:
    return webhooks.registered(context.receivers, context.callback_hosts, name, body)


async def delete_webhook(context: AdminContext, name: str) -> tuple[None, int]:
    webhooks.unregistered(context.receivers, name)
    return None, 204


ADMIN_HANDLERS: dict[str, Callable[..., Any]] = {
    "reset_state": reset_state, "list_requests": list_requests, "clear_requests": clear_requests,
    "verify_requests": verify_requests,
    "list_collections": list_collections, "list_items": list_items, "put_item": put_item,
    "delete_item": delete_item, "list_deliveries": list_deliveries,
    "clear_deliveries": clear_deliveries, "list_webhooks": list_webhooks,
    "put_webhook": put_webhook, "delete_webhook": delete_webhook}


def admin_handler(operation_id: str, context: AdminContext) -> Callable[..., Any]:
    """The handler of the admin operation ``operation_id`` (``KeyError`` if there is none)."""
    return functools.partial(ADMIN_HANDLERS[operation_id], context)
