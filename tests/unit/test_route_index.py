"""``RouteIndex`` answers as the Starlette router it stands in for: same route, same 405."""

from __future__ import annotations

import asyncio
import inspect
import itertools
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, Router

from mockserver.server.connexion_adapter.route_index import RouteIndex, index_routes

PATHS = ["/items/by", "/items/{id}", "/items/{id}/tags", "/{kind}/count", "/owners/{owner}/items",
         "/", "/v{version}/health"]
METHODS = ["GET", "PATCH"]
REQUESTS = ["/items/by", "/items/7", "/items/7/tags", "/owners/count", "/owners/o/items", "/",
            "/v2/health", "/nothing", "/items", "/items/7/", "/count", "/x/count"]


def router(indexed: bool) -> Router:
    def endpoint(name: str) -> Any:
        async def answer(request: Request) -> PlainTextResponse:
            return PlainTextResponse(name)
        return answer

    routes = [Route(path, endpoint(f"{method} {path}"), methods=[method])
              for path, method in itertools.product(PATHS, METHODS) if (path, method) != ("/items/by", "PATCH")]
    made = Router(routes=routes)
    if indexed:
        index_routes(made)
        assert len(made.routes) == 1 and isinstance(made.routes[0], RouteIndex)
    return made


def answer(app: Router, method: str, path: str, raw_path: bytes | None = None
           ) -> tuple[int, bytes, str | None]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "root_path": "", "query_string": b"",
             "raw_path": raw_path if raw_path is not None else path.encode(),
             "headers": [], "scheme": "http", "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    headers = dict(sent[0].get("headers", []))
    location = headers.get(b"location")
    return sent[0]["status"], sent[1]["body"], location.decode() if location else None


def test_the_index_answers_every_request_as_the_plain_router_does() -> None:
    plain, indexed = router(False), router(True)
    for method, path in itertools.product(["GET", "PATCH", "DELETE"], REQUESTS):
        assert answer(indexed, method, path) == answer(plain, method, path), (method, path)


def test_a_literal_path_still_wins_over_a_parameter_and_a_missing_method_is_a_405() -> None:
    indexed = router(True)
    assert answer(indexed, "GET", "/items/by")[1] == b"GET /items/by"
    status, _, _ = answer(indexed, "PATCH", "/items/by")  # PATCH /items/by is not routed: /items/{id} is
    assert status == 200 and answer(indexed, "PATCH", "/items/by")[1] == b"PATCH /items/{id}"
    assert answer(indexed, "DELETE", "/items/7")[0] == 405


def test_starlettes_router_still_takes_the_first_full_match_else_the_first_partial() -> None:
    source = " ".join(inspect.getsource(Router.app).split())
    assert "for route in self.routes: # Determine if any route matches the incoming scope," in source
    assert "if match is Match.FULL: scope[\"route\"] = route scope.update(child_scope)" in source
    assert "elif match is Match.PARTIAL and partial is None:" in source


def test_a_path_parameter_may_hold_any_character_and_a_route_matches_only_the_whole_path() -> None:
    indexed = Router(routes=[Mount("/api", app=router(True))])
    index_routes(indexed)
    assert answer(indexed, "GET", "/api/items/a\nb")[1] == b"GET /items/{id}"
    assert answer(indexed, "GET", "/api/items/\n")[1] == b"GET /items/{id}"
    assert answer(indexed, "GET", "/api/items/by\n")[1] == b"GET /items/{id}"  # not the literal /items/by
    assert answer(indexed, "GET", "/api/nothing\n")[0] == 404


def test_a_slash_sent_percent_encoded_stays_within_its_path_parameter() -> None:
    indexed = Router(routes=[Mount("/api", app=router(True))])
    index_routes(indexed)
    assert answer(indexed, "GET", "/api/items/a/b/tags", b"/api/items/a%2Fb/tags")[1] == b"GET /items/{id}/tags"
    assert answer(indexed, "GET", "/api/items/a/b", b"/api/items/a%2fb")[1] == b"GET /items/{id}"
    assert answer(indexed, "GET", "/api/items/a/b", b"/api/items/a/b")[0] == 404  # sent as two segments
    assert answer(indexed, "GET", "/api/o/w/count", b"/api/o%2Fw/count")[1] == b"GET /{kind}/count"
