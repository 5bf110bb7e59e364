"""Build the mock: spec, fixtures, store, handlers and engine wired into a Connexion app.

Every operation is served: by its dedicated handler (the AgentOS sessions API, the admin API),
else by the generic engine (``mockserver.engine``). ``build_mock(config)`` does all the checking a
start needs (documents, fixtures) and raises a ``StartupError`` before anything listens.
``create_app(config)`` is the ASGI app alone, for servers and test clients. The order of the
middleware below is the request's path through the mock.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.config import ADMIN_SPEC_FILE, Config, bundled
from mockserver.core.fixtures import FixtureSet, load_fixtures
from mockserver.core.journal import Redaction
from mockserver.core.model import SessionModel
from mockserver.core.spec import Spec, load_spec
from mockserver.core.specs import load_specs
from mockserver.engine import Engine
from mockserver.engine.answers import ErrorBodies
from mockserver.errors import SpecError
from mockserver.handlers import (
    ADMIN_HANDLERS,
    HandlerContext,
    bind,
    dedicated_operations,
    unhandled_operations,
)
from mockserver.server import connexion31
from mockserver.server.access_log import AccessLog
from mockserver.server.connexion31.routing import MiddlewarePosition, operation_resolver
from mockserver.server.middleware import forced, prefer
from mockserver.server.middleware.docs import DocsPage
from mockserver.server.middleware.edge import Edge
from mockserver.server.middleware.faults import Faults
from mockserver.server.middleware.gate import Gate
from mockserver.server.middleware.limits import BodyLimits
from mockserver.server.middleware.target import RequestGuard, is_loopback
from mockserver.server.watch import FixtureWatcher, watching
from mockserver.stores import Stores, open_stores, prepare


@dataclass(frozen=True)
class Mock:
    """A built mock: the ASGI app and what it serves."""

    app: connexion31.OpenAPI31App
    spec: Spec  # the served documents as one
    documents: tuple[Path, ...]
    context: HandlerContext
    engine: Engine
    stores: Stores
    requires_credentials: bool = False

    @property
    def fixtures(self) -> FixtureSet:
        return self.context.fixtures

    @property
    def serves_sessions(self) -> bool:
        return bool(self.context.kinds)

    async def reset(self) -> None:
        """Put the state back to the fixtures."""
        await self.context.reset()

    def prepare_store(self, config: Config) -> str:
        """Reach the store and load the fixtures where it holds no state yet (or always, with
        ``reset_on_start``), before serving; what happened, for the banner. ``ConfigError`` naming
        the URL when the store cannot be reached."""
        return asyncio.run(prepare(self.stores, self.engine.store, config, self.fixtures,
                                   self.engine.fixture_items))

    def drop_store(self) -> None:
        """Remove this mock's state from a shared store (a test session's own prefix)."""
        namespace = self.stores.namespace
        if namespace is not None:
            async def dropped() -> None:
                try:
                    await namespace.drop()
                finally:
                    await namespace.close()

            asyncio.run(dropped())

    def sessions_by_type(self) -> dict[str, int]:
        counts = Counter(record["type"] for record in self.fixtures.records)
        return {kind: counts.get(kind, 0) for kind in self.context.kinds}


def check_admin_handlers(spec: Spec) -> None:
    """Every operation of the admin document has a handler (``SpecError`` naming the first that has not)."""
    for operation in unhandled_operations(spec):
        raise SpecError(
            f"{spec.path}: {operation.pointer}/operationId: no handler for operationId "
            f"{operation.operation_id!r} ({operation.method.upper()} {operation.path}); "
            f"the admin API implements: {', '.join(sorted(ADMIN_HANDLERS))}"
        )


def session_state(spec: Spec, fixtures: Path | None) -> tuple[SessionModel, FixtureSet]:
    """The session model and fixtures when the documents define the sessions API, else none."""
    if not any(True for _ in dedicated_operations(spec)):
        return SessionModel.without_sessions(spec), FixtureSet([], [], "")
    model = SessionModel.from_spec(spec)
    if fixtures is None:
        return model, FixtureSet([], [], "")
    return model, load_fixtures(fixtures, model)


def credentials_required(config: Config, dedicated: set[str]) -> bool:
    """Whether a request needs the credentials its operation's security names: always with a
    security key; else as ``--require-credentials`` says, or as the served API's own server does
    (AgentOS, whose sessions the dedicated handlers serve, takes any or none)."""
    if config.security_key is not None:
        return True
    return config.require_credentials if config.require_credentials is not None else not dedicated


def connexion_app(config: Config, specs: list[Spec], handler_for: Callable[[str], Callable[..., Any]],
                  requires_credentials: bool, render_error: Callable[..., Any],
                  lifespan: Any = None) -> connexion31.OpenAPI31App:
    """Connexion serving ``specs`` as the mock does: each operation routed to ``handler_for(key)``,
    credentials checked, parameters and bodies validated (a body without Content-Type read as
    JSON), every failure answered by ``render_error``. Callers add their own middleware."""
    app = connexion31.OpenAPI31App(
        __name__,
        lifespan=lifespan,
        resolver=operation_resolver(handler_for),
        validator_map=connexion31.validator_map(config.max_depth),
        security_map=connexion31.security_map(config.security_key, is_open=not requires_credentials),
    )
    forms = {key: form for spec in specs for key, form in connexion31.form_operations(spec).items()}
    app.add_middleware(connexion31.AssumeJSONContentType, position=MiddlewarePosition.BEFORE_VALIDATION,
                       forms=forms)
    for document in specs:
        app.add_spec(document)
    for family in connexion31.ERROR_FAMILIES:
        app.add_error_handler(family, render_error)
    return app


def build_mock(config: Config, access_log: AccessLog | None = None) -> Mock:
    """The mock ``config`` describes, writing each request to ``access_log`` if given."""
    served = load_specs(config.specs)
    spec = served.combined
    admin_spec = load_spec(bundled(ADMIN_SPEC_FILE)) if config.admin else None
    if admin_spec is not None:
        check_admin_handlers(admin_spec)
    model, fixtures = session_state(spec, config.fixtures_dir)
    dedicated = {operation.key for operation in dedicated_operations(spec)}
    stores = open_stores(config, served.paths, fixtures)
    engine = Engine(spec, dedicated, config.fixtures_dir, served_only=config.bundled_fixtures,
                    store=stores.make_items, dynamic_timeout=config.dynamic_timeout)
    context = HandlerContext(
        store=stores.sessions, model=model, fixtures=fixtures, journal=stores.journal,
        require_db_id=config.require_db_id, resets=[engine.reset],
    )

    requires_credentials = credentials_required(config, dedicated)
    specs = [s for s in (spec, admin_spec) if s is not None]
    errors = ErrorBodies(specs, own_shape=bool(dedicated), keep_status=dedicated | set(ADMIN_HANDLERS))
    render_error = connexion31.error_renderer(connexion31.DocumentedRoutes(*specs), errors.render)

    def handler_for(key: str) -> Callable[..., Any]:
        if key in dedicated or (admin_spec is not None and key in ADMIN_HANDLERS):
            return bind(key, context)
        return connexion31.engine_handler(engine.answer, key, prefer.preferences)

    watcher = FixtureWatcher(config.fixtures_dir, context) if config.watch and config.fixtures_dir else None
    app = connexion_app(config, specs, handler_for, requires_credentials, render_error,
                        lifespan=watching(watcher) if watcher else None)
    # Outside the error handling, so that error answers carry CORS headers and are journaled.
    app.add_middleware(Edge, position=MiddlewarePosition.BEFORE_EXCEPTION, journal=context.journal,
                       cors_origins=list(config.cors_origins or ["*"]) if config.cors else None,
                       access_log=access_log, redaction=Redaction(spec.query_credentials))
    title = str(spec.raw.get("info", {}).get("title", "API"))
    # The admin API's key is checked by Connexion's security, with every other operation's.
    app.add_middleware(Gate, position=MiddlewarePosition.BEFORE_ROUTING,
                       guard=RequestGuard(config.admin_origins, on_loopback=is_loopback(config.host)),
                       docs=DocsPage(served.paths, title=title),
                       limits=BodyLimits(config.max_body_bytes, config.read_timeout),
                       latency=prefer.Latency(config.latency), faults=Faults(config.faults, config.seed))
    app.add_middleware(forced.PreferCode, position=MiddlewarePosition.BEFORE_CONTEXT,
                       answers=forced.documented_answers(*specs), render=errors.render)
    return Mock(app=app, spec=spec, documents=served.paths, context=context, engine=engine,
                stores=stores, requires_credentials=requires_credentials)


def create_app(config: Config | None = None) -> connexion31.OpenAPI31App:
    """The mock's ASGI app for ``config`` (defaults: the bundled spec and fixtures)."""
    return build_mock(config or Config()).app
