"""The in-memory store: keyed by database and id, copies out, atomic change functions."""

from __future__ import annotations

import asyncio

import pytest

from mockserver.core.listing import SessionQuery
from mockserver.core.memory_store import InMemorySessionStore
from mockserver.errors import SessionNotFound


def record(db_id: str, session_id: str, name: str) -> dict:
    return {"type": "agent", "db_id": db_id, "session_id": session_id, "session_name": name}


def make_store() -> InMemorySessionStore:
    return InMemorySessionStore(
        [record("a", "s1", "one"), record("b", "s1", "other db")], databases=["a", "b", "empty"])


def run(coroutine):
    return asyncio.run(coroutine)


def test_databases_include_empty_ones_in_load_order() -> None:
    assert run(make_store().databases()) == ["a", "b", "empty"]


def test_the_same_id_in_two_databases_are_two_sessions() -> None:
    store = make_store()
    run(store.update("a", "s1", lambda r: {**r, "session_name": "changed"}))
    assert run(store.get("a", "s1"))["session_name"] == "changed"
    assert run(store.get("b", "s1"))["session_name"] == "other db"


def test_reads_are_copies() -> None:
    store = make_store()
    run(store.get("a", "s1"))["session_name"] = "mutated"
    run(store.all())[0]["session_name"] = "mutated"
    assert run(store.get("a", "s1"))["session_name"] == "one"


def test_update_of_an_unknown_session_raises_session_not_found() -> None:
    with pytest.raises(SessionNotFound, match="Session with id 'nope' not found"):
        run(make_store().update("a", "nope", lambda r: r))
    with pytest.raises(SessionNotFound):
        run(make_store().update("no-such-db", "s1", lambda r: r))


def test_a_change_that_raises_writes_nothing() -> None:
    store = make_store()

    def refuse(current: dict) -> dict:
        current["session_name"] = "half-written"
        raise SessionNotFound("s1")

    with pytest.raises(SessionNotFound):
        run(store.update("a", "s1", refuse))
    assert run(store.get("a", "s1"))["session_name"] == "one"


def test_replace_all_resets_state() -> None:
    store = make_store()
    run(store.update("a", "s1", lambda r: {**r, "session_name": "changed"}))
    run(store.replace_all([record("a", "s1", "one")], ["a"]))
    assert run(store.get("a", "s1"))["session_name"] == "one"
    assert run(store.databases()) == ["a"]


def timed(session_id: str, created: int | None, updated: int | None = None, **fields: str) -> dict:
    return {"type": "agent", "db_id": "a", "session_id": session_id, "session_name": session_id,
            "created_at": created, "updated_at": updated, **fields}


def listed(store: InMemorySessionStore, **query: object) -> tuple[list[str], int]:
    records, total = run(store.query("a", SessionQuery("agent", **query)))  # type: ignore[arg-type]
    return [r["session_id"] for r in records], total


def test_a_page_sorted_by_time_keeps_nulls_last_descending_and_ties_in_stored_order() -> None:
    store = InMemorySessionStore([timed("s1", 10), timed("s2", None), timed("s3", 30), timed("s4", 10)])
    assert listed(store) == (["s3", "s1", "s4", "s2"], 4)
    assert listed(store, descending=False) == (["s2", "s1", "s4", "s3"], 4)
    assert listed(store, offset=1, limit=2) == (["s1", "s4"], 4)


def test_the_order_follows_every_write() -> None:
    store = InMemorySessionStore([timed("s1", 10, 10), timed("s2", 20, 20), timed("s3", 30, 30)])
    run(store.update("a", "s1", lambda r: {**r, "updated_at": 99}))
    assert listed(store, sort_by="updated_at") == (["s1", "s3", "s2"], 3)
    run(store.delete("a", ["s3", "unknown"]))
    run(store.put(timed("s4", 5, 50)))
    run(store.create("a", "s2", lambda existing: {**timed("s2", 20), "updated_at": 60}))
    assert listed(store, sort_by="updated_at") == (["s1", "s2", "s4"], 3)
    assert listed(store, sort_by="updated_at", descending=False) == (["s4", "s2", "s1"], 3)
    assert listed(store) == (["s2", "s1", "s4"], 3)  # created_at, untouched by the updates


def test_filters_walk_the_order_and_count_every_match() -> None:
    store = InMemorySessionStore([timed(f"s{n}", n, user_id="alice" if n % 2 else "bob") for n in range(1, 8)])
    assert listed(store, user_id="alice", limit=2) == (["s7", "s5"], 4)
    assert listed(store, user_id="alice", sort_by="session_id", descending=False) == (["s1", "s3", "s5", "s7"], 4)
    assert listed(store, sort_by="unknown") == (["s1", "s2", "s3", "s4", "s5", "s6", "s7"], 7)


def test_a_change_that_raises_leaves_the_order_as_it_was() -> None:
    store = InMemorySessionStore([timed("s1", 10, 10), timed("s2", 20, 20)])

    def failing(record: dict) -> dict:
        record["updated_at"] = 99
        raise SessionNotFound("s1")

    with pytest.raises(SessionNotFound):
        run(store.update("a", "s1", failing))
    assert listed(store, sort_by="updated_at") == (["s2", "s1"], 2)
