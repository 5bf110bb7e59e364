"""What handlers share: the store, the spec and its session kinds, the fixtures, the journal."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mockserver.core.fixtures import FixtureSet
from mockserver.core.journal import Journal
from mockserver.core.model import SessionModel
from mockserver.core.sessions import SessionKind
from mockserver.core.store import SessionStore


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

    @property
    def kinds(self) -> Mapping[str, SessionKind]:
        return self.model.kinds

    @property
    def default_db(self) -> str:
        return self.fixtures.default_db

    async def reset(self) -> int:
        """Put the state back to the fixtures; how many sessions they hold."""
        await self.store.replace_all(self.fixtures.records, self.fixtures.databases)
        return len(self.fixtures.records)
