"""Handlers of one session: read, create, update (PATCH), rename and delete.

Where the spec is silent they do what AgentOS 2.3.17 does: a session of another user is
indistinguishable from an unknown one; without ``db_id`` the default database answers (or, with
``require_db_id``, several databases make it a 400, as in AgentOS); deleting an unknown id is a
204, and deleting many deletes the ids whatever the types say; creating over an existing id
replaces the session, keeping its kind and when it was created (the answer has the requested
type's shape). Where AgentOS reads a session of another type in the requested type's shape, the
mock answers 404: ``type`` says what the answer is (docs/agentos-deviations.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockserver.agentos.errors import SessionNotFound, TypedSessionNotFound
from mockserver.agentos.handlers.context import HandlerContext, owned
from mockserver.agentos.sessions import SESSION_DATA_FIELDS, Record, SessionKind
from mockserver.agentos.timestamps import moment_of
from mockserver.errors import ValidationFailed

# The fields only one kind of session has: what creating a session of another kind leaves alone.
OWN_FIELDS = {"agent": ("agent_id", "agent_data"), "team": ("team_id", "team_data"),
              "workflow": ("workflow_id", "workflow_name", "workflow_data")}


async def get_session_by_id(context: HandlerContext, session_id: str, type: str = "agent",
                            user_id: str | None = None, db_id: str | None = None,
                            table: str | None = None) -> tuple[dict[str, Any], int]:
    kind = context.kinds[type]
    database = await context.database_for(db_id)
    record = await context.find_session(database, session_id, kind, user_id,
                                lambda: TypedSessionNotFound(kind.name, session_id))
    return kind.render(record, omit_none=True), 200


async def update_session(context: HandlerContext, session_id: str, body: dict[str, Any], type: str = "agent",
                         user_id: str | None = None, db_id: str | None = None) -> tuple[dict[str, Any], int]:
    kind = context.kinds[type]
    database = await context.database_for(db_id)
    now = context.clock()

    def change(record: Record) -> Record:
        if not owned(record, kind, user_id):
            raise SessionNotFound(session_id)
        return kind.apply_update(record, body, now)

    updated = await context.store.update(database, session_id, change)
    return kind.render(updated), 200


async def rename_session(context: HandlerContext, session_id: str, body: dict[str, Any], type: str = "agent",
                         db_id: str | None = None, table: str | None = None) -> tuple[dict[str, Any], int]:
    return await update_session(context, session_id, {"session_name": body["session_name"]}, type,
                                db_id=db_id)


async def create_session(context: HandlerContext, body: dict[str, Any] | None = None, type: str = "agent",
                         db_id: str | None = None) -> tuple[dict[str, Any], int]:
    kind = context.kinds[type]
    database = await context.database_for(db_id)
    body = body or {}
    session_id = body.get("session_id") or context.new_id()
    if any(segment in (".", "..") for segment in session_id.split("/")):
        # A path holding it would have a dot segment, which no request may (middleware.target):
        # such a session could be created but never read.
        raise ValidationFailed(f"field 'session_id' of the request body: {session_id!r} cannot be read "
                               "back at /sessions/{session_id}: '.' and '..' are not ids",
                               pointer="/body/session_id")
    now = context.clock()

    def make(existing: Record | None) -> Record:
        if existing is None or existing["type"] == kind.name:
            return new_session(kind, body, session_id, database, now, existing)
        # Over a session of another kind AgentOS writes the requested kind's columns only: the
        # session keeps its kind, its creation time and its own kind's id and data.
        stored_kind = context.kinds[existing["type"]]
        record = new_session(stored_kind, body, session_id, database, now, existing)
        return {**record, **{name: existing.get(name) for name in OWN_FIELDS[stored_kind.name]}}

    stored = await context.store.create(database, session_id, make)
    # The answer has the requested kind's shape, even over a session stored as another kind.
    shown = stored if stored["type"] == kind.name else new_session(kind, body, session_id, database, now,
                                                                   stored)
    return kind.render(shown, omit_none=True), 201


def new_session(kind: SessionKind, body: dict[str, Any], session_id: str, database: str, now: datetime,
                existing: Record | None) -> Record:
    """A created session of ``kind``: updated now, created now or when ``existing`` was."""
    record = kind.complete({**created_fields(kind, body), "session_id": session_id}, database)
    created = moment_of(existing.get("created_at")) if existing is not None else None
    record["created_at"] = kind.timestamp(created or now)
    record["updated_at"] = kind.timestamp(now)
    return record


def created_fields(kind: SessionKind, body: dict[str, Any]) -> dict[str, Any]:
    """A new session's fields from a create body, with what AgentOS 2.3.17 fills in: a name of "",
    an empty history and, once there is session data (a name or a state given), empty metrics; a
    workflow's session_data holds its name and state, its workflow_data and metadata are {}."""
    fields = {name: body.get(name) for name in ("session_state", "metadata", "user_id", kind.component_field)}
    fields.update(session_name=body.get("session_name") or "", chat_history=[])
    data = {name: body[name] for name in SESSION_DATA_FIELDS if body.get(name) is not None}
    if "session_data" in kind.properties:
        fields.update(session_data=data, workflow_data={}, metadata=fields["metadata"] or {})
    elif data:
        fields["metrics"] = {}
    return fields


async def delete_session(context: HandlerContext, session_id: str, db_id: str | None = None,
                         table: str | None = None) -> tuple[None, int]:
    await context.store.delete(await context.database_for(db_id), [session_id])
    return None, 204


async def delete_sessions(context: HandlerContext, body: dict[str, Any], type: str = "agent",
                          db_id: str | None = None, table: str | None = None) -> tuple[None, int]:
    # AgentOS answers lists of different lengths with a 400, which DeleteSessionRequest allows; the
    # types choose nothing in AgentOS either, so the mock deletes the ids (docs/agentos-deviations.md).
    await context.store.delete(await context.database_for(db_id), body["session_ids"])
    return None, 204
