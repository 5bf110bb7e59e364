"""Handlers of the admin API (openapi/mockserver-admin.yaml): reset, sessions, request journal."""

from __future__ import annotations

from typing import Any

from mockserver.core.records import build_record
from mockserver.errors import FixtureError, ValidationFailed
from mockserver.handlers.context import HandlerContext


async def reset_state(context: HandlerContext) -> tuple[dict[str, int], int]:
    return {"sessions": await context.reset()}, 200


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


async def list_requests(context: HandlerContext) -> tuple[list[dict[str, Any]], int]:
    return await context.journal.entries(), 200


async def clear_requests(context: HandlerContext) -> tuple[None, int]:
    await context.journal.clear()
    return None, 204
