"""Session state: a small async interface and its in-memory implementation.

Records are keyed by database and session id. The interface is what a shared store (Redis, for
several worker processes) will implement too: reads return copies, and ``update`` applies a change
function atomically to one record, so the caller's checks and its write see the same version. The
in-memory store is atomic because nothing in ``update`` awaits. No web imports here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, cast

from mockserver.core.listing import SessionQuery
from mockserver.core.sessions import Record, json_copy
from mockserver.errors import SessionNotFound

Change = Callable[[Record], Record]
Creation = Callable[[Record | None], Record]  # the stored record, if any -> the record to store


class SessionStore(Protocol):
    """What handlers need of session state."""

    async def replace_all(self, records: Iterable[Record], databases: Iterable[str]) -> None:
        """Drop all state and load ``records``; ``databases`` may name empty databases too."""

    async def databases(self) -> list[str]:
        """Every database id, in the order they were loaded."""

    async def get(self, db_id: str, session_id: str) -> Record | None:
        """A copy of one record, or None."""

    async def update(self, db_id: str, session_id: str, change: Change) -> Record:
        """Replace a record by ``change(record)`` atomically and return a copy of the result.

        Raises ``SessionNotFound`` when there is no such record; ``change`` may raise too, and
        then nothing is written.
        """

    async def all(self) -> list[Record]:
        """Copies of every record, database by database."""

    async def put(self, record: Record) -> bool:
        """Add or replace ``record`` (creating its database if new); True when it was added."""

    async def create(self, db_id: str, session_id: str, make: Creation) -> Record:
        """Store ``make(existing record or None)`` atomically and return a copy of it."""

    async def delete(self, db_id: str, session_ids: Iterable[str]) -> int:
        """Remove the records with these ids (unknown ones are ignored); how many were removed."""

    async def query(self, db_id: str, query: SessionQuery) -> tuple[list[Record], int]:
        """Copies of the page of records ``query`` selects, and how many match in all.

        Only the page is copied: a list request costs the matching, not a copy of the store.
        """


class InMemorySessionStore:
    """``SessionStore`` in one process's memory."""

    def __init__(self, records: Iterable[Record] = (), databases: Iterable[str] = ()) -> None:
        self._databases: dict[str, dict[str, Record]] = {}
        self._load(records, databases)

    def _load(self, records: Iterable[Record], databases: Iterable[str]) -> None:
        loaded: dict[str, dict[str, Record]] = {db_id: {} for db_id in databases}
        for record in records:
            loaded.setdefault(record["db_id"], {})[record["session_id"]] = json_copy(record)
        self._databases = loaded

    async def replace_all(self, records: Iterable[Record], databases: Iterable[str]) -> None:
        self._load(records, databases)

    async def databases(self) -> list[str]:
        return list(self._databases)

    async def get(self, db_id: str, session_id: str) -> Record | None:
        record = self._databases.get(db_id, {}).get(session_id)
        return json_copy(record) if record is not None else None

    async def update(self, db_id: str, session_id: str, change: Change) -> Record:
        sessions = self._databases.get(db_id, {})
        if session_id not in sessions:
            raise SessionNotFound(session_id)
        updated = change(json_copy(sessions[session_id]))
        sessions[session_id] = updated
        return cast(Record, json_copy(updated))

    async def all(self) -> list[Record]:
        return [json_copy(r) for sessions in self._databases.values() for r in sessions.values()]

    async def put(self, record: Record) -> bool:
        sessions = self._databases.setdefault(record["db_id"], {})
        created = record["session_id"] not in sessions
        sessions[record["session_id"]] = json_copy(record)
        return created

    async def create(self, db_id: str, session_id: str, make: Creation) -> Record:
        sessions = self._databases.setdefault(db_id, {})
        existing = sessions.get(session_id)
        created = make(json_copy(existing) if existing is not None else None)
        sessions[session_id] = created
        return cast(Record, json_copy(created))

    async def delete(self, db_id: str, session_ids: Iterable[str]) -> int:
        sessions = self._databases.get(db_id, {})
        return sum(sessions.pop(session_id, None) is not None for session_id in set(session_ids))

    async def query(self, db_id: str, query: SessionQuery) -> tuple[list[Record], int]:
        matching = [record for record in self._databases.get(db_id, {}).values() if query.matches(record)]
        if query.sorted:
            matching.sort(key=query.sort_key, reverse=query.descending)
        return [json_copy(record) for record in query.page(matching)], len(matching)
