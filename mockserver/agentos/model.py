"""What the served documents say a session and a run are: the spec with its session and run kinds.

Read once at start from the combined documents; handlers, fixtures and the admin API share it.
No web imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.agentos.runs import RunKind, run_kinds
from mockserver.agentos.sessions import SessionKind, session_kinds
from mockserver.agentos.timestamps import FIELDS as TIMESTAMPS
from mockserver.agentos.timestamps import rewritten, unix_timestamps
from mockserver.core.spec import Spec

LIST_ITEM_SCHEMA = "SessionSchema"  # an entry of GET /sessions' data


@dataclass(frozen=True)
class SessionModel:
    spec: Spec
    kinds: Mapping[str, SessionKind]
    run_kinds: Mapping[str, RunKind]  # empty when the documents define no run schemas
    list_item_properties: tuple[str, ...] = ()
    list_item_unix_timestamps: bool = False

    @classmethod
    def from_spec(cls, spec: Spec) -> SessionModel:
        """``SpecError`` when a session kind's response schema is missing."""
        schemas = spec.component_schemas
        listed = schemas.get(LIST_ITEM_SCHEMA, {}).get("properties", {})
        return cls(spec, session_kinds(spec), run_kinds(spec), tuple(listed),
                   unix_timestamps(listed.get("created_at", {})))

    @classmethod
    def without_sessions(cls, spec: Spec) -> SessionModel:
        """The model of documents that do not define the sessions API: no kinds."""
        return cls(spec, {}, {})

    def list_item(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """A session as a list shows it: the list schema's properties, timestamps as that schema
        writes them (a workflow's Unix seconds become RFC 3339 there), null ones left out."""
        item = {}
        for name in self.list_item_properties:
            value = record.get(name)
            if name in TIMESTAMPS and value is not None:
                value = rewritten(value, self.list_item_unix_timestamps)
            if value is not None:
                item[name] = value
        return item
