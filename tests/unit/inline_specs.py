"""Small OpenAPI 3.1 documents written in a test, checked and read as the mock reads a file.

``spec_of(paths, schemas)`` declares every path parameter a test leaves undeclared (a string, at
the path item), so that a test writes only what its property is about.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mockserver.core.spec import Spec
from mockserver.core.spec_checks import check_openapi
from mockserver.core.spec_loading import served_spec

PATH = Path("inline.yaml")
JSON = "application/json"


def spec_of(paths: dict[str, Any], schemas: dict[str, Any] | None = None, **components: Any) -> Spec:
    """The checked ``Spec`` of a document with ``paths`` and ``components`` (``schemas`` and others)."""
    document: dict[str, Any] = {
        "openapi": "3.1.0", "info": {"title": "inline", "version": "1"},
        "paths": {path: _with_path_parameters(path, item) for path, item in paths.items()},
    }
    if schemas or components:
        document["components"] = {**({"schemas": schemas} if schemas else {}), **components}
    check_openapi(PATH, document)
    return served_spec(PATH, document)


def _with_path_parameters(path: str, item: dict[str, Any]) -> dict[str, Any]:
    declared = {p.get("name") for p in item.get("parameters", [])} | {
        p.get("name") for operation in item.values() if isinstance(operation, dict)
        for p in operation.get("parameters", [])}
    missing = [name for name in re.findall(r"\{([^/{}]+)\}", path) if name not in declared]
    if not missing:
        return item
    added = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in missing]
    return {**item, "parameters": [*item.get("parameters", []), *added]}


def answer(schema: Any = None, status: str = "200", media: str = JSON, **media_fields: Any) -> dict[str, Any]:
    """An operation answering ``status`` with ``schema`` (no content when both are None)."""
    content = {} if schema is None and not media_fields else {
        "content": {media: {**({"schema": schema} if schema is not None else {}), **media_fields}}}
    return {"responses": {status: {"description": status, **content}}}


def body(schema: Any) -> dict[str, Any]:
    """A JSON request body of ``schema``."""
    return {"requestBody": {"content": {JSON: {"schema": schema}}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}
