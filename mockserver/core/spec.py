"""The OpenAPI document the mock serves, as a model: ``Spec`` and its ``Operation``s.

A ``Spec`` is a document that has been checked (``core.spec_loading.load_spec`` reads and checks
one) in the form it is served: the mapping as read, a 3.0 document's schemas in 2020-12 terms. It
hands out 2020-12 validators for any of its schemas by JSON pointer, its operations, where they
are served (``base_path``) and which query parameters carry credentials; ``path_pattern`` matches
the request paths of a path template. Nothing changes a ``Spec`` once built.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from referencing import Registry

from mockserver.core.pointers import follow_refs, pointer
from mockserver.core.schema import make_validator
from mockserver.core.schema_registry import document_registry
from mockserver.core.sources import Sources
from mockserver.errors import SpecError

SPEC_URI = "urn:mockserver:spec"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    operation_id: str | None
    definition: Mapping[str, Any]

    @property
    def pointer(self) -> str:
        return pointer("paths", self.path, self.method)

    @property
    def key(self) -> str:
        """What routes a request to this operation: its operationId, else ``METHOD /path``."""
        return self.operation_id if self.operation_id is not None else operation_key(self.method, self.path)


def operation_key(method: str, path: str) -> str:
    """The key of an operation without an operationId: ``GET /pets/{petId}``."""
    return f"{method.upper()} {path}"


@dataclass(frozen=True)
class Spec:
    """A validated OpenAPI document: the mapping as read (a 3.0 document's schemas in 2020-12
    terms), plus schema validators."""

    path: Path
    raw: Mapping[str, Any]
    registry: Registry = field(repr=False)
    warnings: tuple[str, ...] = ()  # its OpenAPI problems, served anyway (``check_openapi``)
    sources: Sources | None = field(default=None, repr=False, compare=False)  # the files it was read from
    # Its OpenAPI problems when they are found after serving began (``load_spec(later=True)``).
    later: Callable[[], tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_document(cls, path: Path, document: Mapping[str, Any], warnings: tuple[str, ...] = (),
                      sources: Sources | None = None) -> Spec:
        """A ``Spec`` of a document that has been checked (``check_openapi``)."""
        return cls(path=path, raw=document, registry=document_registry(SPEC_URI, document), warnings=warnings,
                   sources=sources)

    def validator(self, schema_pointer: str) -> Draft202012Validator:
        """A validator for the schema at ``schema_pointer``, with its ``$ref``s resolvable."""
        return make_validator({"$ref": f"{SPEC_URI}#{schema_pointer}"}, self.registry)

    @property
    def component_schemas(self) -> Mapping[str, Any]:
        """The document's ``components/schemas`` (empty when it has none)."""
        schemas: Mapping[str, Any] = (self.raw.get("components") or {}).get("schemas") or {}
        return schemas

    def component_schema(self, name: str) -> Mapping[str, Any]:
        try:
            schema: Mapping[str, Any] = self.raw["components"]["schemas"][name]
        except KeyError:
            raise SpecError(f"{self.path}: no schema {pointer('components', 'schemas', name)}") from None
        return schema

    @property
    def base_path(self) -> str:
        """Where the operations are served: the path of the first server's URL (its variables at
        their defaults), as Connexion reads it; "" without servers."""
        servers = self.raw.get("servers") or [{}]
        url = str(servers[0].get("url", ""))
        for name, variable in (servers[0].get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
        # A relative URL is relative to where the document is served: the mock serves it at "/".
        written = urlsplit(url).path
        return "" if not written.strip("/.") else posixpath.normpath("/" + written.lstrip("/")).rstrip("/")

    @property
    def query_credentials(self) -> frozenset[str]:
        """The names of the query parameters that carry credentials: the document's API keys sent
        in the query (the journal and the access log show them redacted)."""
        schemes = (self.raw.get("components") or {}).get("securitySchemes") or {}
        found = (follow_refs(self.raw, scheme) for scheme in schemes.values())
        return frozenset(str(scheme["name"]) for scheme in found
                         if isinstance(scheme, Mapping) and scheme.get("type") == "apiKey"
                         and scheme.get("in") == "query" and scheme.get("name"))

    def operations(self) -> Iterator[Operation]:
        for path, item in self.raw.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item:
                    operation = item[method]
                    yield Operation(path, method, operation.get("operationId"), operation)


@functools.lru_cache(maxsize=65536)
def path_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching the request paths of a path template (``/sessions/{id}``)."""
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
