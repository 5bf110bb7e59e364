"""What a session is, per kind, as the spec's response schemas define it.

A session record is a plain JSON-able dict: ``type``, ``db_id``, its ``runs`` (``core.runs``) and
every property of its kind's response schema. ``SessionKind`` knows, from the schema alone, which
properties a response has, whether timestamps are RFC 3339 strings or Unix seconds, and how a
PATCH body changes a record: ``session_name``, ``session_state``, ``metadata`` and ``summary``
(stored as ``session_summary``) replace the stored value when present and not null; anything else
is ignored. No web imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.agentos.timestamps import moment_of, unix_timestamps, write_timestamp
from mockserver.core.pointers import follow_refs, pointer
from mockserver.core.spec import Operation, Spec

Record = dict[str, Any]

# The session kinds of the AgentOS sessions API and their response schemas in the spec.
RESPONSE_SCHEMAS: dict[str, str] = {
    "agent": "AgentSessionDetailSchema",
    "team": "TeamSessionDetailSchema",
    "workflow": "WorkflowSessionDetailSchema",
}

# PATCH body field -> the record property it replaces.
UPDATABLE_FIELDS: dict[str, str] = {
    "session_name": "session_name",
    "session_state": "session_state",
    "metadata": "metadata",
    "summary": "session_summary",
}

# What AgentOS keeps in a session's session_data (a workflow's detail shows session_data itself).
SESSION_DATA_FIELDS = ("session_name", "session_state")
# Keys a record carries besides its schema's properties.
RECORD_KEYS = ("type", "db_id", "runs")
# Session kind -> the property naming its agent, team or workflow (``component_id`` in lists).
COMPONENT_FIELDS: dict[str, str] = {"agent": "agent_id", "team": "team_id", "workflow": "workflow_id"}


def json_copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars): three times faster than ``copy.deepcopy``,
    which must handle any object and shared references. Records are JSON data."""
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    return value


@dataclass(frozen=True)
class SessionKind:
    """One kind of session (agent, team, workflow) and its response schema."""

    name: str
    schema_pointer: str
    properties: tuple[str, ...]
    required: frozenset[str]
    unix_timestamps: bool

    @classmethod
    def from_spec(cls, spec: Spec, name: str) -> SessionKind:
        schema_name = RESPONSE_SCHEMAS[name]
        schema = spec.component_schema(schema_name)
        properties = schema.get("properties", {})
        return cls(
            name=name,
            schema_pointer=pointer("components", "schemas", schema_name),
            properties=tuple(properties),
            required=frozenset(schema.get("required", ())),
            unix_timestamps=unix_timestamps(properties.get("updated_at", {})),
        )

    def timestamp(self, moment: datetime) -> str | int:
        """``moment`` as this kind's schema writes timestamps (one-second resolution)."""
        return write_timestamp(moment, self.unix_timestamps)

    @property
    def component_field(self) -> str:
        return COMPONENT_FIELDS[self.name]

    def complete(self, fields: Mapping[str, Any], db_id: str,
                 runs: list[dict[str, Any]] | None = None) -> Record:
        """A full record from ``fields``: every schema property present, derived ones filled."""
        record: Record = {"type": self.name, "db_id": db_id, "runs": json_copy(runs or [])}
        record.update({name: json_copy(fields.get(name)) for name in self.properties})
        if "agent_session_id" in self.properties:
            record["agent_session_id"] = fields.get("session_id")
        return record

    def render(self, record: Mapping[str, Any], omit_none: bool = False) -> dict[str, Any]:
        """The response body for ``record``: its schema's properties (AgentOS leaves out the null
        ones when a session is read, and shows them after a change)."""
        return {name: record.get(name) for name in self.properties
                if not omit_none or record.get(name) is not None}

    def apply_update(self, record: Mapping[str, Any], body: Mapping[str, Any], now: datetime) -> Record:
        """A new record with ``body`` applied: replace when present and not null, never merge."""
        updated = dict(record)
        for field_name, target in UPDATABLE_FIELDS.items():
            value = body.get(field_name)
            if value is not None and target in self.properties:
                value = json_copy(value)
                updated[target] = stored_summary(value) if target == "session_summary" else value
                if target in SESSION_DATA_FIELDS and "session_data" in self.properties:
                    # A workflow shows its stored session_data, where AgentOS keeps name and state.
                    data = updated.get("session_data") or {}
                    updated["session_data"] = {**data, target: value}
        if "metrics" in self.properties and updated.get("metrics") is None:
            updated["metrics"] = {}  # AgentOS's update gives the session data, so empty metrics
        if "updated_at" in self.properties:
            updated["updated_at"] = self.timestamp(now)
        return updated


def stored_summary(summary: Any) -> Any:
    """A summary as AgentOS keeps it: its ``updated_at`` in Python's ISO format (``+00:00``)."""
    if not isinstance(summary, dict) or not isinstance(summary.get("updated_at"), str):
        return summary
    moment = moment_of(summary["updated_at"])
    return {**summary, "updated_at": moment.isoformat()} if moment is not None else summary


def stored_fields(kind: SessionKind, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A session's fields as AgentOS 2.3.17 stores and shows them: metrics are ``{}`` rather than
    none (a session has data), a summary's time is ISO, and a workflow's ``session_data`` holds
    its name and state, its ``metadata`` is ``{}`` rather than none."""
    stored = dict(fields)
    if "session_summary" in stored:
        stored["session_summary"] = stored_summary(stored["session_summary"])
    if "metrics" in kind.properties and stored.get("metrics") is None:
        stored["metrics"] = {}
    if "session_data" in kind.properties:
        data = {name: stored[name] for name in SESSION_DATA_FIELDS if stored.get(name) is not None}
        stored["session_data"] = {**(stored.get("session_data") or {}), **data}
        stored["metadata"] = stored.get("metadata") or {}
    return stored


def session_kinds(spec: Spec) -> dict[str, SessionKind]:
    """Every session kind, read from ``spec`` (``SpecError`` if a response schema is missing)."""
    return {name: SessionKind.from_spec(spec, name) for name in RESPONSE_SCHEMAS}


def typed_session_operations(spec: Spec) -> list[Operation]:
    """The operations whose 200 is any of the session kinds' schemas (an ``anyOf`` of them): the
    ``type`` the request names says which one the answer is."""
    wanted = {f"#/components/schemas/{name}" for name in RESPONSE_SCHEMAS.values()}
    typed = []
    for operation in spec.operations():
        response = follow_refs(spec.raw, (operation.definition.get("responses") or {}).get("200") or {})
        media = (response.get("content") or {}).get("application/json") or {}
        schema = follow_refs(spec.raw, media.get("schema") or {})
        refs = {branch.get("$ref") for branch in schema.get("anyOf") or () if isinstance(branch, Mapping)}
        if wanted <= refs:
            typed.append(operation)
    return typed
