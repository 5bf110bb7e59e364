"""The request journal: a bounded record of recent requests to the served API, for the admin API.

Each ``Entry`` keeps method, path, query, body (as far as the mock read it, up to ``BODY_LIMIT``
bytes, shown as JSON when it parses) and the final status. The in-memory ring keeps the newest ``size``
entries, so memory stays bounded however long the mock runs. Entries are kept as they arrived and
turned into JSON-able dicts only when listed, off the request path. The ASGI middleware that fills
it is ``mockserver.server.middleware.exchange_log``. Behind the validation proxy an entry also keeps the
violations its exchange showed, and with ``--fallback`` who answered (``source``).

An entry keeps no headers or cookies, and ``Redaction`` replaces the values of the query
parameters that carry credentials (the documents' API keys in the query) before it is kept.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qsl, urlencode

BODY_LIMIT = 64 * 1024
REDACTED = "REDACTED"


class Redaction:
    """Hides the values of the query parameters named ``names`` (compared as the server decodes
    them, whatever their case): what the journal keeps and the access log writes."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = frozenset(name.lower() for name in names)

    def query(self, query_string: bytes) -> bytes:
        if not self.names or not query_string:
            return query_string
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
        if not any(name.lower() in self.names for name, _ in pairs):
            return query_string
        return urlencode([(name, REDACTED if name.lower() in self.names else value)
                          for name, value in pairs]).encode("latin-1", "replace")


class Entry(NamedTuple):
    """One request as it arrived; ``as_dict`` is what the admin API lists."""

    method: str
    path: str
    query_string: bytes
    chunks: list[bytes]
    status: int
    seconds: float  # since the epoch
    violations: tuple[dict[str, str], ...] = ()  # the proxy's (core.conformance.Violation.as_dict)
    source: str | None = None  # who answered, behind the proxy with --fallback: upstream, mock, proxy

    def as_dict(self) -> dict[str, Any]:
        entry = {
            "method": self.method, "path": self.path,
            "query": dict(parse_qsl(self.query_string.decode("latin-1"))),
            "body": _body(self.chunks), "status": self.status,
            "time": datetime.fromtimestamp(self.seconds, UTC).isoformat(timespec="milliseconds"),
        }
        if self.violations:
            entry["violations"] = list(self.violations)
        if self.source is not None:
            entry["source"] = self.source
        return entry


class Journal(Protocol):
    """Where requests are recorded; a shared store keeps the requests of every worker."""

    async def record(self, entry: Entry) -> None: ...

    async def entries(self) -> list[dict[str, Any]]:
        """The newest requests, oldest first."""

    async def clear(self) -> None: ...


class InMemoryJournal:
    def __init__(self, size: int) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)

    async def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    async def entries(self) -> list[dict[str, Any]]:
        return [entry.as_dict() for entry in self._entries]

    async def clear(self) -> None:
        self._entries.clear()


def _body(chunks: Iterable[bytes]) -> Any:
    raw = b"".join(chunks)[:BODY_LIMIT]
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text
