"""Routes found by their first path segment instead of one regular expression after another.

Connexion routes every request twice (its routing middleware, then the app that calls the
handler), each time through a Starlette ``Router`` holding one ``Route`` per path and method, tried
in order: over the whole AgentOS, 51 regular expression matches per request (bench/README.md).
``RouteIndex`` stands in for a router's routes as one route: it tries only those whose first
segment is the request's, or a path parameter, in their order, and answers as the router would
(the first full match, else the first partial one: a path known under another method, the 405).

Starlette's path expressions stop short of some paths a client can send: a mount's ``.*`` stops at
a newline and a route's closing ``$`` also matches before a final one, so ``/sessions/a%0Ab``
matched no route. Every route and mount here matches the whole path, any character (``exact``).
And the path is decoded before routing, so an id holding ``/`` (``/sessions/a%2Fb``) spans two
segments: routes are matched against the path as sent, segment by segment (``segment_path``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from connexion.apps.asynchronous import AsyncApi
from connexion.middleware.routing import RoutingMiddleware
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import Receive, Scope, Send

MATCHED = "mockserver.matched_route"  # the child-scope key naming the route that matched
# Stands for a '/' sent as %2F inside a segment while routes are matched (one character, as '/' is,
# so that the mounts' prefixes keep their lengths); a segment holding it as well is not routed so.
SLASH = "\uffff"


def exact(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` (Starlette's, ending in ``$``) matching only a whole path, newlines included."""
    source = pattern.pattern[:-1] + r"\Z" if pattern.pattern.endswith("$") else pattern.pattern
    return re.compile(source, pattern.flags | re.DOTALL)


def match_whole_paths(route: BaseRoute) -> None:
    if isinstance(route, (Route, Mount)) and not route.path_regex.flags & re.DOTALL:
        route.path_regex = exact(route.path_regex)


def segment_path(scope: Scope) -> str | None:
    """The request's path with each ``/`` sent as ``%2F`` written ``SLASH``; None where none was."""
    raw: bytes = scope.get("raw_path") or b""
    if b"%2F" not in raw and b"%2f" not in raw:
        return None
    segments = [unquote(part.decode("latin-1")) for part in raw.split(b"/")]
    if any(SLASH in segment for segment in segments):
        return None
    path = "/".join(segment.replace("/", SLASH) for segment in segments)
    return path if path.replace(SLASH, "/") == scope.get("path") else None


def first_segment(path: str) -> str:
    return path.split("/", 2)[1] if path.startswith("/") else path


def literal_first_segment(route: BaseRoute) -> str | None:
    """The first segment of ``route``'s path when it is literal text (None: it may match any)."""
    if not isinstance(route, Route):
        return None
    segment = first_segment(route.path)
    return None if "{" in segment else segment


class RouteIndex(BaseRoute):
    def __init__(self, routes: list[BaseRoute]) -> None:
        self.routes = list(routes)
        for route in self.routes:
            match_whole_paths(route)
        firsts = [(literal_first_segment(route), route) for route in self.routes]
        self.anywhere = [route for first, route in firsts if first is None]
        self.by_segment = {segment: [route for first, route in firsts if first in (segment, None)]
                           for segment in {first for first, _ in firsts if first is not None}}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = segment_path(scope) if scope["type"] == "http" else None
        if path is None:
            return self._matches(scope)
        match, child_scope = self._matches({**scope, "path": path})
        params = child_scope.get("path_params") or {}
        child_scope["path_params"] = {name: value.replace(SLASH, "/") if isinstance(value, str) else value
                                      for name, value in params.items()}
        return match, child_scope

    def _matches(self, scope: Scope) -> tuple[Match, Scope]:
        candidates = self.routes
        if scope["type"] == "http":
            candidates = self.by_segment.get(first_segment(get_route_path(scope)), self.anywhere)
        partial: Scope | None = None
        for route in candidates:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return Match.FULL, {**child_scope, MATCHED: route}
            if match is Match.PARTIAL and partial is None:
                partial = {**child_scope, MATCHED: route}
        return (Match.PARTIAL, partial) if partial is not None else (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: BaseRoute = scope.pop(MATCHED)
        scope["route"] = route  # where the router would have put the route it found
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        return Router(routes=self.routes).url_path_for(name, **path_params)


def index_routes(router: Router) -> None:
    """Put a ``RouteIndex`` of ``router``'s routes in their place (once all are added)."""
    if not any(isinstance(route, RouteIndex) for route in router.routes):
        router.routes[:] = [RouteIndex(router.routes)]


class IndexedRoutingMiddleware(RoutingMiddleware):
    """Connexion's routing middleware, each API's routes indexed once added."""

    def add_api(self, *args: Any, **kwargs: Any) -> None:
        super().add_api(*args, **kwargs)
        mount = self.router.routes[-1]  # the API just added
        match_whole_paths(mount)
        if isinstance(mount, Mount) and isinstance(mount.app, Router):
            index_routes(mount.app)


class IndexedAsyncApi(AsyncApi):
    """Connexion's API of handlers, its routes indexed once added."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        index_routes(self.router)
