"""The in-memory store: keyed by database and id, copies out, atomic change functions."""

from __future__ import annotations

import asyncio

import pytest

from mockserver.core.store import InMemorySessionStore
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
