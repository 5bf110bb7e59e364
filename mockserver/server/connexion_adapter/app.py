"""Serving a 3.1 document: the app, its specification and operation classes, and JSON by default.

Connexion's ``add_api`` checks documents against its 3.0 schema, and its parameter handling reads
``schema["type"]``, which 3.1 documents may declare only inside ``anyOf``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from connexion.apps.asynchronous import AsyncApp
from connexion.middleware.main import API, MiddlewarePosition
from connexion.operations.openapi import OpenAPIOperation
from connexion.spec import OpenAPISpecification
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.core.data_files import json_copy
from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.errors import BadRequest
from mockserver.server.connexion_adapter import hotpath, security
from mockserver.server.connexion_adapter.deep_objects import DeepObjectURIParser
from mockserver.server.connexion_adapter.form_bodies import FORM_ENCODING, FORM_SCHEMA
from mockserver.server.connexion_adapter.forms import with_encodings
from mockserver.server.connexion_adapter.prepared import prepared, resolve_refs
from mockserver.server.connexion_adapter.route_index import IndexedRoutingMiddleware
from mockserver.server.connexion_adapter.routing import most_specific_first, routed_operation_id
from mockserver.server.connexion_adapter.validation import TEXT_OR

PRIMITIVE_TYPES = ("string", "integer", "number", "boolean")
FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def declared_type(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the single ``type: T`` Connexion expects, where 3.1 allows more.

    Connexion reads ``schema["type"]`` (and an array's ``items["type"]``) to coerce parameters,
    and 3.1 documents may declare the type only inside ``anyOf`` (``anyOf: [T, null]`` becomes
    ``T``), or as a list (``[T, null]`` becomes ``T``; ``[integer, string]`` becomes ``string``:
    the text is kept as it came). A value in a URL is never JSON null.
    """
    declared = schema.get("type")
    if declared is None and "anyOf" in schema:
        branches = [branch for branch in schema["anyOf"] if branch.get("type") != "null"]
        if len(branches) == 1:  # anyOf: [{type: array, items: ...}, null]: the branch's keywords too
            schema = {**{k: v for k, v in branches[0].items() if k not in schema}, **schema}
    if isinstance(schema.get("items"), dict):
        schema = {**schema, "items": declared_type(schema["items"])}
    if isinstance(declared, list):
        types = set(declared) - {"null"}
    elif declared is None and "anyOf" in schema:
        types = {branch.get("type") for branch in schema["anyOf"]} - {"null"}
    else:
        return schema
    if "string" in types and types <= set(PRIMITIVE_TYPES):
        # Kept as text for Connexion; validated against every type it may be (``validation``).
        return {**schema, "type": "string", TEXT_OR: sorted(types)}
    if len(types) != 1 or not types <= {*PRIMITIVE_TYPES, "array", "object"}:
        return schema
    return {**schema, "type": types.pop()}


def with_declared_type(parameter: dict[str, Any]) -> dict[str, Any]:
    """``parameter`` with its schema's type declared as Connexion expects (``declared_type``)."""
    schema = parameter.get("schema")
    if not isinstance(schema, dict):
        return parameter
    declared = declared_type(schema)
    return parameter if declared == schema else {**parameter, "schema": declared}



class IndexedPosition(NamedTuple):
    """A middleware position as Connexion reads one: before the class ``value`` in its stack."""

    name: str
    value: type

class OpenAPI31Operation(OpenAPIOperation):
    """An operation whose parameters all carry the ``type`` Connexion expects, routed on the path's
    shape alone: ``/pets/abc`` reaches ``/pets/{petId}`` (an integer) and is refused there in the
    operation's documented error shape, instead of matching no route at all."""

    @functools.cached_property
    def parameters(self) -> list[dict[str, Any]]:
        return [with_declared_type(parameter) for parameter in self._parameters]

    def get_path_parameter_types(self) -> dict[str, str]:
        return {}

    def body_definition(self, content_type: str | None = None) -> dict[str, Any]:
        """The body definition; a form's fields get the single ``type`` Connexion's form parser reads
        (``string`` where the schema declares none it can use)."""
        if content_type is None and not self.consumes:  # ``content: {}`` (Just Eat): no media type to read
            return {}
        definition: dict[str, Any] = super().body_definition(content_type)
        media = content_type or (self.consumes[0] if self.consumes else "")
        schema = definition.get("schema")
        if not media.startswith(FORM_MEDIA_TYPES) or not isinstance(schema, dict):
            return definition
        fields = {name: form_field(field) for name, field in (schema.get("properties") or {}).items()}
        # The form's own schema and encoding ride along for form_bodies, which reads and validates
        # the form as the document writes it.
        return {**definition, "schema": {**schema, "properties": fields, FORM_SCHEMA: schema,
                                         FORM_ENCODING: definition.get("encoding") or {}}}


def form_field(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    declared = as_connexion_file(declared_type(schema))
    if not isinstance(declared.get("type"), str):
        return {**declared, "type": "string"}
    if declared["type"] != "string" and allows_null(schema):
        # A form has no JSON null: the text "null" in a field that may be null and is no string
        # can only mean null (Connexion's parser reads it so for x-nullable fields).
        return {**declared, "x-nullable": True}
    return declared


def as_connexion_file(schema: dict[str, Any]) -> dict[str, Any]:
    """A file field (3.1's ``contentMediaType``) spelt ``format: binary``, as Connexion knows files."""
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict):
        return {**schema, "items": as_connexion_file(items)}
    if schema.get("type") == "string" and is_file(schema) and "format" not in schema:
        return {**schema, "format": "binary"}
    return schema


def is_file(schema: Any) -> bool:
    """Whether a form field's schema is a file: ``format: binary``, or in 3.1 terms a
    ``contentMediaType`` of octet-stream or a base64 ``contentEncoding``."""
    return isinstance(schema, dict) and (
        schema.get("format") in ("binary", "base64")
        or schema.get("contentMediaType") == "application/octet-stream"
        or schema.get("contentEncoding") == "base64")


def allows_null(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    if isinstance(declared, list):
        return "null" in declared
    branches = schema.get("anyOf", ())
    return any(isinstance(branch, dict) and branch.get("type") == "null" for branch in branches)


def routing_order(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its paths from most to least specific (``/items/by`` before
    ``/items/{id}``): routes are matched in order, and all path parameters match any segment."""
    paths = document.get("paths") or {}
    return {**document, "paths": {path: paths[path] for path in most_specific_first(list(paths))}}


class OpenAPI31Specification(OpenAPISpecification):
    """Connexion's OpenAPI specification without its 3.0-only document check.

    Only ``add_spec`` builds one, from a ``Spec`` that ``load_spec`` has already validated as 3.1
    with openapi-spec-validator.
    """

    operation_cls: type[OpenAPIOperation] = OpenAPI31Operation

    def __init__(self, raw_spec: dict[str, Any], *, base_uri: str = "") -> None:
        """As Connexion's, its ``$ref``s resolved by ``prepared.resolve_refs`` (each node once)."""
        self._raw_spec = json_copy(raw_spec)
        self._set_defaults(raw_spec)  # type: ignore[no-untyped-call]
        self._spec = resolve_refs(raw_spec)
        self._base_uri = base_uri

    @classmethod
    def _validate_spec(cls, spec: dict[str, Any]) -> None:
        return None

    @classmethod
    def of(cls, spec: Spec, encodings: Mapping[str, Sequence[str]]) -> OpenAPI31Specification:
        """Connexion's specification of ``spec``, its routes in ``routing_order`` and the operations of
        ``encodings`` taking those media types too, prepared once per process (``prepared``)."""
        base_uri = f"{spec.path.resolve().parent}/"

        def prepare() -> tuple[Any, Any]:
            # What Connexion's __init__ makes, without its deep copy of the raw document (already
            # a copy of the mock's own): a copy of a 3 MB document costs a few tenths of a second.
            raw = with_encodings(routing_order(json_copy(dict(spec.raw))), spec, encodings)
            defaulted = dict(raw)
            cls._set_defaults(defaulted)  # type: ignore[no-untyped-call]  # top-level: ``components``
            return raw, resolve_refs(defaulted)

        specification = cls.__new__(cls)
        specification._raw_spec, specification._spec = prepared(spec, encodings, base_uri, cls, prepare)
        specification._base_uri = base_uri
        return specification


class CachedOpenAPI31Operation(hotpath.CachedBodyDefinitions, OpenAPI31Operation):
    """``OpenAPI31Operation`` with its body definitions looked up once per media type."""


class CachedOpenAPI31Specification(OpenAPI31Specification):
    operation_cls = CachedOpenAPI31Operation


class ConnexionAdapterApp(AsyncApp):
    """Connexion's ``AsyncApp`` as it is, plus ``add_spec`` for validated 3.1 documents (its own
    ``add_api`` re-checks them as 3.0). The benchmark's Connexion-alone ceiling uses it."""

    specification_cls: type[OpenAPI31Specification] = OpenAPI31Specification

    def add_spec(self, spec: Spec, encodings: Mapping[str, Sequence[str]] | None = None) -> None:
        """Serve ``spec``; the operations of ``encodings`` also take the request media types listed
        there (``forms.with_encodings``)."""
        middleware = self.middleware
        if middleware.middleware_stack is not None:
            raise RuntimeError("Cannot add a spec after the application has started")
        specification = self.specification_cls.of(spec, encodings or {})
        # The base path is given, not left to Connexion: it orders documents by it, most specific first,
        # and would take a document without servers for "/", as specific as any other.
        middleware.apis.append(API(specification, base_path=spec.base_path or None, name=None,
                                   **middleware.options.__dict__))


class OpenAPI31App(ConnexionAdapterApp):
    """The mock's app: ``ConnexionAdapterApp`` without Connexion's per-request rebuilding (``hotpath``)."""

    specification_cls = CachedOpenAPI31Specification

    def __init__(self, import_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("middlewares", security.with_and_requirements(hotpath.middlewares()))
        kwargs.setdefault("uri_parser_class", DeepObjectURIParser)
        kwargs.setdefault("jsonifier", hotpath.OrjsonJsonifier())
        super().__init__(import_name, **kwargs)
        # AsyncApp.__init__ builds its innermost app itself; swap it before anything is added.
        self._middleware_app = hotpath.CachedAsyncASGIApp()
        self.middleware.app = self._middleware_app

    def add_middleware(self, middleware_class: Any,
                       position: MiddlewarePosition = MiddlewarePosition.BEFORE_CONTEXT,
                       **options: Any) -> None:
        """Connexion finds a position by its middleware's class: ``BEFORE_ROUTING`` is before the
        indexed routing middleware that stands in for Connexion's (``route_index``)."""
        if position is MiddlewarePosition.BEFORE_ROUTING:
            # Connexion finds the position by its ``name`` and ``value`` (the class to insert before).
            position = IndexedPosition(position.name, IndexedRoutingMiddleware)  # type: ignore[assignment]
        super().add_middleware(middleware_class, position, **options)


EMPTY_MULTIPART = b"; boundary=mockserver"  # an empty body parses as a form without parts


def has_body(scope: Scope) -> bool:
    """Whether a request says it has a body (a length above 0, or chunks)."""
    headers = dict(scope["headers"])
    return headers.get(b"content-length", b"0").strip() not in (b"0", b"") or b"transfer-encoding" in headers


class AssumeJSONContentType:
    """A body without Content-Type is read as JSON, as FastAPI (so AgentOS) does; a request without
    a body or a Content-Type, to an operation that takes forms, as an empty form (Connexion's form
    validator needs a Content-Type). A multipart body without a boundary is a 400 (Starlette's form
    parser fails on it).

    Connexion validates such a body as JSON but hands the handler bytes.
    """

    def __init__(self, app: ASGIApp, forms: dict[str, str] | None = None) -> None:
        self.app = app
        self.forms = forms or {}  # operation key -> the form media type it takes first

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            content_type = next((v for k, v in scope["headers"] if k == b"content-type"), None)
            if content_type is None:
                form = self.forms.get(routed_operation_id(scope) or "") if not has_body(scope) else None
                assumed = b"application/json" if form is None else form.encode() + (
                    EMPTY_MULTIPART if form.startswith("multipart/") else b"")
                scope = {**scope, "headers": [*scope["headers"], (b"content-type", assumed)]}
            elif content_type.lower().startswith(b"multipart/") and b"boundary=" not in content_type.lower():
                raise BadRequest("A multipart body needs a boundary parameter in its Content-Type")
        await self.app(scope, receive, send)


def form_operations(spec: Spec) -> dict[str, str]:
    """Operation key -> the form media type its request body lists first, for operations whose
    request body is a form."""
    forms: dict[str, str] = {}
    for operation in spec.operations():
        body = follow_refs(spec.raw, operation.definition.get("requestBody") or {})
        media = next(iter(body.get("content") or {}), "")
        if media.startswith(FORM_MEDIA_TYPES):
            forms[operation.key] = media
    return forms
