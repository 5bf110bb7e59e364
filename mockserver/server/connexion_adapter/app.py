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

from mockserver.core.data_files import json_copy
from mockserver.core.spec import Spec
from mockserver.server.connexion_adapter import hotpath, security
from mockserver.server.connexion_adapter.content_types import FORM_MEDIA_TYPES
from mockserver.server.connexion_adapter.declared_types import form_field, with_declared_type
from mockserver.server.connexion_adapter.deep_objects import DeepObjectURIParser
from mockserver.server.connexion_adapter.form_bodies import FORM_ENCODING, FORM_SCHEMA
from mockserver.server.connexion_adapter.forms import with_encodings
from mockserver.server.connexion_adapter.lookup_caches import CachedBodyDefinitions
from mockserver.server.connexion_adapter.orjson_jsonifier import OrjsonJsonifier
from mockserver.server.connexion_adapter.prepared import prepared, resolve_refs
from mockserver.server.connexion_adapter.route_index import IndexedRoutingMiddleware
from mockserver.server.connexion_adapter.routing import most_specific_first


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


class CachedOpenAPI31Operation(CachedBodyDefinitions, OpenAPI31Operation):
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
        kwargs.setdefault("jsonifier", OrjsonJsonifier())
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


