"""``SessionStore`` in one process's memory: dicts of records, and their timestamp orders.

Atomic because nothing in a change awaits. Beside the records, each database and session kind
keeps its sessions ordered by ``created_at`` and ``updated_at`` (``core.orderings``), updated on
every write, so that a list page sorted by either costs the page, whatever the store holds. The
store keeps to its ``Bounds`` (sessions per database, bytes in all): a write past them raises
``StoreFull`` and stores nothing. No web imports here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import cast

from mockserver.agentos.errors import SessionNotFound
from mockserver.agentos.listing import SessionQuery
from mockserver.agentos.orderings import Ordering
from mockserver.agentos.session_store import Change, Creation
from mockserver.agentos.sessions import Record, json_copy
from mockserver.agentos.timestamps import FIELDS as TIMESTAMPS
from mockserver.core.bounds import Bounds, json_size


class InMemorySessionStore:
    def __init__(self, records: Iterable[Record] = (), databases: Iterable[str] = (),
                 bounds: Bounds | None = None) -> None:
        self._bounds = bounds or Bounds()
        self._sizes: dict[tuple[str, str], tuple[int, int]] = {}  # a record's bytes, and its runs'
        self._load(records, databases)

    def _load(self, records: Iterable[Record], databases: Iterable[str]) -> None:
        self._bounds.take(-sum(size for size, _ in self._sizes.values()))
        self._sizes = {}
        self._databases: dict[str, dict[str, Record]] = {db_id: {} for db_id in databases}
        self._sequence: dict[tuple[str, str], int] = {}
        self._orderings: dict[tuple[str, str, str], Ordering] = {}
        self._counter = itertools.count()
        for record in records:
            self._store(record["db_id"], json_copy(record), checked=False)

    def _store(self, db_id: str, record: Record, checked: bool = True) -> None:
        """Put ``record`` in place of any record of its id, in the records and the orderings; unless
        loading fixtures, only within the bounds (else ``StoreFull``, and nothing changes)."""
        sessions = self._databases.get(db_id, {})
        key = (db_id, record["session_id"])
        self._count(sessions, key, record, checked)
        sessions = self._databases.setdefault(db_id, sessions)
        if key in self._sequence:
            self._unorder(db_id, sessions[record["session_id"]])
        sequence = self._sequence.setdefault(key, next(self._counter))
        sessions[record["session_id"]] = record
        for field in TIMESTAMPS:
            self._ordering(db_id, record["type"], field).add(record, sequence)

    def _count(self, sessions: dict[str, Record], key: tuple[str, str], record: Record,
               checked: bool) -> None:
        """Count ``record``'s bytes instead of the stored record's; unless loading fixtures, only
        within the bounds (else ``StoreFull``). Its runs are measured again only when they are not
        the stored record's own (no change touches a session's runs: ``without_runs_copied``), so
        that a PATCH of a long history does not cost its length."""
        stored, runs = sessions.get(key[1]), record.get("runs")
        reused = stored is not None and runs is not None and stored.get("runs") is runs
        runs_size = self._sizes[key][1] if reused else json_size(runs)
        size = json_size({name: value for name, value in record.items() if name != "runs"}) + runs_size
        growth = size - self._sizes.get(key, (0, 0))[0]
        if checked:
            if stored is None:
                self._bounds.check_room(len(sessions), f"database {key[0]!r}")
            self._bounds.check_growth(growth)
        self._bounds.take(growth)
        self._sizes[key] = (size, runs_size)

    def _unorder(self, db_id: str, record: Record) -> None:
        sequence = self._sequence[(db_id, record["session_id"])]
        for field in TIMESTAMPS:
            self._ordering(db_id, record["type"], field).remove(record, sequence)

    def _ordering(self, db_id: str, session_type: str, field: str) -> Ordering:
        key = (db_id, session_type, field)
        if key not in self._orderings:
            self._orderings[key] = Ordering(field)
        return self._orderings[key]

    async def replace_all(self, records: Iterable[Record], databases: Iterable[str]) -> None:
        self._load(records, databases)

    async def databases(self) -> list[str]:
        return list(self._databases)

    async def get(self, db_id: str, session_id: str) -> Record | None:
        record = self._databases.get(db_id, {}).get(session_id)
        return json_copy(record) if record is not None else None

    async def update(self, db_id: str, session_id: str, change: Change) -> Record:
        sessions = self._databases.get(db_id, {})
        if session_id not in sessions:
            raise SessionNotFound(session_id)
        updated = change(without_runs_copied(sessions[session_id]))
        self._store(db_id, updated)
        return without_runs_copied(updated)

    async def all(self) -> list[Record]:
        return [json_copy(r) for sessions in self._databases.values() for r in sessions.values()]

    async def put(self, record: Record) -> bool:
        created = record["session_id"] not in self._databases.get(record["db_id"], {})
        self._store(record["db_id"], json_copy(record))
        return created

    async def create(self, db_id: str, session_id: str, make: Creation) -> Record:
        existing = self._databases.get(db_id, {}).get(session_id)
        created = make(json_copy(existing) if existing is not None else None)
        self._store(db_id, created)
        return cast(Record, json_copy(created))

    async def delete(self, db_id: str, session_ids: Iterable[str]) -> int:
        sessions = self._databases.get(db_id, {})
        removed = 0
        for session_id in set(session_ids):
            if session_id not in sessions:
                continue
            self._unorder(db_id, sessions.pop(session_id))
            del self._sequence[(db_id, session_id)]
            self._bounds.take(-self._sizes.pop((db_id, session_id))[0])
            removed += 1
        return removed

    async def query(self, db_id: str, query: SessionQuery) -> tuple[list[Record], int]:
        sessions = self._databases.get(db_id, {})
        if query.sort_by in TIMESTAMPS:
            ordering = self._ordering(db_id, query.session_type, query.sort_by)
            if query.filters_by_kind_only:
                ids = ordering.session_ids(query.descending, query.offset, query.offset + query.limit)
                return [without_runs_copied(sessions[session_id]) for session_id in ids], len(ordering)
            candidates: Iterator[Record] = (sessions[i] for i in ordering.session_ids(query.descending))
            matching = [record for record in candidates if query.matches(record)]
        else:
            matching = [record for record in sessions.values() if query.matches(record)]
            if query.sorted:
                matching.sort(key=query.sort_key, reverse=query.descending)
        return [without_runs_copied(record) for record in query.page(matching)], len(matching)


def without_runs_copied(record: Record) -> Record:
    """A copy of ``record`` sharing its runs: no change touches a session's runs, no list shows
    them, and copying them on every update made a PATCH of a session with a long history
    measurably slower (bench/)."""
    return {key: value if key == "runs" else json_copy(value) for key, value in record.items()}
