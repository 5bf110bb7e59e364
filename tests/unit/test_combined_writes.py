"""``CombinedWrites``: writes of one key that come while one is under way go together in the next
commit, in order, each writer getting its own result or error; a stopped leader leaves no writer
waiting."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mockserver.errors import StoreUnavailable
from mockserver.stores.combined_writes import CombinedWrites, Write


class Store:
    """A record per key behind a commit that takes a round trip (one loop turn)."""

    def __init__(self) -> None:
        self.values: dict[str, list[int]] = {}
        self.batches: list[int] = []

    def commit_for(self, key: str) -> Any:
        async def commit(batch: list[Write]) -> None:
            await asyncio.sleep(0)  # the round trip: other writers queue meanwhile
            self.batches.append(len(batch))
            value = self.values.get(key)
            for write in batch:
                try:
                    value = write.make(list(value) if value is not None else None)
                    write.settle(value)
                except Exception as exc:
                    write.settle(exc)
            self.values[key] = value or []
        return commit


def append(n: int) -> Any:
    def make(value: list[int] | None) -> list[int]:
        if n == 13:
            raise ValueError("thirteen is refused")
        return [*(value or []), n]
    return make


def test_concurrent_writes_of_one_key_go_together_in_order_each_with_its_own_result() -> None:
    async def scenario() -> tuple[Store, list[Any]]:
        store, writes = Store(), CombinedWrites()
        results = await asyncio.gather(
            *(writes.write("k", append(n), False, store.commit_for("k")) for n in range(16)),
            return_exceptions=True)
        return store, results

    store, results = asyncio.run(scenario())
    kept = [n for n in range(16) if n != 13]
    assert store.values["k"] == kept  # every acknowledged write is there, in order
    assert isinstance(results[13], ValueError)  # its own error, the others unaffected
    assert results[15] == kept and results[0] == [0]
    assert store.batches == [1, 15]  # the first alone, the fifteen that queued meanwhile together


def test_writes_of_other_keys_do_not_wait_for_each_other() -> None:
    async def scenario() -> Store:
        store, writes = Store(), CombinedWrites()
        await asyncio.gather(*(writes.write(f"k{n}", append(n), False, store.commit_for(f"k{n}"))
                               for n in range(4)))
        return store

    assert asyncio.run(scenario()).batches == [1, 1, 1, 1]


def test_a_failing_store_fails_the_batch_and_a_stopped_leader_leaves_no_writer_waiting() -> None:
    async def failing(batch: list[Write]) -> None:
        await asyncio.sleep(0)
        raise StoreUnavailable("redis is gone")

    async def hanging(batch: list[Write]) -> None:
        await asyncio.Event().wait()

    async def scenario() -> tuple[list[Any], list[Any]]:
        writes = CombinedWrites()
        failed = await asyncio.gather(*(writes.write("k", append(n), False, failing) for n in range(3)),
                                      return_exceptions=True)
        leader = asyncio.ensure_future(writes.write("h", append(1), False, hanging))
        await asyncio.sleep(0)
        follower = asyncio.ensure_future(writes.write("h", append(2), False, hanging))
        await asyncio.sleep(0)
        leader.cancel()
        stopped = await asyncio.gather(leader, follower, return_exceptions=True)
        return failed, stopped

    failed, stopped = asyncio.run(scenario())
    assert all(isinstance(result, StoreUnavailable) for result in failed)
    assert isinstance(stopped[0], asyncio.CancelledError)
    assert isinstance(stopped[1], StoreUnavailable) and "abandoned" in stopped[1].detail


@pytest.mark.parametrize("count", [1, 2])
def test_a_lone_write_is_one_commit(count: int) -> None:
    async def scenario() -> Store:
        store, writes = Store(), CombinedWrites()
        for n in range(count):
            await writes.write("k", append(n), False, store.commit_for("k"))
        return store

    assert asyncio.run(scenario()).batches == [1] * count
