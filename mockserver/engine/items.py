"""Where the engine keeps the items of its collections: the ``ItemStore`` interface and its
in-memory implementation.

An item lives in a collection (its path template, ``/owners/{ownerId}/pets``) under the values of
the collection's parent path parameters (its scope: ``("7",)``), by its id as written in a URL.
Collections keep insertion order. Every change is atomic: ``update`` applies a function to the
current item and stores its result in one step, so concurrent writers lose nothing. Handlers
never know which store runs. In memory, the store keeps to its ``Bounds`` (items per collection
and scope, bytes in all): a write past them raises ``StoreFull`` and stores nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from mockserver.core.bounds import Bounds, json_size

Item = dict[str, Any]
Scope = tuple[str, ...]
Place = tuple[str, Scope]  # collection path template and scope


class ItemStore(Protocol):
    async def replace_all(self, items: Iterable[tuple[Place, str, Item]]) -> None:
        """Drop every item and hold ``items`` (place, id, item) instead (a reset)."""

    async def list(self, place: Place) -> list[Item]: ...

    async def get(self, place: Place, item_id: str) -> Item | None: ...

    async def create(self, place: Place, make: Callable[[int], tuple[str, Item]]) -> Item:
        """Store ``make(n)``'s item under its id, ``n`` being one more than the number of items
        ever created in this collection (the next integer id)."""

    async def update(self, place: Place, item_id: str, change: Callable[[Item], Item],
                     create: bool = False) -> Item | None:
        """Replace the item with ``change(item)``; None (nothing stored) if there is no such item,
        unless ``create``: then ``change({})`` is stored under ``item_id``."""

    async def delete(self, place: Place, item_id: str) -> Item | None:
        """Remove the item and return it; None if there was none."""


class InMemoryItemStore:
    """Items in dictionaries, changed under one lock, within ``bounds``."""

    def __init__(self, items: Iterable[tuple[Place, str, Item]] = (), bounds: Bounds | None = None) -> None:
        self._items: dict[Place, dict[str, Item]] = {}
        self._counters: dict[str, int] = {}
        self._sizes: dict[tuple[Place, str], int] = {}
        self._bounds = bounds or Bounds()
        self._lock = asyncio.Lock()
        self._fill(items)

    def _fill(self, items: Iterable[tuple[Place, str, Item]]) -> None:
        self._bounds.take(-sum(self._sizes.values()))
        self._items, self._counters, self._sizes = {}, {}, {}
        for place, item_id, item in items:
            self._put(place, item_id, item, checked=False)
            self._counters[place[0]] = max(self._counters.get(place[0], 0), id_number(item_id))

    def _put(self, place: Place, item_id: str, item: Item, checked: bool = True) -> None:
        """Store ``item``; unless loading fixtures, only within the bounds (else ``StoreFull``)."""
        held = self._items.get(place, {})
        size, key = json_size(item), (place, item_id)
        growth = size - self._sizes.get(key, 0)
        if checked:
            if item_id not in held:
                self._bounds.check_room(len(held), place[0])
            self._bounds.check_growth(growth)
        self._bounds.take(growth)
        self._sizes[key] = size
        self._items.setdefault(place, {})[item_id] = item

    async def replace_all(self, items: Iterable[tuple[Place, str, Item]]) -> None:
        async with self._lock:
            self._fill(items)

    async def list(self, place: Place) -> list[Item]:
        return list(self._items.get(place, {}).values())

    async def get(self, place: Place, item_id: str) -> Item | None:
        return self._items.get(place, {}).get(item_id)

    async def create(self, place: Place, make: Callable[[int], tuple[str, Item]]) -> Item:
        async with self._lock:
            number = self._counters.get(place[0], 0) + 1
            item_id, item = make(number)
            self._put(place, item_id, item)
            self._counters[place[0]] = max(number, id_number(item_id))
            return item

    async def update(self, place: Place, item_id: str, change: Callable[[Item], Item],
                     create: bool = False) -> Item | None:
        async with self._lock:
            items = self._items.get(place, {})
            if item_id not in items and not create:
                return None
            changed = change(items.get(item_id, {}))
            self._put(place, item_id, changed)
            return changed

    async def delete(self, place: Place, item_id: str) -> Item | None:
        async with self._lock:
            self._bounds.take(-self._sizes.pop((place, item_id), 0))
            return self._items.get(place, {}).pop(item_id, None)


ID_DIGITS = 18  # longer numbers are not counted: a Redis counter holds a signed 64-bit integer


def id_number(item_id: str) -> int:
    """The number an id spells in ASCII digits (0 for any other id, "²" or one too long): a
    collection's next id comes after it."""
    return int(item_id) if len(item_id) <= ID_DIGITS and item_id.isascii() and item_id.isdigit() else 0
