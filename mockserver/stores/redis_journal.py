"""The request journal on Redis: one bounded stream for every worker, so the admin API lists the
requests all of them answered.

Each request is one stream entry of its raw fields (``{P}:journal``), trimmed to about the journal's
size as it is added, and turned into the admin API's JSON only when listed, as in memory. Entries
are written in batches: the requests a worker finishes within ``BATCH_SECONDS`` go to Redis in one
pipeline (one round trip per request cost as much CPU as the rest of a PATCH). A worker's own
listing waits for its pending batch; another worker's requests show within milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any

from redis.exceptions import RedisError

from mockserver.core.journal import BODY_LIMIT, Entry
from mockserver.stores.redis_client import Clients, OnRedis, unavailable_as_503
from mockserver.stores.redis_values import dumps, loads

logger = logging.getLogger("mockserver")
BATCH_SECONDS = 0.005  # how long a worker gathers requests before writing them in one round trip
Loop = asyncio.AbstractEventLoop


@unavailable_as_503
class RedisJournal(OnRedis):
    def __init__(self, clients: Clients, prefix: str, size: int) -> None:
        super().__init__(clients, prefix)
        self.key = f"{self.prefix}journal"
        self.size = size
        self._pending: weakref.WeakKeyDictionary[Loop, list[Entry]] = weakref.WeakKeyDictionary()
        self._flushes: weakref.WeakKeyDictionary[Loop, asyncio.Task[None]] = weakref.WeakKeyDictionary()

    async def record(self, entry: Entry) -> None:
        loop = asyncio.get_running_loop()
        pending = self._pending.setdefault(loop, [])
        pending.append(entry)
        if len(pending) == 1:
            self._flushes[loop] = loop.create_task(self._flush(loop, self._flushes.get(loop)))

    async def _flush(self, loop: Loop, previous: asyncio.Task[None] | None) -> None:
        await asyncio.sleep(BATCH_SECONDS)  # the requests finishing meanwhile add theirs
        entries = self._pending.pop(loop, [])
        if previous is not None and not previous.done():
            await previous  # batches reach the stream in the order of their requests
        try:
            await self._write(entries)
        except (RedisError, OSError) as exc:  # the answers are sent; lost entries must not break them
            logger.warning("%d requests not journaled: the store (Redis) failed: %s", len(entries), exc)

    async def _write(self, entries: list[Entry]) -> None:
        async with self.client().pipeline(transaction=False) as pipe:
            for entry in entries:
                body = b"".join(entry.chunks)[:BODY_LIMIT]
                head = dumps([entry.method, entry.path, entry.query_string.decode("latin-1"), entry.status,
                              entry.seconds])
                pipe.xadd(self.key, {"head": head, "body": body}, maxlen=self.size, approximate=True)
            await pipe.execute()

    async def _settled(self) -> None:
        flush = self._flushes.get(asyncio.get_running_loop())
        if flush is not None and not flush.done():
            await flush

    async def entries(self) -> list[dict[str, Any]]:
        await self._settled()
        newest: list[tuple[Any, dict[bytes, bytes]]] = await self.client().xrevrange(  # type: ignore[assignment]
            self.key, count=self.size)
        entries = []
        for _, fields in reversed(newest):
            method, path, query, status, seconds = loads(fields[b"head"])
            entries.append(Entry(method, path, query.encode("latin-1"), [fields[b"body"]], status,
                                 seconds).as_dict())
        return entries

    async def clear(self) -> None:
        await self._settled()
        await self.client().delete(self.key)
