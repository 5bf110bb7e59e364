"""``--record DIR``: what the real server's 2xx answers show, written as fixture files that
``mockserver run --fixtures DIR`` loads unchanged.

Items of a flat generic collection: each item a read, create, replace, update or list showed, by
its id property; a 2xx delete removes it (a file per collection, ``core.fixture_files`` names
it). The operations a profile claims are its to record (``profile.RecordRules``; AgentOS: its
sessions, ``agentos.recording``). Only answers that keep the contract are recorded (the mock
would refuse the others as fixtures).

Off the event loop: ``seen``, called on the event loop, only queues the answer; one writer thread
(``record_writer``) reads the answers in the order seen into their files' entries and writes each
changed file when it is due (``core.fixture_files.FixtureFile``). ``close``, at the lifespan's
shutdown, writes what is pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.types import Scope

from mockserver.core.fixture_files import FixtureFile, collection_file_name, encoded
from mockserver.core.spec import Spec
from mockserver.engine.inference import Collection, infer_routes
from mockserver.errors import ConfigError
from mockserver.profile import RecordRules
from mockserver.server.proxy.record_writer import RecordWriter


@dataclass(frozen=True)
class Answer:
    """A 2xx answer to record: its operation, the request's path, query and body, its body."""

    key: str
    path: str
    query: bytes
    request: bytes
    body: bytes


class Recorder:
    def __init__(self, directory: Path, specs: Sequence[Spec], dedicated: set[str],
                 rules: RecordRules | None = None) -> None:
        """``dedicated``: the operations a profile claims; ``rules``: how it records them."""
        self.directory, self.rules = directory, rules
        self.files: dict[str, FixtureFile] = {}  # file name -> file
        self.collections: dict[str, Collection] = {}  # operation key -> its flat collection
        self.verbs: dict[str, str] = {}
        self.envelopes: dict[str, str | None] = {}  # the property an answer wraps its item in
        for spec in specs:
            for key, route in infer_routes(spec, dedicated, {}).items():
                if route.collection is not None and not route.collection.scope_parameters:
                    self.collections[key], self.verbs[key] = route.collection, route.verb
                    self.envelopes[key] = route.answer_key
        self.writer = RecordWriter(self._apply)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if rules is not None:
                rules.prepare(self)
        except OSError as exc:
            problem = exc.strerror or str(exc)
            raise ConfigError(f"--record {directory}: cannot write there ({problem})") from None

    def seen(self, key: str, scope: Scope, request: bytes, status: int, body: bytes) -> None:
        """Queue a 2xx answer to the operation ``key`` (``request``: the request's body)."""
        profile_wants = self.rules is not None and self.rules.wants(key)
        if 200 <= status < 300 and (key in self.collections or profile_wants):
            self.writer.put(Answer(key, scope["path"], scope.get("query_string", b""), request, body))

    def flush(self, timeout: float = 60.0) -> bool:
        """Wait until everything seen so far is written (False if that took over ``timeout``)."""
        return self.writer.flush(timeout)

    async def close(self) -> None:
        """Write everything seen and stop the writer thread (the lifespan's shutdown)."""
        await self.writer.close()

    def file(self, name: str, header: dict[str, Any], entries_key: str) -> FixtureFile:
        if name not in self.files:
            self.files[name] = FixtureFile(self.directory / name, header, entries_key)
        return self.files[name]

    def _apply(self, answer: Answer) -> None:
        query = dict(parse_qsl(answer.query.decode("latin-1")))
        try:
            body = orjson.loads(answer.body) if answer.body.strip() else None
            if answer.key in self.collections:
                self._item(answer.key, answer.path, body)
            elif self.rules is not None:
                changed = self.rules.apply(self, answer.key, answer.path, query, answer.request, body)
                if changed is not None:
                    self.writer.changed(changed)
        except orjson.JSONDecodeError:
            return  # not JSON: nothing a fixture could hold

    def _item(self, key: str, path: str, answer: Any) -> None:
        collection, verb, envelope = self.collections[key], self.verbs[key], self.envelopes[key]
        if envelope is not None and verb != "list" and isinstance(answer, dict):
            answer = answer.get(envelope)
        file = self.file(collection_file_name(collection.path), {"collection": collection.path}, "items")
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
