"""The generic, stateful engine: serves every operation no dedicated handler serves.

Collections are inferred from the document (``inference``) and kept in an ``ItemStore``
(``items``); their verbs are in ``collections``; every other operation is answered from the
document (``answers``). No web code: the server hands the engine a ``messages.Request`` and sends
the ``messages.Answer`` it gets back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from mockserver.config import Config
from mockserver.core.spec import Spec
from mockserver.engine.answers import StaticAnswers, documented_body
from mockserver.engine.collections import Collections
from mockserver.engine.error_bodies import ErrorBodies
from mockserver.engine.fitting import Fitter
from mockserver.engine.fixtures import fixture_items, id_overrides, read_collection_files
from mockserver.engine.inference import Collection, Route, infer_routes
from mockserver.engine.items import InMemoryItemStore, Item, ItemStore, Place
from mockserver.engine.messages import Answer, Request
from mockserver.engine.reading import success_status

PREPARE_SECONDS = 2.0  # of start-up spent building static answers (the rest: on first use)


class Engine:
    """Answers the operations of ``spec`` not in ``handled``."""

    def __init__(self, spec: Spec, handled: Iterable[str], fixtures: Path | None,
                 served_only: bool = False, store: Callable[[list[tuple[Place, str, Item]]], ItemStore]
                 = InMemoryItemStore, dynamic_timeout: float = Config.dynamic_timeout) -> None:
        self.spec = spec
        files = read_collection_files(fixtures)
        self.routes: dict[str, Route] = infer_routes(spec, set(handled), id_overrides(files))
        self.fitter = Fitter(spec)
        self.collections: dict[str, Collection] = {
            route.collection.path: route.collection for route in self.routes.values() if route.collection}
        self.fixture_items: list[tuple[Place, str, Item]] = fixture_items(
            files, self.collections, self.fitter, served_only=served_only)
        self.store = store(self.fixture_items)
        self.verbs = Collections(spec, self.store, self.fitter)
        self.static = StaticAnswers(spec, self.fitter, dynamic_timeout)
        self._prepare_static_answers()

    def _prepare_static_answers(self) -> None:
        """Build the static answers now, to answer fast, for at most ``PREPARE_SECONDS``: checking
        a built value against Microsoft Graph's schemas takes a tenth of a second per operation,
        hours for its thousands. Those not built by then are built on first use, off the loop."""
        until = time.monotonic() + PREPARE_SECONDS
        for key, route in self.routes.items():
            if time.monotonic() > until:
                return
            if route.verb == "static":
                status = success_status(route.operation)
                if status is not None:
                    self.static.prepare(key, documented_body(self.spec, route.operation, status))

    def handles(self, key: str) -> bool:
        return key in self.routes

    async def answer(self, key: str, request: Request) -> Answer:
        route = self.routes[key]
        if route.collection is not None:
            return await self.verbs.answer(route, request)
        status = success_status(route.operation)
        if status is None:
            return Answer(204)
        body = documented_body(self.spec, route.operation, status)
        content, headers = await self.static.body(key, body, request.preferences)
        return Answer(body.status, content, body.media_type, headers)

    def fixture_counts(self) -> dict[str, int]:
        """Fixture items per collection path (for the banner)."""
        counts: dict[str, int] = {}
        for (path, _), _, _ in self.fixture_items:
            counts[path] = counts.get(path, 0) + 1
        return counts

    async def reset(self) -> int:
        """Put every collection back to its fixtures; how many items they hold."""
        await self.store.replace_all(self.fixture_items)
        return len(self.fixture_items)


__all__ = ["Answer", "Engine", "ErrorBodies", "Request"]
