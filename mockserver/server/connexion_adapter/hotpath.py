"""Work Connexion 3.3 repeats on every request, done once per operation instead.

Profiles of the mock under load (bench/README.md) showed Connexion rebuilding the same objects
for every request: ``AsyncOperation.fn`` builds a decorator chain per call, which inspects the
handler's signature each time; the security wrapper inspects the token function's signature
twice per call; and ``body_definition`` re-sorts and fnmatches the operation's media types up to
four times per request. None of it depends on the request. These subclasses keep Connexion's own code
paths (routing, security, validation, parameter passing) and only keep what they build. Besides,
responses are encoded with orjson, and Connexion's Swagger UI middleware (the mock has its own
docs page) is left out of the stack. ``tests/unit/test_hotpath.py`` fails if an upgrade changes
the methods replaced here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
from connexion.apps.asynchronous import AsyncASGIApp, AsyncOperation
from connexion.context import receive, scope
from connexion.datastructures import MediaTypeDict
from connexion.decorators.main import StarletteDecorator
from connexion.decorators.parameter import AsyncParameterDecorator
from connexion.http_facts import FORM_CONTENT_TYPES
from connexion.jsonifier import Jsonifier
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

if TYPE_CHECKING:
    from connexion.operations.openapi import OpenAPIOperation

    # What CachedBodyDefinitions is mixed into, so that mypy knows its super().body_definition.
    _Operation = OpenAPIOperation
else:
    _Operation = object

K = TypeVar("K")
V = TypeVar("V")
CACHED_MEDIA_TYPES = 32  # per lookup table: media types come from requests, so the cache is bounded
VALIDATED_BODY = "mockserver.validated_json_body"  # scope["extensions"] key set by the body validator
READS_SCOPE = "mockserver_reads_scope"  # a handler attribute: pass it no parameters


class BoundedCache(dict[K, V]):
    """A dict that stops taking entries at ``CACHED_MEDIA_TYPES``; lookups past that recompute."""

    def remember(self, key: K, value: V) -> V:
        if len(self) < CACHED_MEDIA_TYPES:
            self[key] = value
        return value


class CachedMediaTypeDict(MediaTypeDict):
    """``MediaTypeDict`` remembering which range answers a media type (it sorts and fnmatches
    every key on every lookup)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answers: BoundedCache[str, Any] = BoundedCache()

    def __getitem__(self, item: str) -> Any:
        try:
            return self._answers[item]
        except KeyError:
            # Connexion leaves MediaTypeDict.__getitem__ unannotated.
            return self._answers.remember(item, super().__getitem__(item))  # type: ignore[no-untyped-call]


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


class CachedBodyDefinitions(_Operation):
    """Mixin for an ``OpenAPIOperation``: ``body_definition`` remembered per media type."""

    def body_definition(self, content_type: str | None = None) -> dict[str, Any]:
        cache: BoundedCache[str | None, dict[str, Any]] | None = self.__dict__.get("_body_definitions")
        if cache is None:  # not setdefault: that would build a cache on every call
            cache = self.__dict__["_body_definitions"] = BoundedCache()
        try:
            return cache[content_type]
        except KeyError:
            return cache.remember(content_type, super().body_definition(content_type))


class OrjsonJsonifier(Jsonifier):
    """Connexion's ``Jsonifier`` with orjson: handler results encode about eight times faster.

    Handlers return JSON data (dicts, lists, strings, numbers); orjson writes it without spaces.
    What orjson refuses (integers beyond 64 bits, which JSON allows) goes to Connexion's encoder.
    """

    # Connexion leaves Jsonifier unannotated: its __init__, and dumps, which returns a str.
    def __init__(self) -> None:
        super().__init__(json)  # type: ignore[no-untyped-call]

    def dumps(self, data: Any, **kwargs: Any) -> str:
        try:
            return orjson.dumps(data).decode() + "\n"
        except TypeError:  # orjson.JSONEncodeError
            encoded: str = super().dumps(data, **kwargs)  # type: ignore[no-untyped-call]
            return encoded


def middlewares() -> list[Any]:
    """Connexion's middleware stack without ``SwaggerUIMiddleware`` (the mock serves its own docs
    page, ``mockserver.server.middleware.docs``, and Connexion's would route every request through
    one more router), and with its routing middleware's routes indexed (``route_index``)."""
    return [IndexedRoutingMiddleware if m is RoutingMiddleware else m
            for m in ConnexionMiddleware.default_middlewares if m is not SwaggerUIMiddleware]
