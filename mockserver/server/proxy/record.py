"""``--record DIR``: what the real server's 2xx answers show, written as fixture files that
``mockserver run --fixtures DIR`` loads unchanged.

Sessions: a session read, created, updated or renamed is kept as its answer showed it, with its
``type`` (the request's, ``agent`` by default) and its runs once ``GET /sessions/{id}/runs``
showed them; a 204 delete removes it. One file per database (``sessions-<db_id>.yaml``, the id
made safe for a file name); requests without ``db_id`` went to the server's default database,
written as ``db_id: default`` and marked ``default: true`` (that file is always there when the
documents have the sessions API, so that the directory loads even before a session was seen).
Items of a flat generic collection: each item a read, create, replace, update or list showed, by
its id property; a 2xx delete removes it (``<collection>.yaml``). Only answers that keep the
contract are recorded (the mock would refuse the others as fixtures). Files are rewritten whole
(through a temporary file) after every change, so a stopped proxy loses nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson
import yaml
from starlette.types import Scope

from mockserver.core.spec import Spec
from mockserver.engine.inference import Collection, infer_routes

SESSION_ANSWERS = {"get_session_by_id", "create_session", "update_session", "rename_session"}
SESSION_REMOVALS = {"delete_session", "delete_sessions"}
DEFAULT_DB = "default"


def file_name(name: str) -> str:
    """``name`` as a file name that stays in its folder."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".") or "_"


def write_yaml(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    text = yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True)
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class Recorder:
    def __init__(self, directory: Path, specs: Sequence[Spec], dedicated: set[str]) -> None:
        self.directory = directory
        self.sessions: dict[str, dict[str, dict[str, Any]]] = {}  # db_id -> session_id -> record
        if dedicated:
            self.sessions[DEFAULT_DB] = {}
            self._write_sessions(DEFAULT_DB)
        self.runs: dict[tuple[str, str], list[Any]] = {}  # runs seen before their session
        self.collections: dict[str, Collection] = {}  # operation key -> its flat collection
        self.verbs: dict[str, str] = {}
        self.items: dict[str, dict[str, Any]] = {}  # collection path -> id -> item
        for spec in specs:
            for key, route in infer_routes(spec, dedicated, {}).items():
                if route.collection is not None and not route.collection.scope_parameters:
                    self.collections[key], self.verbs[key] = route.collection, route.verb

    def seen(self, key: str, scope: Scope, request: bytes, status: int, body: bytes) -> None:
        """Keep what a 2xx answer to the operation ``key`` shows (``request``: the request's body)."""
        if not 200 <= status < 300:
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        try:
            answer = orjson.loads(body) if body.strip() else None
            asked = orjson.loads(request) if request.strip() else None
        except orjson.JSONDecodeError:
            return  # not JSON: nothing a fixture could hold
        if key == "delete_sessions" and isinstance(asked, dict):
            self.forget_sessions(query.get("db_id"), [str(i) for i in asked.get("session_ids") or ()])
        elif key in SESSION_ANSWERS or key in SESSION_REMOVALS or key == "get_session_runs":
            self._session(key, scope["path"], query, answer)
        elif key in self.collections:
            self._item(key, scope["path"], answer)

    def _session(self, key: str, path: str, query: Mapping[str, str], answer: Any) -> None:
        db_id = query.get("db_id") or DEFAULT_DB
        sessions = self.sessions.setdefault(db_id, {})
        session_id = path.rstrip("/").split("/")[2] if path.count("/") >= 2 else ""
        if key in SESSION_ANSWERS and isinstance(answer, dict) and "session_id" in answer:
            record = {"type": query.get("type", "agent"), **answer}
            runs = self.runs.pop((db_id, answer["session_id"]), None)
            previous = sessions.get(answer["session_id"], {})
            if runs is not None or "runs" in previous:
                record["runs"] = runs if runs is not None else previous["runs"]
            sessions[answer["session_id"]] = record
        elif key == "get_session_runs" and isinstance(answer, list):
            if session_id in sessions:
                sessions[session_id]["runs"] = answer
            else:
                self.runs[(db_id, session_id)] = answer
                return
        elif key == "delete_session":
            sessions.pop(session_id, None)
        else:
            return
        self._write_sessions(db_id)

    def forget_sessions(self, db_id: str | None, session_ids: Sequence[str]) -> None:
        """A bulk delete's 204: its sessions are gone."""
        sessions = self.sessions.setdefault(db_id or DEFAULT_DB, {})
        for session_id in session_ids:
            sessions.pop(session_id, None)
        self._write_sessions(db_id or DEFAULT_DB)

    def _write_sessions(self, db_id: str) -> None:
        document: dict[str, Any] = {"db_id": db_id}
        if db_id == DEFAULT_DB:
            document["default"] = True
        document["sessions"] = list(self.sessions[db_id].values())
        write_yaml(self.directory / f"sessions-{file_name(db_id)}.yaml", document)

    def _item(self, key: str, path: str, answer: Any) -> None:
        collection, verb = self.collections[key], self.verbs[key]
        items = self.items.setdefault(collection.path, {})
        if verb == "remove":
            items.pop(path.rstrip("/").rsplit("/", 1)[-1], None)
        elif verb == "list":
            listed = answer if isinstance(answer, list) else next(
                (value for value in (answer or {}).values() if isinstance(value, list)), [])
            items.update({str(item[collection.id_property]): item for item in listed
                          if isinstance(item, dict) and collection.id_property in item})
        elif isinstance(answer, dict) and collection.id_property in answer:
            items[str(answer[collection.id_property])] = answer
        else:
            return
        name = file_name(collection.path.strip("/").replace("/", "-") or "root")
        write_yaml(self.directory / f"{name}.yaml", {"collection": collection.path,
                                                      "items": list(items.values())})
