"""Guards, by name, of the Connexion, Starlette and uvicorn internals the adapter relies on beyond
those guarded in test_connexion_adapter.py and test_hotpath.py: an upgrade that renames or reshapes one
fails here, naming it, instead of failing somewhere in a request."""

from __future__ import annotations

import contextvars
import inspect

import pytest
from connexion.context import _scope
from connexion.decorators.main import BaseDecorator
from connexion.middleware.main import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.security import SecurityAPI, SecurityMiddleware, SecurityOperation
from connexion.security import AbstractSecurityHandler
from connexion.uri_parsing import OpenAPIURIParser
from starlette._utils import get_route_path
from starlette.routing import Mount
from uvicorn.protocols.http.httptools_impl import RequestResponseCycle

from mockserver.config import Config
from mockserver.server import Mock, build_mock
from mockserver.server.connexion_adapter.app import IndexedPosition
from mockserver.server.connexion_adapter.route_index import IndexedRoutingMiddleware, RouteIndex
from tests.conftest import FIXTURES, SPECS


def test_the_request_scope_is_a_context_variable() -> None:
    assert isinstance(_scope, contextvars.ContextVar)  # server/connexion_adapter/engine.py reads it


def test_get_route_path_takes_the_scope() -> None:
    assert list(inspect.signature(get_route_path).parameters) == ["scope"]  # route_index.py
    assert get_route_path({"path": "/a/b", "root_path": "/a"}) == "/b"


def test_the_security_handlers_resolve_their_function_by_scheme() -> None:
    # security.py overrides it so that no x-tokenInfoFunc is needed in the documents.
    assert list(inspect.signature(AbstractSecurityHandler._resolve_func).parameters) == ["self", "security_scheme"]


def test_the_security_middleware_builds_its_operations_from_their_requirements() -> None:
    # security.AndRequirementsSecurityMiddleware swaps its api_cls, make_operation and the requirements.
    assert SecurityMiddleware.api_cls is SecurityAPI and "make_operation" in vars(SecurityAPI)
    assert {"security", "security_schemes", "next_app"} <= set(inspect.signature(SecurityOperation).parameters)
    assert SecurityMiddleware in ConnexionMiddleware.default_middlewares


def test_the_uri_parser_resolves_params_by_definition() -> None:
    # deep_objects.DeepObjectURIParser overrides resolve_query and calls these.
    assert list(inspect.signature(OpenAPIURIParser.resolve_params).parameters) == ["self", "params", "_in"]
    assert {"param_defns", "param_schemas", "resolve_query"} <= set(dir(OpenAPIURIParser))


def test_the_decorator_classes_hotpath_uses_are_there() -> None:
    assert {"_sync_async_decorator", "_response_decorator_cls"} <= set(vars(BaseDecorator)) | {
        name for cls in BaseDecorator.__mro__ for name in vars(cls)}


def test_a_cut_connection_is_marked_on_uvicorns_cycle() -> None:
    assert "disconnected" in RequestResponseCycle.__init__.__code__.co_names  # protocol._given_up sets it


def test_middleware_positions_are_read_by_name_and_value() -> None:
    assert {"name", "value"} <= set(dir(MiddlewarePosition.BEFORE_ROUTING))
    assert set(IndexedPosition._fields) == {"name", "value"}
    assert {"position"} <= set(inspect.signature(ConnexionMiddleware.add_middleware).parameters)


def test_before_routing_middleware_runs_before_the_indexed_router(mock: Mock) -> None:
    app = mock.app  # the shared mock of this configuration: its middleware is as built
    stack = [type(m.func if hasattr(m, "func") else m).__name__ if not isinstance(m, type) else m.__name__
             for m in (getattr(m, "func", m) for m in app.middleware.middlewares)]
    assert stack.index("Admission") + 1 == stack.index(IndexedRoutingMiddleware.__name__), stack


@pytest.mark.slow
def test_each_added_api_is_the_last_route_of_the_router_and_is_indexed() -> None:
    app = build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app
    app.test_client().get("/health")  # builds the middleware stack
    built = app.middleware._build_middleware_stack()[1]  # what Connexion builds: every layer
    routing = next((layer for layer in built if isinstance(layer, IndexedRoutingMiddleware)), None)
    assert routing is not None, "no IndexedRoutingMiddleware in the built stack"
    mounts = [route for route in routing.router.routes if isinstance(route, Mount)]
    assert mounts and all(isinstance(mount.app.routes[0], RouteIndex) for mount in mounts)
