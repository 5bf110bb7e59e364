"""Work Connexion 3.3 repeats on every request, done once per operation instead.

Profiles of the mock under load (bench/README.md) showed Connexion rebuilding the same objects
for every request: ``AsyncOperation.fn`` builds a decorator chain per call, which inspects the
handler's signature each time; the security wrapper inspects the token function's signature
twice per call; and ``body_definition`` re-sorts and fnmatches the operation's media types up to
four times per request. None of it depends on the request. These subclasses keep Connexion's own code
paths (routing, security, validation, parameter passing) and only keep what they build. Besides,
Connexion's Swagger UI middleware (the mock has its own docs page) is left out of the stack.
Lookups by media type are remembered in ``lookup_caches``; answers are encoded by
``orjson_jsonifier``. ``tests/unit/test_hotpath.py`` fails if an upgrade changes the methods
replaced here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from connexion.apps.asynchronous import AsyncASGIApp, AsyncOperation
from connexion.context import receive, scope
from connexion.decorators.main import StarletteDecorator
from connexion.decorators.parameter import AsyncParameterDecorator
from connexion.http_facts import FORM_CONTENT_TYPES
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.operations.abstract import AbstractOperation

from mockserver.server.connexion_adapter.route_index import (
    IndexedAsyncApi,
    IndexedRoutingMiddleware,
    match_whole_paths,
)

VALIDATED_BODY = "mockserver.validated_json_body"  # scope["extensions"] key set by the body validator
READS_SCOPE = "mockserver_reads_scope"  # a handler attribute: pass it no parameters


class CachedAsyncParameterDecorator(AsyncParameterDecorator):
    """``AsyncParameterDecorator`` remembering how parameter names are sanitized (three regular
    expression substitutions per name and request otherwise)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sanitize_fn = functools.lru_cache(maxsize=256)(self.sanitize_fn)  # names come from requests


class ValidatedBodyRequest(ConnexionRequest):
    """``ConnexionRequest`` handing the handler the JSON body the request validator parsed and
    validated, instead of parsing the same bytes a second time; and knowing that a request that
    is not a form has no files (Connexion asks on every request, and Starlette parses a form)."""

    # Connexion's _RequestInterface declares json() and files() synchronous, but ConnexionRequest
    # (unannotated) defines them as coroutines; these overrides follow ConnexionRequest.
    async def json(self) -> Any:  # type: ignore[override]
        extensions = self._starlette_request.scope.get("extensions") or {}
        if VALIDATED_BODY in extensions:
            return extensions[VALIDATED_BODY]
        return await super().json()  # type: ignore[no-untyped-call]

    async def files(self) -> Any:  # type: ignore[override]
        if self.mimetype not in FORM_CONTENT_TYPES:
            return {}
        return await super().files()  # type: ignore[no-untyped-call]


class CachedStarletteDecorator(StarletteDecorator):
    """``StarletteDecorator`` for one operation: the handler is decorated once, not per request,
    and the operation's URI parser is built once."""

    def __init__(self, operation: AbstractOperation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())

    @property
    def uri_parser(self) -> Any:
        return self._uri_parser

    @property
    def _parameter_decorator_cls(self) -> type[AsyncParameterDecorator]:
        return CachedAsyncParameterDecorator

    def decorate(self, function: Callable[..., Any]) -> Callable[..., Any]:
        if getattr(function, READS_SCOPE, False):
            # The handler reads the request from the scope: Connexion's parameter passing would
            # only cost time, and fails on what validation let pass (int("7.0")).
            function = self._sync_async_decorator(function)
            respond = self._response_decorator_cls(framework=self.framework,  # type: ignore[type-abstract]
                                                   jsonifier=self.jsonifier)
            return respond(function)
        return super().decorate(function)

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        decorated = self.decorate(function)

        @functools.wraps(function)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            # Connexion leaves ConnexionRequest.__init__ unannotated.
            request = ValidatedBodyRequest(  # type: ignore[no-untyped-call]
                scope, receive, uri_parser=self._uri_parser
            )
            return await decorated(request)

        return wrapper


class CachedAsyncOperation(AsyncOperation):
    """``AsyncOperation`` whose ``fn`` (Connexion's decorated handler) is built once."""

    def __init__(self, fn: Callable[..., Any], *, operation: AbstractOperation, **kwargs: Any) -> None:
        super().__init__(fn, **kwargs)
        decorator = CachedStarletteDecorator(
            operation, pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )
        self._decorated = decorator(self._fn)

    @property
    def fn(self) -> Callable[..., Any]:
        return self._decorated


class CachedAsyncApi(IndexedAsyncApi):
    def make_operation(self, operation: AbstractOperation) -> AsyncOperation:
        return CachedAsyncOperation(
            operation.function, operation=operation, jsonifier=self.jsonifier,
            operation_id=operation.operation_id, pythonic_params=self.pythonic_params,
        )


class CachedAsyncASGIApp(AsyncASGIApp):
    """Connexion's innermost app (it calls the handlers), with ``CachedAsyncOperation``s."""

    api_cls = CachedAsyncApi

    def add_api(self, *args: Any, **kwargs: Any) -> Any:
        api = super().add_api(*args, **kwargs)
        match_whole_paths(self.router.routes[-1])  # the API's mount, as route_index does
        return api



def middlewares() -> list[Any]:
    """Connexion's middleware stack without ``SwaggerUIMiddleware`` (the mock serves its own docs
    page, ``mockserver.server.middleware.docs``, and Connexion's would route every request through
    one more router), and with its routing middleware's routes indexed (``route_index``)."""
    return [IndexedRoutingMiddleware if m is RoutingMiddleware else m
            for m in ConnexionMiddleware.default_middlewares if m is not SwaggerUIMiddleware]
