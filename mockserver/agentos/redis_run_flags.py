"""``RunFlags`` on Redis: ``{P}:f:live:<run id>`` while a run is in flight (``1``, or ``cancel`` once
asked to stop), expiring after an hour in case its worker died mid-run."""

from __future__ import annotations

from mockserver.stores.redis_client import Clients, OnRedis, part, unavailable_as_503

LIVE_SECONDS = 3600


@unavailable_as_503
class RedisRunFlags(OnRedis):
    def __init__(self, clients: Clients, prefix: str) -> None:
        super().__init__(clients, prefix, "f:")

    def _key(self, run_id: str) -> str:
        return f"{self.prefix}live:{part(run_id)}"

    async def start(self, run_id: str) -> None:
        await self.client().set(self._key(run_id), "1", ex=LIVE_SECONDS)

    async def cancel(self, run_id: str) -> bool:
        return bool(await self.client().set(self._key(run_id), "cancel", xx=True, keepttl=True))

    async def cancelled(self, run_id: str) -> bool:
        return await self.client().get(self._key(run_id)) == b"cancel"

    async def finish(self, run_id: str) -> None:
        await self.client().delete(self._key(run_id))
