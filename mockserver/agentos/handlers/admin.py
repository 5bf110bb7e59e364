"""Handlers of the AgentOS profile's admin API (``agentos/admin-sessions.yaml``): its sessions."""

from __future__ import annotations

from typing import Any

from mockserver.agentos.handlers.context import HandlerContext
from mockserver.agentos.records import build_record
from mockserver.errors import FixtureError, ValidationFailed


async def list_sessions(context: HandlerContext, db_id: str | None = None, type: str | None = None,
                        user_id: str | None = None) -> tuple[list[dict[str, Any]], int]:
    wanted = {"db_id": db_id, "type": type, "user_id": user_id}
    records = await context.store.all()
    return [r for r in records if all(v is None or r.get(k) == v for k, v in wanted.items())], 200


async def put_session(context: HandlerContext, session_id: str, body: dict[str, Any]
                      ) -> tuple[dict[str, Any], int]:
    try:
        record = build_record({**body, "session_id": session_id}, context.default_db, context.model)
    except FixtureError as exc:
        raise ValidationFailed(str(exc)) from None
    created = await context.store.put(record)
    return record, 201 if created else 200
