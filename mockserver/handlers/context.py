"""What handlers share: the store, the session kinds and the database settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..sessions import SessionKind
from ..store import SessionStore


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SessionsContext:
    store: SessionStore
    kinds: Mapping[str, SessionKind]
    default_db: str
    require_db_id: bool = False
    clock: Callable[[], datetime] = field(default=utc_now)
