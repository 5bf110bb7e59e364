"""``SessionStore`` on Redis: session records shared by every worker and kept across restarts.

Keys in the mock's key space ``{P}:`` (``redis_client.key_space``): ``{P}:s:dbs`` (a sorted set
of database ids, in load order), ``{P}:s:ids:<db>`` (a sorted set of the database's session ids, in
insertion order) and ``{P}:s:r:<db>:<id>`` (one record as JSON). A change is read, applied and written by a
compare-and-set script (written only if the record still holds what was read), retried if another
worker got there first; a worker's own writes of one record that come while one is under way are
applied in turn and written together (``combined_writes``): no acknowledged update is lost and
none is torn. A reset is one transaction. Lists read the database's records and select the
page as the in-memory store does (``SessionQuery``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from mockserver.agentos.errors import SessionNotFound
from mockserver.agentos.listing import SessionQuery
from mockserver.agentos.session_store import Change, Creation
from mockserver.agentos.sessions import Record, json_copy
from mockserver.errors import StoreUnavailable
from mockserver.stores.combined_writes import CombinedWrites, Write
from mockserver.stores.redis_client import Clients, OnRedis, drop_prefix, part, unavailable_as_503
from mockserver.stores.redis_values import dumps, loads, text
from mockserver.stores.redis_writes import COMPARE_AND_SET, WATCH_RETRIES, LastWritten, digest


@unavailable_as_503
class RedisSessionStore(OnRedis):
    def __init__(self, clients: Clients, prefix: str) -> None:
        super().__init__(clients, prefix, "s:")
        self.writes = CombinedWrites()
        self.written = LastWritten()

    def _dbs(self) -> str:
        return f"{self.prefix}dbs"

    def _ids(self, db_id: str) -> str:
        return f"{self.prefix}ids:{part(db_id)}"

    def _key(self, db_id: str, session_id: str) -> str:
        return f"{self.prefix}r:{part(db_id)}:{part(session_id)}"

    async def replace_all(self, records: Iterable[Record], databases: Iterable[str]) -> None:
        self.written.forget_all()
        async with self.client().pipeline(transaction=True) as pipe:
            drop_prefix(pipe, self.prefix)
            order = 0
            for db_id in databases:
                pipe.zadd(self._dbs(), {db_id: order}, nx=True)
                order += 1
            sequence = 0
            for sequence, record in enumerate(records, start=1):
                self._queue_store(pipe, record, sequence, order + sequence)
            pipe.set(f"{self.prefix}seq", sequence)  # later writes order after the fixtures
            await pipe.execute()

    def _queue_store(self, pipe: Any, record: Record, sequence: int, db_order: int) -> None:
        db_id, session_id = record["db_id"], record["session_id"]
        pipe.zadd(self._dbs(), {db_id: db_order}, nx=True)
        pipe.zadd(self._ids(db_id), {session_id: sequence}, nx=True)
        pipe.set(self._key(db_id, session_id), dumps(record))

    async def databases(self) -> list[str]:
        return [text(raw) for raw in await self.client().zrange(self._dbs(), 0, -1)]

    async def get(self, db_id: str, session_id: str) -> Record | None:
        return cast(Record | None, loads(await self.client().get(self._key(db_id, session_id))))

    async def _write(self, db_id: str, session_id: str, make: Creation, must_exist: bool) -> Record:
        key = self._key(db_id, session_id)

        async def commit(batch: list[Write]) -> None:
            await self._commit(key, db_id, session_id, batch)

        return cast(Record, await self.writes.write(key, make, must_exist, commit))

    async def _commit(self, key: str, db_id: str, session_id: str, batch: list[Write]) -> None:
        """Apply ``batch`` in order to the stored record and write the result in one
        compare-and-set, retried from what the store holds when another worker got there first."""
        guess = self.written.get(key)
        verified = guess is None
        raw = guess if guess is not None else await self._read(key)
        for _ in range(WATCH_RETRIES):
            outcomes, last = applied(batch, loads(raw) if raw else None, session_id)
            if not verified and any(isinstance(outcome, Exception) for outcome in outcomes):
                raw, verified = await self._read(key), True  # judge the current record, not the guess
                continue
            if last is None:  # every change failed: nothing to write
                break
            new = dumps(last)
            result = await self.clients.script(COMPARE_AND_SET)(
                keys=[key, self._ids(db_id), self._dbs(), f"{self.prefix}seq"],
                args=[digest(raw), new, session_id, db_id])
            if result[0] == 1:
                self.written.remember(key, new)
                break
            raw, verified = result[1], True
        else:
            raise StoreUnavailable(f"session {session_id!r} changed {WATCH_RETRIES} times while written")
        for write, outcome in zip(batch, outcomes, strict=True):
            write.settle(outcome)

    async def _read(self, key: str) -> bytes:
        """A record as stored, b"" for none."""
        raw = await self.client().get(key)
        return raw if isinstance(raw, bytes) else b""

    async def update(self, db_id: str, session_id: str, change: Change) -> Record:
        return await self._write(db_id, session_id, lambda record: change(cast(Record, record)),
                                 must_exist=True)

    async def create(self, db_id: str, session_id: str, make: Creation) -> Record:
        return await self._write(db_id, session_id, make, must_exist=False)

    async def put(self, record: Record) -> bool:
        created = not await self.client().exists(self._key(record["db_id"], record["session_id"]))
        await self._write(record["db_id"], record["session_id"], lambda _: record, must_exist=False)
        return created

    async def _records(self, db_id: str) -> list[Record]:
        ids = await self.client().zrange(self._ids(db_id), 0, -1)
        if not ids:
            return []
        raw = await self.client().mget([self._key(db_id, text(session_id)) for session_id in ids])
        return [loads(value) for value in raw if value is not None]

    async def all(self) -> list[Record]:
        return [record for db_id in await self.databases() for record in await self._records(db_id)]

    async def delete(self, db_id: str, session_ids: Iterable[str]) -> int:
        wanted = sorted(set(session_ids))
        if not wanted:
            return 0
        for session_id in wanted:
            self.written.remember(self._key(db_id, session_id), None)
        async with self.client().pipeline(transaction=True) as pipe:
            pipe.zrem(self._ids(db_id), *wanted)
            pipe.delete(*(self._key(db_id, session_id) for session_id in wanted))
            removed, _ = await pipe.execute()
        return int(removed)

    async def query(self, db_id: str, query: SessionQuery) -> tuple[list[Record], int]:
        matching = [record for record in await self._records(db_id) if query.matches(record)]
        if query.sorted:
            matching.sort(key=query.sort_key, reverse=query.descending)
        return query.page(matching), len(matching)


def applied(batch: list[Write], record: Record | None, session_id: str) -> tuple[list[Any], Record | None]:
    """Each write's outcome (its record, or the error its change raised), each applied to the
    result of the one before; and the last record written (None when no change succeeded). Each
    change gets a copy, so that none alters a record another writer was given."""
    outcomes: list[Any] = []
    last: Record | None = None
    for write in batch:
        if record is None and write.must_exist:
            outcomes.append(SessionNotFound(session_id))
            continue
        try:
            record = last = write.make(json_copy(record) if record is not None else None)
        except Exception as exc:
            outcomes.append(exc)
            continue
        outcomes.append(record)
    return outcomes, last
