"""Writes of one key by one process, folded into as few round trips as the traffic allows.

While a write of a key is under way (a compare-and-set on Redis, one round trip), the writes of
that key that come meanwhile queue; when it is done, the next ``commit`` applies all of them in
order, each to the result of the one before, and writes the last result once. Each writer gets its
own result or its own error, exactly as if the writes had been made one by one in that order: no
acknowledged update is lost, none is torn. Sixteen clients changing one session cost two round
trips instead of sixteen.

The first writer of a key commits, then commits what queued meanwhile, until nothing is left
(other keys go on in parallel). Should it stop early (a cancelled request), the writes still
queued fail with a ``StoreUnavailable`` rather than wait for ever.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from mockserver.errors import StoreUnavailable


@dataclass
class Write:
    """One writer's change (``make``: the record or None -> the new record) and its outcome."""

    make: Callable[[Any], Any]
    must_exist: bool
    outcome: asyncio.Future[Any] = field(default_factory=lambda: asyncio.get_running_loop().create_future())

    def settle(self, result: Any) -> None:
        if self.outcome.done():
            return
        if isinstance(result, BaseException):
            self.outcome.set_exception(result)
        else:
            self.outcome.set_result(result)


Commit = Callable[[list[Write]], Awaitable[None]]  # applies and writes a batch, settling each write


class CombinedWrites:
    def __init__(self) -> None:
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, list[Write]]] = (
            weakref.WeakKeyDictionary())

    async def write(self, key: str, make: Callable[[Any], Any], must_exist: bool, commit: Commit) -> Any:
        queues = self._queues.setdefault(asyncio.get_running_loop(), {})
        mine = Write(make, must_exist)
        queue = queues.get(key)
        if queue is not None:  # a write of this key is under way: go with the next batch
            queue.append(mine)
            return await mine.outcome
        queue = queues[key] = []
        batch = [mine]
        try:
            while batch:
                try:
                    await commit(batch)
                except Exception as exc:  # the store failed: every write of the batch failed with it
                    for write in batch:
                        write.settle(exc)
                batch, queue[:] = list(queue), []
        finally:
            del queues[key]
            for write in [*batch, *queue]:
                write.settle(StoreUnavailable("the write was abandoned: the request that carried it stopped"))
        return await mine.outcome
