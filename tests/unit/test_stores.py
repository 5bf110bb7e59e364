"""Every store, in memory and on a real Redis, keeps the same promises: keyed by database and id,
copies out, atomic change functions, pages in order; the engine's items and the request journal
likewise. The Redis cases start a redis-server (``tests/redis_server.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Iterator
from typing import Any

import pytest

from mockserver.agentos.errors import SessionNotFound
from mockserver.agentos.listing import SessionQuery
from mockserver.agentos.memory_session_store import InMemorySessionStore
from mockserver.agentos.redis_store import RedisSessionStore
from mockserver.agentos.session_store import SessionStore
from mockserver.core.journal import Entry, InMemoryJournal, Journal
from mockserver.engine.items import InMemoryItemStore, ItemStore
from mockserver.stores.redis_client import Clients
from mockserver.stores.redis_items import RedisItemStore
from mockserver.stores.redis_journal import RedisJournal

Run = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.process)])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def run() -> Iterator[Run]:
    """Run a coroutine in this test's event loop (the Redis client belongs to one loop)."""
    loop = asyncio.new_event_loop()
    try:
        yield loop.run_until_complete
    finally:
        loop.close()


@pytest.fixture
def clients(kind: str, request: pytest.FixtureRequest, run: Run) -> Iterator[Clients | None]:
    if kind == "memory":
        yield None
        return
    found = Clients(request.getfixturevalue("redis_server").url)
    yield found
    run(found.close())


@pytest.fixture
def new_store(clients: Clients | None, redis_prefix: str, run: Run) -> Callable[..., SessionStore]:
    def make(records: Iterable[dict] = (), databases: Iterable[str] = ()) -> SessionStore:
        if clients is None:
            return InMemorySessionStore(records, databases)
        store = RedisSessionStore(clients, redis_prefix)
        run(store.replace_all(list(records), list(databases)))
        return store

    return make


def record(db_id: str, session_id: str, name: str) -> dict:
    return {"type": "agent", "db_id": db_id, "session_id": session_id, "session_name": name}


@pytest.fixture
def store(new_store: Callable[..., SessionStore]) -> SessionStore:
    return new_store([record("a", "s1", "one"), record("b", "s1", "other db")], databases=["a", "b", "empty"])


def test_databases_include_empty_ones_in_load_order(store: SessionStore, run: Run) -> None:
    assert run(store.databases()) == ["a", "b", "empty"]


def test_the_same_id_in_two_databases_are_two_sessions(store: SessionStore, run: Run) -> None:
    run(store.update("a", "s1", lambda r: {**r, "session_name": "changed"}))
    assert run(store.get("a", "s1"))["session_name"] == "changed"
    assert run(store.get("b", "s1"))["session_name"] == "other db"


def test_reads_are_copies(store: SessionStore, run: Run) -> None:
    run(store.get("a", "s1"))["session_name"] = "mutated"
    run(store.all())[0]["session_name"] = "mutated"
    assert run(store.get("a", "s1"))["session_name"] == "one"


def test_update_of_an_unknown_session_raises_session_not_found(store: SessionStore, run: Run) -> None:
    with pytest.raises(SessionNotFound, match="Session with id 'nope' not found"):
        run(store.update("a", "nope", lambda r: r))
    with pytest.raises(SessionNotFound):
        run(store.update("no-such-db", "s1", lambda r: r))


def test_a_change_that_raises_writes_nothing(store: SessionStore, run: Run) -> None:

    def refuse(current: dict) -> dict:
        current["session_name"] = "half-written"
        raise SessionNotFound("s1")

    with pytest.raises(SessionNotFound):
        run(store.update("a", "s1", refuse))
    assert run(store.get("a", "s1"))["session_name"] == "one"


def test_replace_all_resets_state(store: SessionStore, run: Run) -> None:
    run(store.update("a", "s1", lambda r: {**r, "session_name": "changed"}))
    run(store.replace_all([record("a", "s1", "one")], ["a"]))
    assert run(store.get("a", "s1"))["session_name"] == "one"
    assert run(store.databases()) == ["a"]


def timed(session_id: str, created: int | None, updated: int | None = None, **fields: str) -> dict:
    return {"type": "agent", "db_id": "a", "session_id": session_id, "session_name": session_id,
            "created_at": created, "updated_at": updated, **fields}


@pytest.fixture
def listed(run: Run) -> Callable[..., tuple[list[str], int]]:
    def page(store: SessionStore, **query: Any) -> tuple[list[str], int]:
        records, total = run(store.query("a", SessionQuery("agent", **query)))
        return [r["session_id"] for r in records], total

    return page


def test_a_page_sorted_by_time_keeps_nulls_last_descending_and_ties_in_stored_order(
        new_store: Callable[..., SessionStore], listed: Any) -> None:
    store = new_store([timed("s1", 10), timed("s2", None), timed("s3", 30), timed("s4", 10)])
    assert listed(store) == (["s3", "s1", "s4", "s2"], 4)
    assert listed(store, descending=False) == (["s2", "s1", "s4", "s3"], 4)
    assert listed(store, offset=1, limit=2) == (["s1", "s4"], 4)


def test_the_order_follows_every_write(new_store: Callable[..., SessionStore], listed: Any, run: Run) -> None:
    store = new_store([timed("s1", 10, 10), timed("s2", 20, 20), timed("s3", 30, 30)])
    run(store.update("a", "s1", lambda r: {**r, "updated_at": 99}))
    assert listed(store, sort_by="updated_at") == (["s1", "s3", "s2"], 3)
    run(store.delete("a", ["s3", "unknown"]))
    run(store.put(timed("s4", 5, 50)))
    run(store.create("a", "s2", lambda existing: {**timed("s2", 20), "updated_at": 60}))
    assert listed(store, sort_by="updated_at") == (["s1", "s2", "s4"], 3)
    assert listed(store, sort_by="updated_at", descending=False) == (["s4", "s2", "s1"], 3)
    assert listed(store) == (["s2", "s1", "s4"], 3)  # created_at, untouched by the updates


def test_filters_walk_the_order_and_count_every_match(new_store: Callable[..., SessionStore], listed: Any) -> None:
    store = new_store([timed(f"s{n}", n, user_id="alice" if n % 2 else "bob") for n in range(1, 8)])
    assert listed(store, user_id="alice", limit=2) == (["s7", "s5"], 4)
    assert listed(store, user_id="alice", sort_by="session_id", descending=False) == (["s1", "s3", "s5", "s7"], 4)
    assert listed(store, sort_by="unknown") == (["s1", "s2", "s3", "s4", "s5", "s6", "s7"], 7)


def test_a_change_that_raises_leaves_the_order_as_it_was(
        new_store: Callable[..., SessionStore], listed: Any, run: Run) -> None:
    store = new_store([timed("s1", 10, 10), timed("s2", 20, 20)])

    def failing(record: dict) -> dict:
        record["updated_at"] = 99
        raise SessionNotFound("s1")

    with pytest.raises(SessionNotFound):
        run(store.update("a", "s1", failing))
    assert listed(store, sort_by="updated_at") == (["s2", "s1"], 2)


def test_concurrent_changes_lose_nothing(store: SessionStore, run: Run) -> None:
    async def bump(n: int) -> None:
        await store.update("a", "s1", lambda r: {**r, "count": r.get("count", 0) + 1})

    async def many() -> None:
        await asyncio.gather(*(bump(n) for n in range(50)))

    run(many())
    assert run(store.get("a", "s1"))["count"] == 50


@pytest.fixture
def items(clients: Clients | None, redis_prefix: str, run: Run) -> ItemStore:
    fixtures = [(("/pets", ()), "1", {"id": 1, "name": "Rex"}), (("/pets", ()), "7", {"id": 7, "name": "Tom"}),
                (("/owners/{o}/pets", ("a",)), "1", {"id": 1})]
    if clients is None:
        return InMemoryItemStore(fixtures)
    store = RedisItemStore(clients, redis_prefix)
    run(store.replace_all(fixtures))
    return store


PETS = ("/pets", ())


def test_items_are_created_after_the_highest_id_and_listed_in_order(items: ItemStore, run: Run) -> None:
    created = run(items.create(PETS, lambda n: (str(n), {"id": n, "name": "new"})))
    assert created == {"id": 8, "name": "new"}
    assert [pet["id"] for pet in run(items.list(PETS))] == [1, 7, 8]
    assert run(items.list(("/owners/{o}/pets", ("b",)))) == []  # another scope


def test_item_updates_and_deletes_are_seen_and_unknown_ids_are_none(items: ItemStore, run: Run) -> None:
    assert run(items.update(PETS, "1", lambda pet: {**pet, "name": "Rex II"}))["name"] == "Rex II"
    assert run(items.update(PETS, "9", lambda pet: pet)) is None
    assert run(items.update(PETS, "9", lambda pet: {**pet, "id": 9}, create=True)) == {"id": 9}
    assert run(items.delete(PETS, "7")) == {"id": 7, "name": "Tom"}
    assert run(items.get(PETS, "7")) is None
    assert [pet["id"] for pet in run(items.list(PETS))] == [1, 9]


def test_an_item_created_under_a_chosen_id_is_refused_where_one_has_it_and_nothing_is_written(
        items: ItemStore, run: Run) -> None:
    """A create naming its id (a natural key) is an update that may create: its change refuses an
    item that is there, in the same step as the write (engine/collections.py)."""
    class Taken(Exception):
        pass

    def only_new(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def change(current: dict[str, Any]) -> dict[str, Any]:
            if current:
                raise Taken(name)
            return {"name": name}
        return change

    assert run(items.update(PETS, "rex", only_new("rex"), create=True)) == {"name": "rex"}
    with pytest.raises(Taken):
        run(items.update(PETS, "rex", only_new("rex"), create=True))
    assert run(items.get(PETS, "rex")) == {"name": "rex"}
    assert [pet.get("name") for pet in run(items.list(PETS))] == ["Rex", "Tom", "rex"]
    assert run(items.update(PETS, "tom", only_new("tom"), create=True)) == {"name": "tom"}  # the store goes on


def test_concurrent_creates_get_distinct_ids(items: ItemStore, run: Run) -> None:
    async def many() -> list[Any]:
        return await asyncio.gather(*(items.create(PETS, lambda n: (str(n), {"id": n})) for _ in range(40)))

    ids = [item["id"] for item in run(many())]
    assert sorted(ids) == list(range(8, 48))
    assert len(run(items.list(PETS))) == 42


@pytest.fixture
def journal(clients: Clients | None, redis_prefix: str) -> Journal:
    return InMemoryJournal(3) if clients is None else RedisJournal(clients, redis_prefix, 3)


def test_the_journal_keeps_the_newest_requests_and_clears(journal: Journal, run: Run) -> None:
    for n in range(5):
        run(journal.record(Entry("POST", f"/p/{n}", b"a=1", [b'{"n": ', str(n).encode(), b"}"], 201, 0.0)))
    entries = run(journal.entries())
    assert [entry["path"] for entry in entries] == ["/p/2", "/p/3", "/p/4"]
    assert entries[-1]["body"] == {"n": 4} and entries[-1]["query"] == {"a": "1"}
    run(journal.clear())
    assert run(journal.entries()) == []


@pytest.mark.process
def test_two_processes_sharing_a_prefix_lose_no_update_and_see_deletes(
        redis_server: Any, redis_prefix: str, run: Run) -> None:
    # Two stores on one prefix stand for two workers: each remembers what it last wrote, a guess
    # the other's writes make wrong, which must cost a retry, never an update.
    clients = Clients(redis_server.url)
    one, other = RedisSessionStore(clients, redis_prefix), RedisSessionStore(clients, redis_prefix)
    run(one.replace_all([record("a", "s1", "one")], ["a"]))

    def bump(current: dict) -> dict:
        return {**current, "count": current.get("count", 0) + 1}

    for _ in range(20):
        run(one.update("a", "s1", bump))
        run(other.update("a", "s1", bump))
    assert run(one.get("a", "s1"))["count"] == 40
    run(other.delete("a", ["s1"]))
    with pytest.raises(SessionNotFound):
        run(one.update("a", "s1", bump))
    run(clients.close())


def test_integers_past_64_bits_are_kept_exactly(store: SessionStore, run: Run) -> None:
    wide = 2**70 + 1  # JSON allows it; orjson neither writes nor reads it exactly
    run(store.update("a", "s1", lambda r: {**r, "session_state": {"n": wide, "m": -wide}}))
    assert run(store.get("a", "s1"))["session_state"] == {"n": wide, "m": -wide}
