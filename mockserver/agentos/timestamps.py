"""Timestamps as the documents write them: RFC 3339 strings or Unix seconds, read without failing.

AgentOS's schemas give agent and team sessions RFC 3339 strings and workflows Unix seconds; the
mock writes both as AgentOS 2.3.17 does (``Z``, to the second). Reading never raises: a value
that is no time the mock can place (a string it cannot parse, seconds outside the years 1 to 9999)
reads as None, so a schema-valid but odd value sorts as a null instead of failing a request.
No web imports.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

FIELDS = ("created_at", "updated_at")  # a session's timestamps


def unix_timestamps(schema: Mapping[str, Any]) -> bool:
    """Whether a timestamp property's schema writes Unix seconds (else RFC 3339 strings)."""
    branches = [schema, *schema.get("anyOf", ()), *schema.get("oneOf", ())]
    return any(branch.get("type") == "integer" for branch in branches)


def moment_of(value: Any) -> datetime | None:
    """Unix seconds or an RFC 3339 string (``Z`` or ``z``; no offset reads as UTC) as a UTC time."""
    try:
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC) if math.isfinite(value) else None
        moment = datetime.fromisoformat(str(value).upper())
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None


def epoch_seconds(value: Any) -> float | None:
    moment = moment_of(value)
    return moment.timestamp() if moment is not None else None


def write_timestamp(moment: datetime, unix: bool) -> str | int:
    """``moment`` as Unix seconds or an RFC 3339 string in UTC with ``Z``, to the second, as
    AgentOS writes them."""
    moment = moment.astimezone(UTC)
    return int(moment.timestamp()) if unix else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rewritten(value: Any, unix: bool) -> Any:
    """A stored timestamp in the other format (a workflow's seconds in a list); None if no time."""
    moment = moment_of(value)
    return write_timestamp(moment, unix) if moment is not None else None


def order_key(value: Any) -> tuple[int, float]:
    """Nulls (and what is no time) first, then by time: SQLite's ascending order."""
    seconds = epoch_seconds(value)
    return (1, seconds) if seconds is not None else (0, 0.0)
