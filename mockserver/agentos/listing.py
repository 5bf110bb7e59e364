"""Listing sessions: the filters, order and page of ``GET /sessions``, as AgentOS 2.3.17 does them.

``SessionQuery`` is what a store needs to answer a list request without handing out every record:
it says which records match, in which order, and which slice is the page. Filters: the session
kind; ``user_id`` and ``component_id`` (the kind's agent, team or workflow id) exactly;
``session_name`` as a case-insensitive substring of the name. Order: by a stored field, nulls
first ascending and last descending (SQLite's order); a field AgentOS's table has no column for
keeps the order sessions were stored in. No web imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.agentos.sessions import COMPONENT_FIELDS
from mockserver.agentos.timestamps import FIELDS, order_key

# Fields AgentOS 2.3.17 can sort by (columns of its sessions table that a record has).
SORTABLE = frozenset({"session_id", "user_id", "agent_id", "team_id", "workflow_id", "created_at",
                      "updated_at"})


@dataclass(frozen=True)
class SessionQuery:
    session_type: str
    user_id: str | None = None
    component_id: str | None = None
    session_name: str | None = None
    sort_by: str | None = "created_at"
    descending: bool = True
    offset: int = 0
    limit: int = 20

    def matches(self, record: Mapping[str, Any]) -> bool:
        if record["type"] != self.session_type:
            return False
        if self.user_id is not None and record.get("user_id") != self.user_id:
            return False
        component = COMPONENT_FIELDS[self.session_type]
        if self.component_id is not None and record.get(component) != self.component_id:
            return False
        if self.session_name is not None:
            return self.session_name.lower() in str(record.get("session_name") or "").lower()
        return True

    @property
    def filters_by_kind_only(self) -> bool:
        return self.user_id is None and self.component_id is None and self.session_name is None

    @property
    def sorted(self) -> bool:
        return self.sort_by in SORTABLE

    def sort_key(self, record: Mapping[str, Any]) -> tuple[int, Any]:
        """A key putting nulls first (ascending), then values: timestamps by time, the rest as text."""
        value = record.get(self.sort_by or "")
        if self.sort_by in FIELDS:
            return order_key(value)
        return (int(value is not None), str(value) if value is not None else "")

    def page(self, records: list[Any]) -> list[Any]:
        return records[self.offset:self.offset + self.limit]
