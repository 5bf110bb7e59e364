"""Writes that must not be lost on Redis: per-key locks within a worker, compare-and-set across
workers (a Lua script on the value's digest), and the values a worker wrote last."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import weakref
from collections.abc import AsyncIterator

WATCH_RETRIES = 200  # optimistic-locking attempts before a write gives up (a 503)


class KeyLocks:
    """One lock per key and event loop: writers of one process take turns on a key before they
    read and write it, so optimistic writes (a WATCH, a compare-and-set) retry only when another
    process wrote (16 writers of one session in one process otherwise retry each other to a
    standstill)."""

    def __init__(self) -> None:
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Counted]] = (
            weakref.WeakKeyDictionary())

    @contextlib.asynccontextmanager
    async def holding(self, key: str) -> AsyncIterator[None]:
        locks = self._by_loop.setdefault(asyncio.get_running_loop(), {})
        entry = locks.get(key) or locks.setdefault(key, _Counted())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del locks[key]


class _Counted:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


# Compare-and-set of one record: written only if it still holds what the writer expects ('' for
# none), so a change function's input and its write are the same version. A new record also gets
# the next sequence number in its order sets. KEYS: record, order set, second order set (or the
# same), sequence; ARGV: expected digest, new, member, second member. Returns {1} when written, else
# {0, what the record holds ('' for none)}, so that a retry needs no read of its own.
COMPARE_AND_SET = """
local current = redis.call("GET", KEYS[1])
if (current and redis.sha1hex(current) or "") ~= ARGV[1] then return {0, current or ""} end
redis.call("SET", KEYS[1], ARGV[2])
if not current then
  local sequence = redis.call("INCR", KEYS[4])
  redis.call("ZADD", KEYS[2], "NX", sequence, ARGV[3])
  redis.call("ZADD", KEYS[3], "NX", sequence, ARGV[4])
end
return {1}
"""


def digest(raw: bytes) -> str:
    """What COMPARE_AND_SET compares: the SHA-1 of a stored value ('' for none), so a write sends
    the expected record's 40 characters, not the record a second time."""
    return hashlib.sha1(raw).hexdigest() if raw else ""


class LastWritten:
    """What this process last wrote to each record (a bounded map): the guess a compare-and-set
    starts from, so that a write where no other worker wrote in between costs one round trip.
    Only a guess: the script checks it, and a wrong one costs a retry, never a lost update."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._values: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._values.get(key)

    def remember(self, key: str, value: bytes | None) -> None:
        self._values.pop(key, None)
        if value:
            if len(self._values) >= self.size:
                del self._values[next(iter(self._values))]  # the oldest
            self._values[key] = value

    def forget_all(self) -> None:
        self._values.clear()
