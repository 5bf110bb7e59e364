"""Connexion serving documents as the mock does, for the mock and the proxy's probe alike: each
operation routed to its handler, credentials checked as the served API's own server checks them,
parameters and bodies validated, every failure rendered once; and which requests may be answered
with an event stream."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.types import Scope

from mockserver.config import Config
from mockserver.core.spec import Spec
from mockserver.profile import Chosen
from mockserver.server import connexion_adapter
from mockserver.server.connexion_adapter.routing import MiddlewarePosition, operation_resolver


def credentials_required(config: Config, chosen: Chosen) -> bool:
    """Whether a request needs the credentials its operation's security names: always with a
    security key; else as ``--require-credentials`` says, or as the served API's own server does
    (a profile may say it takes any or none, as AgentOS does)."""
    if config.security_key is not None:
        return True
    if config.require_credentials is not None:
        return config.require_credentials
    return chosen.profile is None or not chosen.profile.credentials_optional


def connexion_app(config: Config, specs: list[Spec], handler_for: Callable[[str], Callable[..., Any]],
                  requires_credentials: bool, render_error: Callable[..., Any],
                  lifespan: Any = None, encodings: Mapping[str, Sequence[str]] | None = None
                  ) -> connexion_adapter.OpenAPI31App:
    """Connexion serving ``specs`` as the mock does: each operation routed to ``handler_for(key)``,
    credentials checked, parameters and bodies validated (a body without Content-Type read as
    JSON; the operations of ``encodings`` taking those request media types too), every failure
    answered by ``render_error``. Callers add their own middleware."""
    app = connexion_adapter.OpenAPI31App(
        __name__,
        lifespan=lifespan,
        resolver=operation_resolver(handler_for),
        validator_map=connexion_adapter.validator_map(config.max_depth),
        security_map=connexion_adapter.security_map(config.security_key, is_open=not requires_credentials),
    )
    forms = {key: form for spec in specs for key, form in connexion_adapter.form_operations(spec).items()}
    app.add_middleware(connexion_adapter.AssumeJSONContentType, position=MiddlewarePosition.BEFORE_VALIDATION,
                       forms=forms)
    for document in specs:
        app.add_spec(document, encodings)
    for family in connexion_adapter.ERROR_FAMILIES:
        app.add_error_handler(family, render_error)
    return app


def streams_on(specs: Sequence[Spec]) -> Callable[[Scope], bool] | None:
    """Whether a request is to an operation whose 2xx answer may be an event stream (where a
    network fault acts midway, ``middleware.faults``); None when no operation streams."""
    streaming = {operation.key for document in specs for operation in document.operations()
                 if any("text/event-stream" in ((answer or {}).get("content") or {})
                        for code, answer in (operation.definition.get("responses") or {}).items()
                        if str(code).startswith("2"))}
    if not streaming:
        return None
    routes = connexion_adapter.DocumentedRoutes(*specs)
    return lambda scope: routes.operation(scope["method"], scope["path"]) in streaming
