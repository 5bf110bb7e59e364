"""What the Redis stores share: the connection, key names under a prefix, JSON, and errors.

Every key of a mock lives in its key space, ``{PREFIX}:`` (``key_space``): the prefix between
braces, so that no mock's key space begins another's (``m`` and ``ms``, ``m`` and ``m:x`` are
apart), several mocks share one Redis and a reset drops one mock's keys only. A key's parts are
escaped, so that ids holding ``:`` cannot collide. Whatever Redis raises while answering becomes
``StoreUnavailable``, a 503 in the served API's error shape (the client reconnects on the next
request once Redis is back), or ``StoreFull``, a 507, when Redis is at its maxmemory.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import inspect
import json
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import orjson
import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from mockserver.errors import ConfigError, StoreFull, StoreUnavailable

T = TypeVar("T")
TIMEOUT: float | None = 5.0  # seconds a command may take before the request fails with a 503
WATCH_RETRIES = 200  # optimistic-locking attempts before a write gives up (a 503)
DROP_PREFIX = """
local cursor = "0"
repeat
  local found = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
  cursor = found[1]
  for _, key in ipairs(found[2]) do redis.call("UNLINK", key) end
until cursor == "0"
return 0
"""


def connect(url: str) -> redis.Redis:
    """A client for ``url`` (not yet connected) that fails fast rather than hanging a request."""
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=TIMEOUT,
                                    retry=Retry(NoBackoff(), 1), health_check_interval=0)
    except ValueError as exc:
        raise ConfigError(f"--store {url}: {exc}") from None


class Clients:
    """One client per event loop: a connection belongs to the loop that opened it, and a mock may
    answer from several (a worker forked from the process that built it, test clients)."""

    def __init__(self, url: str) -> None:
        self.url = url
        connect(url)  # a bad URL is a start-up error, not a 503 later
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, redis.Redis] = (
            weakref.WeakKeyDictionary())
        self._scripts: weakref.WeakKeyDictionary[redis.Redis, dict[str, Any]] = weakref.WeakKeyDictionary()

    @property
    def current(self) -> redis.Redis:
        loop = asyncio.get_running_loop()
        client = self._by_loop.get(loop)
        if client is None:
            client = self._by_loop[loop] = connect(self.url)
        return client

    def script(self, source: str) -> Any:
        """``source`` as a script of this loop's client (EVALSHA, loaded on first use)."""
        client = self.current
        scripts = self._scripts.setdefault(client, {})
        if source not in scripts:
            scripts[source] = client.register_script(source)
        return scripts[source]

    async def close(self) -> None:
        """Close this loop's client."""
        client = self._by_loop.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()


def key_space(prefix: str) -> str:
    """Where the keys of the mock with ``prefix`` live: ``{PREFIX}:``, with ``%``, ``{`` and ``}``
    of the prefix escaped, so that a key space ends at its first ``}`` and none is a prefix of
    another's keys. (Braces are also Redis Cluster's hash tag: one mock's keys in one slot.)"""
    return "{" + prefix.replace("%", "%25").replace("{", "%7B").replace("}", "%7D") + "}:"


class OnRedis:
    """What every Redis store holds: the clients (one per event loop), and where its keys begin
    (``prefix``: the mock's key space and the store's part of it)."""

    def __init__(self, clients: Clients, prefix: str, section: str = "") -> None:
        self.clients = clients
        self.prefix = key_space(prefix) + section

    def client(self) -> redis.Redis:
        return self.clients.current


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


class RedisNamespace:
    """A mock's prefix on Redis (``stores.Namespace``)."""

    def __init__(self, clients: Clients, prefix: str) -> None:
        self.clients = clients
        self.url = clients.url
        self.prefix = prefix
        self.keys = key_space(prefix)
        self.marker = f"{self.keys}loaded"

    async def ping(self) -> None:
        await self.clients.current.ping()

    async def loaded(self) -> bool:
        return bool(await self.clients.current.exists(self.marker))

    async def mark_loaded(self) -> None:
        await self.clients.current.set(self.marker, "1")

    async def drop(self) -> None:
        async with self.clients.current.pipeline(transaction=True) as pipe:
            drop_prefix(pipe, self.keys)
            await pipe.execute()

    async def close(self) -> None:
        await self.clients.close()


def part(text: str) -> str:
    """One key part, with ``%`` and ``:`` escaped."""
    return text.replace("%", "%25").replace(":", "%3A")


def glob_escaped(text: str) -> str:
    return "".join("\\" + char if char in "*?[]\\" else char for char in text)


WIDE = b"W"  # marks a value written by the standard library: orjson reads integers past 64 bits as floats


def dumps(value: Any) -> bytes:
    """A value as stored: JSON, by orjson; one holding integers past 64 bits (which JSON allows and
    orjson refuses) by the standard library, behind ``WIDE``."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return WIDE + json.dumps(value, separators=(",", ":")).encode()


def loads(raw: Any) -> Any:
    """A stored value (bytes from Redis), or None for a missing key."""
    if raw is None:
        return None
    return json.loads(raw[1:]) if raw[:1] == WIDE else orjson.loads(raw)


def text(raw: Any) -> str:
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def unavailable_as_503(cls: type[T]) -> type[T]:
    """Every public coroutine method of ``cls`` raising ``StoreUnavailable`` for Redis errors."""
    for name, method in list(vars(cls).items()):
        if not name.startswith("_") and inspect.iscoroutinefunction(method):
            setattr(cls, name, _guarded(method))
    return cls


def _guarded(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        except OutOfMemoryError as exc:  # Redis at its maxmemory: no bound of the mock's own applies
            raise StoreFull(f"the mock's store (Redis) is full, at its maxmemory: {exc}") from None
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise StoreUnavailable(f"the mock's store (Redis) cannot be reached: {exc}") from None
        except RedisError as exc:
            raise StoreUnavailable(f"the mock's store (Redis) failed: {exc}") from None

    return guarded


def drop_prefix(pipe: Any, prefix: str) -> None:
    """Queue, on the transaction ``pipe``, the removal of every key under ``prefix``."""
    pipe.eval(DROP_PREFIX, 0, glob_escaped(prefix) + "*")
