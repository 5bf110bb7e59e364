"""Serving a 3.1 document: the app, its specification and operation classes, and JSON by default.

Connexion's ``add_api`` checks documents against its 3.0 schema, and its parameter handling reads
``schema["type"]``, which 3.1 documents may declare only inside ``anyOf``.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from connexion.apps.asynchronous import AsyncApp
from connexion.middleware.main import API
from connexion.operations.openapi import OpenAPIOperation
from connexion.spec import OpenAPISpecification
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.core.spec import Spec
from mockserver.server.connexion31 import hotpath

PRIMITIVE_TYPES = ("string", "integer", "number", "boolean")


def with_declared_type(parameter: dict[str, Any]) -> dict[str, Any]:
    """``parameter`` with ``type: T`` beside a schema's ``anyOf: [T, null]``.

    Connexion reads ``schema["type"]`` to coerce parameters, and 3.1 documents may declare the
    type only inside ``anyOf``. A value in a URL is never JSON null, so adding ``type: T`` changes
    nothing that a request can express.
    """
    schema = parameter.get("schema", {})
    if "type" in schema or "anyOf" not in schema:
        return parameter
    types = {branch.get("type") for branch in schema["anyOf"]} - {"null"}
    if len(types) != 1 or not types <= set(PRIMITIVE_TYPES):
        return parameter
    return {**parameter, "schema": {**schema, "type": types.pop()}}


class OpenAPI31Operation(OpenAPIOperation):
    """An operation whose parameters all carry the ``type`` Connexion expects."""

    @functools.cached_property
    def parameters(self) -> list[dict[str, Any]]:
        return [with_declared_type(parameter) for parameter in self._parameters]


class OpenAPI31Specification(OpenAPISpecification):
    """Connexion's OpenAPI specification without its 3.0-only document check.

    Only ``add_spec`` builds one, from a ``Spec`` that ``load_spec`` has already validated as 3.1
    with openapi-spec-validator.
    """

    operation_cls: type[OpenAPIOperation] = OpenAPI31Operation

    @classmethod
    def _validate_spec(cls, spec: dict[str, Any]) -> None:
        return None


class CachedOpenAPI31Operation(hotpath.CachedBodyDefinitions, OpenAPI31Operation):
    """``OpenAPI31Operation`` with its body definitions looked up once per media type."""


class CachedOpenAPI31Specification(OpenAPI31Specification):
    operation_cls = CachedOpenAPI31Operation


class Connexion31App(AsyncApp):
    """Connexion's ``AsyncApp`` as it is, plus ``add_spec`` for validated 3.1 documents (its own
    ``add_api`` re-checks them as 3.0). The benchmark's Connexion-alone ceiling uses it."""

    specification_cls: type[OpenAPI31Specification] = OpenAPI31Specification

    def add_spec(self, spec: Spec) -> None:
        middleware = self.middleware
        if middleware.middleware_stack is not None:
            raise RuntimeError("Cannot add a spec after the application has started")
        specification = self.specification_cls(
            copy.deepcopy(dict(spec.raw)), base_uri=f"{spec.path.resolve().parent}/"
        )
        middleware.apis.append(API(specification, base_path=None, name=None, **middleware.options.__dict__))


class OpenAPI31App(Connexion31App):
    """The mock's app: ``Connexion31App`` without Connexion's per-request rebuilding (``hotpath``)."""

    specification_cls = CachedOpenAPI31Specification

    def __init__(self, import_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("middlewares", hotpath.middlewares())
        kwargs.setdefault("jsonifier", hotpath.OrjsonJsonifier())
        super().__init__(import_name, **kwargs)
        # AsyncApp.__init__ builds its innermost app itself; swap it before anything is added.
        self._middleware_app = hotpath.CachedAsyncASGIApp()
        self.middleware.app = self._middleware_app


class AssumeJSONContentType:
    """A body without Content-Type is read as JSON, as FastAPI (so AgentOS) does.

    Connexion validates such a body as JSON but hands the handler bytes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(k == b"content-type" for k, _ in scope["headers"]):
            scope = {**scope, "headers": [*scope["headers"], (b"content-type", b"application/json")]}
        await self.app(scope, receive, send)
