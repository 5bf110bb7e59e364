"""Sessions kept in timestamp order as they change, so that a list page costs its own length.

An ``Ordering`` holds the sessions of one database and kind sorted by one timestamp field
(``created_at`` or ``updated_at``), once ascending and once descending, each as a sorted list that
``bisect`` keeps sorted when a record is added or removed. Nulls come first ascending and last
descending, and sessions with equal times keep the order they were stored in, in both directions:
AgentOS's order (SQLite's, with a stable sort). No web imports.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from typing import Any

from mockserver.agentos.timestamps import order_key

Entry = tuple[int, float, int, str]  # (has a time, time, storage sequence, session id), signs per direction


class Ordering:
    def __init__(self, field: str) -> None:
        self.field = field
        self._ascending: list[Entry] = []
        self._descending: list[Entry] = []

    def _entries(self, record: Mapping[str, Any], sequence: int) -> tuple[Entry, Entry]:
        has, value = order_key(record.get(self.field))
        session_id = str(record["session_id"])
        return (has, value, sequence, session_id), (-has, -value, sequence, session_id)

    def add(self, record: Mapping[str, Any], sequence: int) -> None:
        ascending, descending = self._entries(record, sequence)
        bisect.insort(self._ascending, ascending)
        bisect.insort(self._descending, descending)

    def remove(self, record: Mapping[str, Any], sequence: int) -> None:
        for entries, entry in zip((self._ascending, self._descending), self._entries(record, sequence),
                                  strict=True):
            index = bisect.bisect_left(entries, entry)
            if index == len(entries) or entries[index] != entry:
                raise LookupError(f"{entry[3]!r} is not in the {self.field} order: order and records parted")
            del entries[index]

    def __len__(self) -> int:
        return len(self._ascending)

    def session_ids(self, descending: bool, start: int = 0, stop: int | None = None) -> Iterator[str]:
        """The ids in order, from ``start`` to ``stop`` (all by default)."""
        entries = self._descending if descending else self._ascending
        return (entry[3] for entry in entries[start:stop])
