"""Sessions a contract run pins (``--session TYPE=ID[@DB]``, or the first fixture session of each
type): Schemathesis then reads, updates and renames sessions that exist, not only 404s."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.agentos.fixtures import FixtureSet
from mockserver.agentos.sessions import RESPONSE_SCHEMAS


@dataclass(frozen=True)
class PinnedSession:
    session_type: str
    session_id: str
    db_id: str | None = None

    @classmethod
    def parse(cls, text: str) -> PinnedSession:
        """``TYPE=ID`` or ``TYPE=ID@DB``; ``ValueError`` with a sentence otherwise."""
        session_type, equals, rest = text.partition("=")
        session_id, at, db_id = rest.rpartition("@") if "@" in rest else (rest, "", "")
        if not equals or not session_id or (at and not db_id):
            raise ValueError(f"expected TYPE=ID or TYPE=ID@DB, got {text!r}")
        if session_type not in RESPONSE_SCHEMAS:
            kinds = ", ".join(RESPONSE_SCHEMAS)
            raise ValueError(f"session type must be one of {kinds}, got {session_type!r}")
        return cls(session_type, session_id, db_id or None)

    @property
    def label(self) -> str:
        return f"{self.session_type} session {self.session_id}" + (f"@{self.db_id}" if self.db_id else "")

    def parameters(self) -> dict[str, str]:
        pinned = {"path.session_id": self.session_id, "query.type": self.session_type}
        return pinned | ({"query.db_id": self.db_id} if self.db_id else {})


def fixture_pins(fixtures: FixtureSet) -> list[PinnedSession]:
    """The first session of each type in the default database."""
    first: dict[str, PinnedSession] = {}
    for record in fixtures.records:
        if record["db_id"] == fixtures.default_db and record["type"] not in first:
            first[record["type"]] = PinnedSession(record["type"], record["session_id"], record["db_id"])
    return list(first.values())
