"""Where a mock keeps its state: in its own memory (the default), or in Redis, shared by every
worker and replica on the same prefix and kept across restarts.

``open_stores(config, ...)`` gives what a mock needs, behind their interfaces: the request journal,
how to make the engine's item store (the engine knows its fixture items only once it has read the
documents), and the bounds or the Redis connection a profile keeps its own state with. Handlers and
the engine never know which store runs.
``prepare`` is what a start does before it binds: reach the store (a clear error naming the URL if
it cannot) and load the fixtures where the prefix holds no state yet, or always with
``--reset-on-start``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mockserver.config import Config
from mockserver.core.bounds import Bounds
from mockserver.core.journal import InMemoryJournal, Journal
from mockserver.engine.items import InMemoryItemStore, Item, ItemStore, Place
from mockserver.errors import ConfigError

FixtureItems = list[tuple[Place, str, Item]]


class Namespace(Protocol):
    """A shared store's prefix: reachable or not, loaded or not, and its keys (its key space:
    every key of the prefix and none of another's, ``redis_client.key_space``)."""

    url: str
    prefix: str

    async def ping(self) -> None: ...

    async def loaded(self) -> bool:
        """Whether fixtures were loaded under the prefix (by any process, ever)."""

    async def mark_loaded(self) -> None: ...

    async def drop(self) -> None:
        """Remove every key of the prefix's key space."""

    async def close(self) -> None:
        """Close the connection of the running event loop."""


def default_prefix(documents: Iterable[Path]) -> str:
    """``mockserver:<first document's name>-<hash of every document's content>``: mocks of the
    same documents share state, mocks of different ones do not."""
    paths = list(documents)
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return f"mockserver:{paths[0].stem}-{digest.hexdigest()[:8]}"


@dataclass
class Stores:
    journal: Journal
    make_items: Callable[[FixtureItems], ItemStore]
    namespace: Namespace | None = None  # None: memory
    bounds: Bounds | None = None  # what the memory stores may hold together (None: Redis's maxmemory)
    redis: tuple[Any, str] | None = None  # the Redis clients and the prefix, for a profile's own store


def open_stores(config: Config, documents: Iterable[Path]) -> Stores:
    if config.store == "memory":
        bounds = Bounds(config.max_items, config.max_store_bytes)
        return Stores(InMemoryJournal(config.journal_size), lambda items: InMemoryItemStore(items, bounds),
                      bounds=bounds)
    from mockserver.stores.redis_client import Clients, RedisNamespace  # redis only when used
    from mockserver.stores.redis_items import RedisItemStore
    from mockserver.stores.redis_journal import RedisJournal

    clients = Clients(config.store)
    prefix = config.store_prefix or default_prefix(documents)
    return Stores(RedisJournal(clients, prefix, config.journal_size),
                  lambda _: RedisItemStore(clients, prefix), RedisNamespace(clients, prefix),
                  redis=(clients, prefix))


async def prepare(stores: Stores, config: Config, loads: Iterable[Callable[[], Awaitable[Any]]]) -> str:
    """Reach the store and load the fixtures where needed (each of ``loads``: the engine's, the
    profile's); what happened, for the banner.
    ``ConfigError`` naming the URL when the store cannot be reached. Run in an event loop of its
    own before serving: its connection is closed at the end."""
    namespace = stores.namespace
    if namespace is None:
        return "memory (this process only; a restart starts from the fixtures)"
    try:
        await namespace.ping()
        if config.reset_on_start or not await namespace.loaded():
            for load in loads:
                await load()
            await namespace.mark_loaded()
            why = "--reset-on-start" if config.reset_on_start else "the prefix was empty"
            kept = f"fixtures loaded ({why})"
        else:
            kept = "state kept from earlier runs (--reset-on-start reloads the fixtures)"
    except Exception as exc:  # whatever the client raises: one line naming the URL
        raise ConfigError(f"cannot reach the store at {namespace.url}: {exc}") from None
    finally:
        await namespace.close()
    return f"{namespace.url}, prefix {namespace.prefix!r}: {kept}"
