"""Mocks on one Redis keep apart by prefix, whatever their prefixes look like: no reset of one
removes a key of another, even when one prefix begins with the other (``m`` and ``ms:``, ``m``
and ``m:``, ``m`` and ``m:x``), and a mock's own reset leaves none of its keys behind. On a real
redis-server (``tests/redis_server.py``), in a database of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from mockserver.agentos.redis_store import RedisSessionStore
from mockserver.core.journal import Entry
from mockserver.stores.redis_client import Clients, RedisNamespace
from mockserver.stores.redis_items import RedisItemStore
from mockserver.stores.redis_journal import RedisJournal
from tests.redis_server import RedisServer

pytestmark = pytest.mark.process

PETS = ("/pets", ())
# Each pair: one prefix begins with the other, or with the other and the old delimiter, or two
# spellings once of one key space; a key space that is itself a prefix of another's keys fails.
PAIRS = [("m", "ms:"), ("m", "m:"), ("ms", "ms:"), ("m", "m:x"), ("m:", "m:s"), ("m:", "m:s:"),
         ("m", "m:i"), ("a{b}", "a"), ("a}", "a"), ("x%", "x%25"), ("mockserver", "mockserver:agentos-1:")]


class Mock:
    """What one mock keeps on Redis under its prefix: sessions, items, journal, the loaded mark."""

    def __init__(self, clients: Clients, prefix: str) -> None:
        self.sessions = RedisSessionStore(clients, prefix)
        self.items = RedisItemStore(clients, prefix)
        self.journal = RedisJournal(clients, prefix, 10)
        self.namespace = RedisNamespace(clients, prefix)

    async def fill(self) -> None:
        await self.sessions.replace_all([{"type": "agent", "db_id": "db", "session_id": "s1"}], ["db"])
        await self.items.replace_all([(PETS, "1", {"id": 1})])
        await self.journal.record(Entry("GET", "/pets", b"", [], 200, 0.0))
        await self.namespace.mark_loaded()

    async def reset(self) -> None:
        await self.sessions.replace_all([], [])
        await self.items.replace_all([])
        await self.journal.clear()
        await self.namespace.drop()

    async def intact(self) -> bool:
        return (await self.sessions.get("db", "s1") is not None and await self.items.get(PETS, "1") is not None
                and len(await self.journal.entries()) == 1 and await self.namespace.loaded())


@pytest.fixture
def clients(redis_server: RedisServer) -> Iterator[Clients]:
    url = redis_server.url.rsplit("/", 1)[0] + "/7"  # a database of this test's own: every key is known
    yield Clients(url)


@pytest.mark.parametrize(("one", "other"), PAIRS)
def test_no_reset_of_one_prefix_touches_a_key_of_another(clients: Clients, one: str, other: str) -> None:
    async def check() -> None:
        client = clients.current
        await client.flushdb()
        first, second = Mock(clients, one), Mock(clients, other)
        await first.fill()
        await second.fill()
        await first.reset()
        assert await second.intact(), f"a reset of {one!r} removed keys of {other!r}"
        await first.fill()
        await second.reset()
        assert await first.intact(), f"a reset of {other!r} removed keys of {one!r}"
        await first.reset()
        assert await client.dbsize() == 0, "a reset left keys behind"
        await clients.close()

    asyncio.run(check())
