"""Handlers of the sessions API: ``PATCH /sessions/{session_id}`` (``update_session``).

Where the spec is silent they do what the real AgentOS does: a session of another type, or of
another user, is indistinguishable from an unknown one; without ``db_id`` the default database
answers (or, with ``require_db_id``, several databases make it a 400, as in AgentOS).
"""

from __future__ import annotations

from typing import Any

from mockserver.core.sessions import Record
from mockserver.errors import DatabaseNotFound, DatabaseRequired, SessionNotFound
from mockserver.handlers.context import HandlerContext


async def database_for(context: HandlerContext, db_id: str | None) -> str:
    """The database a request addresses."""
    databases = await context.store.databases()
    if db_id is not None:
        if db_id not in databases:
            raise DatabaseNotFound(db_id)
        return db_id
    if context.require_db_id and len(databases) > 1:
        raise DatabaseRequired()
    return context.default_db


async def update_session(
    context: HandlerContext,
    session_id: str,
    body: dict[str, Any],
    type: str = "agent",
    user_id: str | None = None,
    db_id: str | None = None,
) -> tuple[dict[str, Any], int]:
    kind = context.kinds[type]
    database = await database_for(context, db_id)
    now = context.clock()

    def change(record: Record) -> Record:
        if record["type"] != kind.name or (user_id is not None and record.get("user_id") != user_id):
            raise SessionNotFound(session_id)
        return kind.apply_update(record, body, now)

    updated = await context.store.update(database, session_id, change)
    return kind.render(updated), 200
