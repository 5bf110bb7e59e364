"""What handlers share: the store, the session model, the fixtures, and finding the
database and the session a request addresses."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mockserver.agentos.components import Component
from mockserver.agentos.errors import DatabaseNotFound, DatabaseRequired
from mockserver.agentos.fixtures import FixtureSet
from mockserver.agentos.model import SessionModel
from mockserver.agentos.run_flags import InMemoryRunFlags, RunFlags
from mockserver.agentos.scripts import Scripts
from mockserver.agentos.session_store import SessionStore
from mockserver.agentos.sessions import Record, SessionKind
from mockserver.errors import ApiError


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_session_id() -> str:
    return str(uuid.uuid4())


@dataclass
class HandlerContext:
    store: SessionStore
    model: SessionModel
    fixtures: FixtureSet  # replaced when --watch reloads them
    require_db_id: bool = False
    clock: Callable[[], datetime] = field(default=utc_now)
    new_id: Callable[[], str] = field(default=new_session_id)
    # Runs: the components they address, their scripts, which are in flight, their pacing.
    components: dict[tuple[str, str], Component] = field(default_factory=dict)
    scripts: Scripts = field(default_factory=Scripts)
    flags: RunFlags = field(default_factory=InMemoryRunFlags)
    stream_delay: float = 0.0  # seconds before each streamed chunk, unless a script says
    stream_defaults: dict[str, bool] = field(default_factory=dict)  # kind -> the document's stream default

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


def owned(record: Record, kind: SessionKind, user_id: str | None) -> bool:
    """Whether ``record`` is a session of ``kind`` (and of ``user_id``, when given): another user's
    session, or one of another kind, is not found, whatever its id."""
    return record["type"] == kind.name and (user_id is None or record.get("user_id") == user_id)
