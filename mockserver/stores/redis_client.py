"""What the Redis stores share: the connection, key names under a prefix, and errors (values:
``redis_values``; writes that must not be lost: ``redis_writes``).

Every key of a mock lives in its key space, ``{PREFIX}:`` (``key_space``): the prefix between
braces, so that no mock's key space begins another's (``m`` and ``ms``, ``m`` and ``m:x`` are
apart), several mocks share one Redis and a reset drops one mock's keys only. A key's parts are
escaped, so that ids holding ``:`` cannot collide. Whatever Redis raises while answering becomes
``StoreUnavailable``, a 503 in the served API's error shape (the client reconnects on the next
request once Redis is back), or ``StoreFull``, a 507, when Redis is at its maxmemory.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from mockserver.errors import ConfigError, StoreFull, StoreUnavailable

T = TypeVar("T")
TIMEOUT: float | None = 5.0  # seconds a command may take before the request fails with a 503
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
