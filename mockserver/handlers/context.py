"""What handlers share: the store, the session model, the fixtures, the journal, and finding the
database and the session a request addresses."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mockserver.core.fixtures import FixtureSet
from mockserver.core.journal import Journal
from mockserver.core.model import SessionModel
from mockserver.core.sessions import Record, SessionKind
from mockserver.core.store import SessionStore
from mockserver.errors import ApiError, DatabaseNotFound, DatabaseRequired


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_session_id() -> str:
    return str(uuid.uuid4())


@dataclass
class HandlerContext:
    store: SessionStore
    model: SessionModel
    fixtures: FixtureSet  # replaced when --watch reloads them
    journal: Journal
    require_db_id: bool = False
    clock: Callable[[], datetime] = field(default=utc_now)
    new_id: Callable[[], str] = field(default=new_session_id)
    resets: list[Callable[[], Awaitable[int]]] = field(default_factory=list)  # the engine's, ...

    @property
    def kinds(self) -> Mapping[str, SessionKind]:
        return self.model.kinds

    @property
    def default_db(self) -> str:
        return self.fixtures.default_db

    async def database_for(self, db_id: str | None) -> str:
        """The database a request addresses: ``db_id``, or the default one (``require_db_id``: a
        400 when there are several, as in AgentOS)."""
        if db_id is not None:
            if db_id not in await self.store.databases():
                raise DatabaseNotFound(db_id)
            return db_id
        if self.require_db_id and len(await self.store.databases()) > 1:
            raise DatabaseRequired()
        return self.default_db

    async def find_session(self, database: str, session_id: str, kind: SessionKind, user_id: str | None,
                           not_found: Callable[[], ApiError]) -> Record:
        """The session, if it is of ``kind`` (and of ``user_id``, when given); ``not_found()`` else."""
        record = await self.store.get(database, session_id)
        if record is None or not owned(record, kind, user_id):
            raise not_found()
        return record

    async def reset(self) -> int:
        """Put the state back to the fixtures; how many sessions they hold."""
        await self.store.replace_all(self.fixtures.records, self.fixtures.databases)
        for reset in self.resets:
            await reset()
        return len(self.fixtures.records)


def owned(record: Record, kind: SessionKind, user_id: str | None) -> bool:
    """Whether ``record`` is a session of ``kind`` (and of ``user_id``, when given): another user's
    session, or one of another kind, is not found, whatever its id."""
    return record["type"] == kind.name and (user_id is None or record.get("user_id") == user_id)
