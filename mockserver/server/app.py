"""Build the mock, top-down: documents, then the profile (``mockserver.profile``: which operations
get dedicated behaviour), then the state (``server.state``: journal, the engine's collections, the
profile's state), then the Connexion app over them.

Every operation is served: by the profile's handlers where it claims the operation, by the admin
API's under ``/__mockserver/``, else by the generic engine (``mockserver.engine``).
``build_mock(config)`` does all the checking a start needs (documents, profile, fixtures) and
raises a ``StartupError`` before anything listens. ``create_app(config)`` is the ASGI app alone,
for servers and test clients. The order of the middleware below is the request's path through
the mock. Connexion as the mock configures it is ``routed_app``; the admin API's documents and
handlers are ``admin_routes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.admin import AdminContext
from mockserver.config import Config
from mockserver.core.combined import Served, load_specs
from mockserver.core.journal import Redaction
from mockserver.core.spec import Spec
from mockserver.engine import Engine
from mockserver.engine.error_bodies import ErrorBodies
from mockserver.profile import Chosen, ProfileState, choose_profile
from mockserver.server import connexion_adapter
from mockserver.server.access_log import AccessLog
from mockserver.server.admin_routes import admin_documents, admin_handler
from mockserver.server.connexion_adapter.routing import MiddlewarePosition
from mockserver.server.middleware import forced, prefer
from mockserver.server.middleware.admission import Admission
from mockserver.server.middleware.docs import DocsPage
from mockserver.server.middleware.exchange_log import ExchangeLog
from mockserver.server.middleware.faults import Faults
from mockserver.server.middleware.limits import BodyLimits
from mockserver.server.middleware.target import RequestGuard, is_loopback
from mockserver.server.outgoing import OutgoingRequests
from mockserver.server.routed_app import connexion_app, credentials_required, streams_on
from mockserver.server.state import State
from mockserver.server.watch import FixtureWatcher, watching
from mockserver.stores import Stores, open_stores


@dataclass(frozen=True)
class Mock:
    """A built mock: the ASGI app, what it serves, and what it holds."""

    app: connexion_adapter.OpenAPI31App
    spec: Spec  # the served documents as one
    documents: tuple[Path, ...]
    chosen: Chosen  # the profile, what it claims, and why
    engine: Engine
    state: State
    outgoing: OutgoingRequests
    requires_credentials: bool = False
    spec_warnings: tuple[str, ...] = ()  # the documents' OpenAPI problems, served anyway
    # Finds the OpenAPI problems of the documents checked after serving began (None: none is).
    later_warnings: Callable[[], tuple[str, ...]] | None = None

    @property
    def profile(self) -> ProfileState | None:
        return self.state.profile

    @property
    def stores(self) -> Stores:
        return self.state.stores

    async def reset(self) -> dict[str, int]:
        """Put the state back to the fixtures."""
        return await self.state.reset()


def build_mock(config: Config, access_log: AccessLog | None = None, check_later: bool = False) -> Mock:
    """The mock ``config`` describes, writing each request to ``access_log`` if given. Top-down,
    each layer once: documents, profile, state, app. ``check_later``: the documents' OpenAPI
    validation is left to ``Mock.later_warnings`` (not with ``--strict-spec``, which refuses)."""
    served = load_specs(config.specs, strict=config.strict_spec, later=check_later)
    spec = served.combined
    chosen = choose_profile(config, spec)
    stores = open_stores(config, served.paths)
    profile = (chosen.profile.start(spec, config, config.fixtures_dir, stores)
               if chosen.profile is not None and chosen.claimed else None)
    engine = Engine(spec, chosen.claimed, config.fixtures_dir, served_only=config.bundled_fixtures,
                    store=stores.make_items, dynamic_timeout=config.dynamic_timeout)
    state = State(stores, engine, profile)
    outgoing = OutgoingRequests(config, spec, engine)
    specs = [spec, *admin_documents(config, profile)]
    requires_credentials = credentials_required(config, chosen)
    app, errors = _routed_app(config, specs, chosen, state, requires_credentials, outgoing)
    _add_middleware(app, config, served, specs, stores, errors, access_log)
    return Mock(app=app, spec=spec, documents=served.paths, chosen=chosen, engine=engine, state=state,
                outgoing=outgoing, requires_credentials=requires_credentials, spec_warnings=served.warnings,
                later_warnings=served.later_warnings if served.checked_later else None)


def _routed_app(config: Config, specs: list[Spec], chosen: Chosen, state: State,
                requires_credentials: bool, outgoing: OutgoingRequests
                ) -> tuple[connexion_adapter.OpenAPI31App, ErrorBodies]:
    """Connexion over ``specs`` (the served document, then the admin documents), each operation
    routed to the admin API, the profile or the engine (which fires the callbacks of
    ``outgoing``); and the error bodies it renders."""
    spec, admin_specs = specs[0], specs[1:]
    profile, engine = state.profile, state.engine
    admin = AdminContext(state.stores.journal, state.reset, engine,
                         connexion_adapter.DocumentedRoutes(spec).operation, deliveries=outgoing.log,
                         receivers=outgoing.receivers, callback_hosts=config.callback_hosts)
    admin_keys = {operation.key for document in admin_specs for operation in document.operations()}
    errors = ErrorBodies(specs, own_body=chosen.profile.error_body if chosen.profile else None,
                         keep_status=chosen.claimed | admin_keys)
    render_error = connexion_adapter.error_renderer(connexion_adapter.DocumentedRoutes(*specs), errors.render)

    def handler_for(key: str) -> Callable[..., Any]:
        if key in admin_keys:
            return admin_handler(key, profile, admin)
        if key in chosen.claimed and profile is not None:
            return connexion_adapter.streaming_handler(profile.handler(key))
        after = outgoing.after_answer if outgoing.fires(key) else None
        return connexion_adapter.engine_handler(engine.answer, key, prefer.preferences, after)

    watched = config.fixtures_dir if config.watch else None
    watcher = FixtureWatcher(watched, state.reload) if watched is not None else None
    encodings = chosen.profile.request_encodings(spec) if profile is not None and chosen.profile else {}
    app = connexion_app(config, specs, handler_for, requires_credentials, render_error,
                        lifespan=watching(watcher) if watcher else None, encodings=encodings)
    return app, errors


def _add_middleware(app: connexion_adapter.OpenAPI31App, config: Config, served: Served,
                    specs: list[Spec], stores: Stores, errors: ErrorBodies,
                    access_log: AccessLog | None) -> None:
    """The mock's own passes, in the order a request meets them."""
    spec = served.combined
    # Outside the error handling, so that error answers carry CORS headers and are journaled.
    app.add_middleware(ExchangeLog, position=MiddlewarePosition.BEFORE_EXCEPTION, journal=stores.journal,
                       cors_origins=list(config.cors_origins or ["*"]) if config.cors else None,
                       access_log=access_log, redaction=Redaction(spec.query_credentials))
    title = str(spec.raw.get("info", {}).get("title", "API"))
    # The admin API's key is checked by Connexion's security, with every other operation's.
    app.add_middleware(Admission, position=MiddlewarePosition.BEFORE_ROUTING,
                       guard=RequestGuard(config.admin_origins, on_loopback=is_loopback(config.host)),
                       docs=DocsPage(served.paths, title=title, referred=tuple(
                           tuple(document.sources.files) if document.sources else ()
                           for document in served.documents)),
                       limits=BodyLimits(config.max_body_bytes, config.read_timeout),
                       latency=prefer.Latency(config.latency), faults=Faults(config.faults, config.seed),
                       may_stream=streams_on(specs))
    app.add_middleware(forced.PreferCode, position=MiddlewarePosition.BEFORE_CONTEXT,
                       answers=forced.documented_answers(*specs), render=errors.render)


def create_app(config: Config | None = None) -> connexion_adapter.OpenAPI31App:
    """The mock's ASGI app for ``config`` (defaults: the bundled spec and fixtures)."""
    return build_mock(config or Config()).app
