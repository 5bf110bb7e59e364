"""The AgentOS profile's part of ``proxy --record``: sessions, written as its session fixtures.

A session read, created, updated or renamed is kept as its answer showed it, with its ``type``
(the request's, ``agent`` by default) and its runs once ``GET /sessions/{id}/runs`` showed them; a
204 delete removes it, a bulk delete its sessions. One file per database: ``sessions-default.json``
for requests without ``db_id`` (they went to the server's default database: written as ``db_id:
default``, marked ``default: true``, and written at start so that the directory loads before any
session was seen), ``sessions-<id>.<hash>.json`` for any other (``core.fixture_files.unique_name``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from mockserver.core.fixture_files import Entry, FixtureFile, encoded, unique_name
from mockserver.profile import RecordedFiles

DEFAULT_DB = "default"
DEFAULT_FILE = "sessions-default.json"
SESSION_ANSWERS = {"get_session_by_id", "create_session", "update_session", "rename_session"}
SESSION_OPERATIONS = SESSION_ANSWERS | {"delete_session", "delete_sessions", "get_session_runs"}


def sessions_file_name(db_id: str) -> str:
    return DEFAULT_FILE if db_id == DEFAULT_DB else f"sessions-{unique_name('sessions', db_id, db_id)}"


def with_runs(opened: bytes, runs: bytes | None) -> Entry:
    """A session's entry: its fields' JSON without the closing brace, then its runs if known."""
    return (opened, b"}") if runs is None else (opened, b',"runs":', runs, b"}")


class SessionRecording:
    """What the answers to the claimed session operations show, kept per database."""

    def __init__(self, claimed: frozenset[str]) -> None:
        self.claimed = claimed & SESSION_OPERATIONS
        self.runs: dict[tuple[str, str], bytes] = {}  # (db_id, session_id) -> its runs' JSON

    def wants(self, key: str) -> bool:
        return key in self.claimed

    def prepare(self, files: RecordedFiles) -> None:
        if self.claimed:
            self._file(files, DEFAULT_DB).write()

    def apply(self, files: RecordedFiles, key: str, path: str, query: Mapping[str, str], request: bytes,
              body: Any) -> FixtureFile | None:
        db_id = query.get("db_id") or DEFAULT_DB
        if key == "delete_sessions":
            asked = orjson.loads(request) if request.strip() else None
            gone = [str(i) for i in asked.get("session_ids") or ()] if isinstance(asked, dict) else []
            return self._forget(self._file(files, db_id), db_id, gone)
        file = self._file(files, db_id)
        segments = path.rstrip("/").split("/")
        session_id = segments[2] if len(segments) > 2 else ""  # /sessions/{session_id}/...
        if key in SESSION_ANSWERS and isinstance(body, dict) and "session_id" in body:
            session_id = str(body["session_id"])
            record = {"type": query.get("type", "agent"), **body}
            runs = self.runs.get((db_id, session_id))
            if runs is not None:
                record.pop("runs", None)
            file.entries[session_id] = with_runs(encoded(record)[:-1], runs)
        elif key == "get_session_runs" and isinstance(body, list):
            self.runs[(db_id, session_id)] = runs = encoded(body)
            if session_id not in file.entries:
                return None  # kept for the session, once an answer shows it
            file.entries[session_id] = with_runs(file.entries[session_id][0], runs)
        elif key == "delete_session":
            return self._forget(file, db_id, [session_id])
        else:
            return None
        return file

    def _forget(self, file: FixtureFile, db_id: str, session_ids: Sequence[str]) -> FixtureFile:
        for session_id in session_ids:
            self.runs.pop((db_id, session_id), None)
            file.entries.pop(session_id, None)
        return file

    @staticmethod
    def _file(files: RecordedFiles, db_id: str) -> FixtureFile:
        header: dict[str, Any] = {"db_id": db_id, **({"default": True} if db_id == DEFAULT_DB else {})}
        return files.file(sessions_file_name(db_id), header, "sessions")
