"""``ItemStore`` on Redis: the engine's collections shared by every worker and kept across restarts.

Keys in the mock's key space ``{P}:`` (``redis_client.key_space``), per place (a collection path
and its scope): ``{P}:i:h:<place>`` (a hash of id -> item as JSON) and ``{P}:i:o:<place>`` (a sorted
set keeping insertion order); per collection, ``{P}:i:n:<path>`` (the last number handed to
``create``). Creates and updates are read,
applied and written under ``WATCH``, retried when another writer got there first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from redis.exceptions import WatchError

from mockserver.engine.items import Item, Place, id_number
from mockserver.errors import StoreUnavailable
from mockserver.stores.redis_client import Clients, OnRedis, drop_prefix, part, unavailable_as_503
from mockserver.stores.redis_values import dumps, loads, text
from mockserver.stores.redis_writes import WATCH_RETRIES, KeyLocks


@unavailable_as_503
class RedisItemStore(OnRedis):
    def __init__(self, clients: Clients, prefix: str) -> None:
        super().__init__(clients, prefix, "i:")
        self.locks = KeyLocks()

    def _place(self, place: Place) -> str:
        return ":".join([part(place[0]), *map(part, place[1])]) + f":{len(place[1])}"

    def _hash(self, place: Place) -> str:
        return f"{self.prefix}h:{self._place(place)}"

    def _order(self, place: Place) -> str:
        return f"{self.prefix}o:{self._place(place)}"

    def _counter(self, place: Place) -> str:
        return f"{self.prefix}n:{part(place[0])}"

    async def replace_all(self, items: Iterable[tuple[Place, str, Item]]) -> None:
        counters: dict[str, int] = {}
        sequence = 0
        async with self.client().pipeline(transaction=True) as pipe:
            drop_prefix(pipe, self.prefix)
            for sequence, (place, item_id, item) in enumerate(items, start=1):
                pipe.hset(self._hash(place), item_id, dumps(item))
                pipe.zadd(self._order(place), {item_id: sequence})
                counter = self._counter(place)
                counters[counter] = max(counters.get(counter, 0), id_number(item_id))
            for counter, number in counters.items():
                pipe.set(counter, number)
            pipe.set(f"{self.prefix}seq", sequence)  # later writes order after the fixtures
            await pipe.execute()

    async def list(self, place: Place) -> list[Item]:
        ids = await self.client().zrange(self._order(place), 0, -1)
        if not ids:
            return []
        raw = await self.client().hmget(self._hash(place), [text(item_id) for item_id in ids])
        return [loads(value) for value in raw if value is not None]

    async def get(self, place: Place, item_id: str) -> Item | None:
        return cast(Item | None, loads(await self.client().hget(self._hash(place), item_id)))

    async def create(self, place: Place, make: Callable[[int], tuple[str, Item]]) -> Item:
        counter = self._counter(place)

        async def attempt(pipe: Any) -> Item:
            await pipe.watch(counter)
            number = int(await pipe.get(counter) or 0) + 1
            item_id, item = make(number)
            sequence = await self.client().incr(f"{self.prefix}seq")
            pipe.multi()
            pipe.set(counter, max(number, id_number(item_id)))
            self._queue_put(pipe, place, item_id, item, sequence)
            await pipe.execute()
            return item

        return cast(Item, await self._retrying(attempt, place))

    async def update(self, place: Place, item_id: str, change: Callable[[Item], Item],
                     create: bool = False) -> Item | None:
        key = self._hash(place)

        async def attempt(pipe: Any) -> Item | None:
            await pipe.watch(key)
            current = loads(await pipe.hget(key, item_id))
            if current is None and not create:
                await pipe.unwatch()
                return None
            changed = change(current or {})
            sequence = await self.client().incr(f"{self.prefix}seq")
            pipe.multi()
            self._queue_put(pipe, place, item_id, changed, sequence)
            await pipe.execute()
            return changed

        return cast(Item | None, await self._retrying(attempt, place))

    def _queue_put(self, pipe: Any, place: Place, item_id: str, item: Item, sequence: int) -> None:
        pipe.hset(self._hash(place), item_id, dumps(item))
        pipe.zadd(self._order(place), {item_id: sequence}, nx=True)

    async def _retrying(self, attempt: Callable[[Any], Any], place: Place) -> Any:
        async with self.locks.holding(place[0]), self.client().pipeline(transaction=True) as pipe:
            for _ in range(WATCH_RETRIES):
                try:
                    return await attempt(pipe)
                except WatchError:
                    continue
        raise StoreUnavailable(f"{place[0]} changed {WATCH_RETRIES} times while being written")

    async def delete(self, place: Place, item_id: str) -> Item | None:
        async with self.client().pipeline(transaction=True) as pipe:
            pipe.hget(self._hash(place), item_id)
            pipe.hdel(self._hash(place), item_id)
            pipe.zrem(self._order(place), item_id)
            raw, _, _ = await pipe.execute()
        return cast(Item | None, loads(raw))
