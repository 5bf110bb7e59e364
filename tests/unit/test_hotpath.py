"""The hot-path caches over Connexion (connexion_adapter/hotpath.py, lookup_caches.py,
orjson_jsonifier.py) and the guarded protocol.

The guard tests name the Connexion and uvicorn internals the caches replace or rely on: if an
upgrade changes one, they fail here, by name, before a cache silently serves stale work.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import json
from types import SimpleNamespace
from typing import Any

import pytest
import uvicorn
from connexion.apps.asynchronous import AsyncApp, AsyncOperation
from connexion.decorators.main import ASGIDecorator, BaseDecorator
from connexion.decorators.parameter import BaseParameterDecorator
from connexion.frameworks.starlette import Starlette
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.operations import OpenAPIOperation
from connexion.security import AbstractSecurityHandler
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from mockserver.config import Config
from mockserver.core.journal import InMemoryJournal
from mockserver.server import serving
from mockserver.server.access_log import AccessLog
from mockserver.server.app import Mock, build_mock
from mockserver.server.connexion_adapter import hotpath, lookup_caches
from mockserver.server.connexion_adapter.orjson_jsonifier import OrjsonJsonifier
from mockserver.server.middleware.exchange_log import ExchangeLog
from tests.conftest import FIXTURES, SPECS


def source(function: Any) -> str:
    return " ".join(inspect.getsource(function).split())


def test_connexion_internals_the_caches_replace_are_as_they_were() -> None:
    # AsyncOperation rebuilds its decorator chain per call through the `fn` property.
    assert isinstance(inspect.getattr_static(AsyncOperation, "fn"), property)
    assert "await self.fn()" in source(AsyncOperation.__call__)
    # ASGIDecorator decorates per request; CachedStarletteDecorator does the same work once.
    assert "request = self.framework.get_request( uri_parser=self.uri_parser, scope=scope, receive=receive )" \
        in source(ASGIDecorator.__call__)
    assert "decorated_function = self.decorate(function)" in source(ASGIDecorator.__call__)
    # What `decorate` builds does not depend on the request.
    assert not {"scope", "receive", "request"} & set(inspect.getsource(BaseDecorator.decorate).split())
    assert "return ConnexionRequest(scope, receive, uri_parser=uri_parser)" in source(Starlette.get_request)
    assert "return await self.json()" in source(ConnexionRequest.get_body)
    # Files come only from a form: what ValidatedBodyRequest.files skips for other media types.
    assert "form_data = await self._starlette_request.form()" in source(ConnexionRequest._split_form_files)
    assert "self.sanitize_fn = " in source(BaseParameterDecorator.__init__)
    assert isinstance(inspect.getattr_static(AbstractSecurityHandler, "_accepts_kwarg"), staticmethod)
    assert list(inspect.signature(OpenAPIOperation.body_definition).parameters) == ["self", "content_type"]
    assert "self._middleware_app: AsyncASGIApp = AsyncASGIApp()" in source(AsyncApp.__init__)
    assert SwaggerUIMiddleware in ConnexionMiddleware.default_middlewares


def test_uvicorn_internals_the_protocol_relies_on_are_there() -> None:
    for name in ("on_message_begin", "on_url", "on_header", "on_headers_complete", "data_received",
                 "timeout_keep_alive_handler"):
        assert callable(getattr(HttpToolsProtocol, name)), name
    assert {"flow", "message_event", "keep_alive"} <= set(inspect.signature(RequestResponseCycle.__init__).parameters)
    assert "self.more_body = True" in source(RequestResponseCycle.__init__)
    assert "self.response_complete = False" in source(RequestResponseCycle.__init__)
    assert "self.flow.resume_reading()" in source(RequestResponseCycle.receive)
    assert "read_paused" in vars(FlowControl(transport=None))  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_mock_runs_on_the_cached_classes() -> None:
    mock = build_mock(Config(specs=SPECS, fixtures=FIXTURES))  # as built: before a request starts it
    inner = mock.app.middleware.app
    assert inner is mock.app._middleware_app and isinstance(inner, hotpath.CachedAsyncASGIApp)
    assert SwaggerUIMiddleware not in mock.app.middleware.middlewares
    assert isinstance(mock.app.middleware.options.jsonifier, OrjsonJsonifier)


@pytest.mark.slow
def test_an_operation_is_decorated_once_for_all_requests(client: Any, mock: Mock) -> None:
    def patch(name: str) -> None:
        assert client.patch("/sessions/agent-research-001", json={"session_name": name}).status_code == 200

    patch("one")  # Connexion builds its middleware stack, and so the operations, on the first request
    operations = [op for apis in mock.app._middleware_app.apis.values() for api in apis
                  for op in api.operations.values()]
    assert operations and all(isinstance(op, hotpath.CachedAsyncOperation) for op in operations)
    before = {id(op): op.fn for op in operations}
    patch("two")
    assert all(op.fn is before[id(op)] for op in operations)


def test_the_handler_gets_the_body_the_validator_parsed() -> None:
    parsed = {"session_name": "x"}
    scope = {"type": "http", "headers": [], "extensions": {hotpath.VALIDATED_BODY: parsed}}
    assert asyncio.run(hotpath.ValidatedBodyRequest(scope, receive=None).json()) is parsed


def test_a_request_without_a_validated_body_is_read_as_connexion_reads_it() -> None:
    async def receive() -> dict:
        return {"type": "http.request", "body": b'{"a": 1}', "more_body": False}

    request = hotpath.ValidatedBodyRequest({"type": "http", "headers": []}, receive=receive)
    assert asyncio.run(request.json()) == {"a": 1}


def test_only_a_form_is_searched_for_files() -> None:
    async def receive() -> dict:
        return {"type": "http.request", "body": b"a=1", "more_body": False}

    def request(content_type: bytes) -> hotpath.ValidatedBodyRequest:
        scope = {"type": "http", "headers": [(b"content-type", content_type)], "query_string": b""}
        parser = SimpleNamespace(resolve_form=dict)
        return hotpath.ValidatedBodyRequest(scope, receive=receive, uri_parser=parser)

    json_request = request(b"application/json")
    assert asyncio.run(json_request.files()) == {} and json_request._form is None  # nothing parsed
    form = request(b"application/x-www-form-urlencoded")
    assert asyncio.run(form.files()) == {} and form._form == {"a": ["1"]}  # parsed: fields, no files


def test_orjson_output_is_the_same_json_and_huge_integers_still_encode() -> None:
    jsonifier = OrjsonJsonifier()
    data = {"name": "Renamed é", "n": [1, 2.5, None, True], "nested": {"k": "v"}}
    assert json.loads(jsonifier.dumps(data)) == data
    huge = {"state": 2**70}
    assert json.loads(jsonifier.dumps(huge)) == huge


def test_media_type_lookups_are_remembered_within_a_bound() -> None:
    table = lookup_caches.CachedMediaTypeDict({"application/json": "json", "*/*json": "any json", "*/*": "other"})
    assert table["application/json"] == "json" and table["application/problem+json"] == "any json"
    for n in range(100):
        assert table[f"text/x-{n}"] == "other"
    assert len(table._answers) == lookup_caches.CACHED_MEDIA_TYPES


def test_the_access_log_writes_uvicorns_line_in_batches() -> None:
    stream = io.StringIO()

    async def app(scope: dict, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def sent(message: dict) -> None:
        return None

    async def two_requests() -> None:
        log = AccessLog(stream=stream)
        edge = ExchangeLog(app, InMemoryJournal(10), access_log=log)
        for query in (b"", b"type=team"):
            scope = {"type": "http", "method": "PATCH", "path": "/sessions/x", "query_string": query,
                     "http_version": "1.1", "client": ("127.0.0.1", 5000), "headers": []}
            await edge(scope, None, sent)
        assert stream.getvalue() == ""  # not yet: written in one go, a moment later
        log.flush()

    asyncio.run(two_requests())
    assert stream.getvalue().splitlines() == [
        'INFO:     127.0.0.1:5000 - "PATCH /sessions/x HTTP/1.1" 404 Not Found',
        'INFO:     127.0.0.1:5000 - "PATCH /sessions/x?type=team HTTP/1.1" 404 Not Found',
    ]


def test_the_decorator_and_operation_internals_the_caches_override_are_there() -> None:
    # CachedStarletteDecorator overrides the property that decorate() asks for its parameter decorator.
    assert isinstance(inspect.getattr_static(BaseDecorator, "_parameter_decorator_cls"), property)
    assert "parameter_decorator = self._parameter_decorator_cls(" in source(BaseDecorator.decorate)
    # CachedAsyncOperation decorates the handler Connexion keeps in _fn, once.
    assert "self._fn = fn" in source(AsyncOperation.__init__)
    assert "return decorator(self._fn)" in source(inspect.getattr_static(AsyncOperation, "fn").fget)


def test_uvicorns_signal_capture_that_the_server_overrides_is_there() -> None:
    # mockserver.server.serving.Server.capture_signals replaces this context manager so that a
    # stopped mock exits 0 instead of re-raising the signal once uvicorn has shut down.
    assert "with self.capture_signals():" in source(uvicorn.Server.serve)
    assert "signal.raise_signal(captured_signal)" in source(uvicorn.Server.capture_signals)
    assert list(inspect.signature(uvicorn.Server.handle_exit).parameters) == ["self", "sig", "frame"]
    assert serving.Server.capture_signals is not uvicorn.Server.capture_signals
