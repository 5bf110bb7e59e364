"""What a session is, per kind, as the spec's response schemas define it.

A session record is a plain JSON-able dict: ``type``, ``db_id`` and every property of its kind's
response schema. ``SessionKind`` knows, from the schema alone, which properties a response has,
whether timestamps are RFC 3339 strings or Unix seconds, and how a PATCH body changes a record:
``session_name``, ``session_state``, ``metadata`` and ``summary`` (stored as ``session_summary``)
replace the stored value when present and not null; anything else is ignored. No web imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mockserver.core.spec import Spec, pointer

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

# Keys a record carries besides its schema's properties.
RECORD_KEYS = ("type", "db_id")


def json_copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars): three times faster than ``copy.deepcopy``,
    which must handle any object and shared references. Records are JSON data."""
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    return value


def _allows_type(schema: Mapping[str, Any], json_type: str) -> bool:
    branches = [schema, *schema.get("anyOf", ()), *schema.get("oneOf", ())]
    return any(branch.get("type") == json_type for branch in branches)


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
            unix_timestamps=_allows_type(properties.get("updated_at", {}), "integer"),
        )

    def timestamp(self, moment: datetime) -> str | int:
        """``moment`` as this kind's schema writes timestamps (one-second resolution)."""
        moment = moment.astimezone(UTC).replace(microsecond=0)
        return int(moment.timestamp()) if self.unix_timestamps else moment.isoformat()

    def complete(self, fields: Mapping[str, Any], db_id: str) -> Record:
        """A full record from ``fields``: every schema property present, derived ones filled."""
        record: Record = {"type": self.name, "db_id": db_id}
        record.update({name: json_copy(fields.get(name)) for name in self.properties})
        if "agent_session_id" in self.properties:
            record["agent_session_id"] = fields.get("session_id")
        return record

    def render(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The response body for ``record``: exactly its schema's properties."""
        return {name: record.get(name) for name in self.properties}

    def apply_update(self, record: Mapping[str, Any], body: Mapping[str, Any], now: datetime) -> Record:
        """A new record with ``body`` applied: replace when present and not null, never merge."""
        updated = dict(record)
        for field_name, target in UPDATABLE_FIELDS.items():
            value = body.get(field_name)
            if value is not None and target in self.properties:
                updated[target] = json_copy(value)
        if "updated_at" in self.properties:
            updated["updated_at"] = self.timestamp(now)
        return updated


def session_kinds(spec: Spec) -> dict[str, SessionKind]:
    """Every session kind, read from ``spec`` (``SpecError`` if a response schema is missing)."""
    return {name: SessionKind.from_spec(spec, name) for name in RESPONSE_SCHEMAS}
