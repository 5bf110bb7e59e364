"""Session state: the small async interface every store implements (``memory_store`` today).

Records are keyed by database and session id. A shared store (Redis, for several worker
processes) implements the same interface: reads return copies (a session's ``runs``, which no
change touches and no list shows, may be shared by ``update`` and ``query``), and ``update`` and
``create`` apply a change function atomically to one record, so the caller's checks and its write
see the same version. No web imports here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from mockserver.agentos.listing import SessionQuery
from mockserver.agentos.sessions import Record

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
