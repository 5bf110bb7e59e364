"""``--record DIR``: what the real server's 2xx answers show, written as fixture files that
``mockserver run --fixtures DIR`` loads unchanged.

Sessions: a session read, created, updated or renamed is kept as its answer showed it, with its
``type`` (the request's, ``agent`` by default) and its runs once ``GET /sessions/{id}/runs``
showed them; a 204 delete removes it. One file per database (``record_files`` names them);
requests without ``db_id`` went to the server's default database, written as ``db_id: default``
and marked ``default: true`` (that file is written at start when the documents have the sessions
API, so that the directory loads even before a session was seen). Items of a flat generic
collection: each item a read, create, replace, update or list showed, by its id property; a 2xx
delete removes it (a file per collection). Only answers that keep the contract are recorded (the
mock would refuse the others as fixtures).

Off the event loop: ``seen``, called on the event loop, only queues the answer; one writer thread
(``record_writer``) reads the answers in the order seen into their files' entries and writes each
changed file when it is due (``record_files``). ``close``, at the lifespan's shutdown, writes what
is pending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.types import Scope

from mockserver.core.spec import Spec
from mockserver.engine.inference import Collection, infer_routes
from mockserver.errors import ConfigError
from mockserver.server.proxy.record_files import (
    DEFAULT_DB,
    Entry,
    FixtureFile,
    collection_file_name,
    encoded,
    sessions_file_name,
)
from mockserver.server.proxy.record_writer import RecordWriter

SESSION_ANSWERS = {"get_session_by_id", "create_session", "update_session", "rename_session"}
SESSION_OPERATIONS = SESSION_ANSWERS | {"delete_session", "delete_sessions", "get_session_runs"}


@dataclass(frozen=True)
class Answer:
    """A 2xx answer to record: its operation, the request's path, query and body, its body."""

    key: str
    path: str
    query: bytes
    request: bytes
    body: bytes


class Recorder:
    def __init__(self, directory: Path, specs: Sequence[Spec], dedicated: set[str]) -> None:
        self.directory = directory
        self.files: dict[str, FixtureFile] = {}  # file name -> file
        self.runs: dict[tuple[str, str], bytes] = {}  # (db_id, session_id) -> its runs' JSON
        self.collections: dict[str, Collection] = {}  # operation key -> its flat collection
        self.verbs: dict[str, str] = {}
        for spec in specs:
            for key, route in infer_routes(spec, dedicated, {}).items():
                if route.collection is not None and not route.collection.scope_parameters:
                    self.collections[key], self.verbs[key] = route.collection, route.verb
        self.writer = RecordWriter(self._apply)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if dedicated:
                self._sessions_file(DEFAULT_DB).write()
        except OSError as exc:
            problem = exc.strerror or str(exc)
            raise ConfigError(f"--record {directory}: cannot write there ({problem})") from None

    def seen(self, key: str, scope: Scope, request: bytes, status: int, body: bytes) -> None:
        """Queue a 2xx answer to the operation ``key`` (``request``: the request's body)."""
        if 200 <= status < 300 and (key in SESSION_OPERATIONS or key in self.collections):
            self.writer.put(Answer(key, scope["path"], scope.get("query_string", b""), request, body))

    def flush(self, timeout: float = 60.0) -> bool:
        """Wait until everything seen so far is written (False if that took over ``timeout``)."""
        return self.writer.flush(timeout)

    async def close(self) -> None:
        """Write everything seen and stop the writer thread (the lifespan's shutdown)."""
        await self.writer.close()

    def _file(self, name: str, header: dict[str, Any], entries_key: str) -> FixtureFile:
        if name not in self.files:
            self.files[name] = FixtureFile(self.directory / name, header, entries_key)
        return self.files[name]

    def _sessions_file(self, db_id: str) -> FixtureFile:
        header: dict[str, Any] = {"db_id": db_id, **({"default": True} if db_id == DEFAULT_DB else {})}
        return self._file(sessions_file_name(db_id), header, "sessions")

    def _apply(self, answer: Answer) -> None:
        query = dict(parse_qsl(answer.query.decode("latin-1")))
        try:
            body = orjson.loads(answer.body) if answer.body.strip() else None
            if answer.key == "delete_sessions":
                asked = orjson.loads(answer.request) if answer.request.strip() else None
                if isinstance(asked, dict):
                    gone = [str(i) for i in asked.get("session_ids") or ()]
                    self._forget(query.get("db_id") or DEFAULT_DB, gone)
            elif answer.key in SESSION_OPERATIONS:
                self._session(answer.key, answer.path, query, body)
            else:
                self._item(answer.key, answer.path, body)
        except orjson.JSONDecodeError:
            return  # not JSON: nothing a fixture could hold

    def _session(self, key: str, path: str, query: Mapping[str, str], answer: Any) -> None:
        db_id = query.get("db_id") or DEFAULT_DB
        file = self._sessions_file(db_id)
        segments = path.rstrip("/").split("/")
        session_id = segments[2] if len(segments) > 2 else ""
        if key in SESSION_ANSWERS and isinstance(answer, dict) and "session_id" in answer:
            session_id = str(answer["session_id"])
            record = {"type": query.get("type", "agent"), **answer}
            runs = self.runs.get((db_id, session_id))
            if runs is not None:
                record.pop("runs", None)
            file.entries[session_id] = with_runs(encoded(record)[:-1], runs)
        elif key == "get_session_runs" and isinstance(answer, list):
            self.runs[(db_id, session_id)] = runs = encoded(answer)
            if session_id not in file.entries:
                return  # kept for the session, once an answer shows it
            file.entries[session_id] = with_runs(file.entries[session_id][0], runs)
        elif key == "delete_session":
            self.runs.pop((db_id, session_id), None)
            file.entries.pop(session_id, None)
        else:
            return
        self.writer.changed(file)

    def _forget(self, db_id: str, session_ids: Sequence[str]) -> None:
        """A bulk delete's 204: its sessions are gone."""
        file = self._sessions_file(db_id)
        for session_id in session_ids:
            self.runs.pop((db_id, session_id), None)
            file.entries.pop(session_id, None)
        self.writer.changed(file)

    def _item(self, key: str, path: str, answer: Any) -> None:
        collection, verb = self.collections[key], self.verbs[key]
        file = self._file(collection_file_name(collection.path), {"collection": collection.path}, "items")
        if verb == "remove":
            file.entries.pop(path.rstrip("/").rsplit("/", 1)[-1], None)
        elif verb == "list":
            listed = answer if isinstance(answer, list) else next(
                (value for value in (answer or {}).values() if isinstance(value, list)), [])
            file.entries.update({str(item[collection.id_property]): (encoded(item),) for item in listed
                                 if isinstance(item, dict) and collection.id_property in item})
        elif isinstance(answer, dict) and collection.id_property in answer:
            file.entries[str(answer[collection.id_property])] = (encoded(answer),)
        else:
            return
        self.writer.changed(file)


def with_runs(opened: bytes, runs: bytes | None) -> Entry:
    """A session's entry: its fields' JSON without the closing brace, then its runs if known."""
    return (opened, b"}") if runs is None else (opened, b',"runs":', runs, b"}")
