"""Several OpenAPI documents served as one API.

Each document is read and validated on its own, unchanged (``load_spec``). ``combine`` then checks
that they fit together, naming both files when they do not: no operation (method and path) and no
operationId is defined twice, a component or a path's shared keys (``parameters``, ...) defined by
several documents are the same in each, and so are the top-level ``security`` and ``servers``.
The result is one ``Spec`` over a merged document (paths and components of all), which is what
routing, validation and the handlers see; the files themselves are served as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.core.pointers import pointer
from mockserver.core.spec import HTTP_METHODS, Spec
from mockserver.core.spec_loading import load_spec
from mockserver.errors import SpecError

# Top-level keys every document must agree on (absent and empty are the same): they apply to every
# operation, and the combined document can have only one of each.
SHARED_KEYS = ("security", "servers")
# Combinations a process keeps: the same loaded documents (``load_spec`` keeps them) make the same
# combined ``Spec``, which then stays the same object (``connexion_adapter.prepared`` keys on it).
COMBINED_KEPT = 32


@dataclass(frozen=True)
class Served:
    """The documents as given, and the one ``Spec`` they make together."""

    documents: tuple[Spec, ...]
    combined: Spec

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(document.path for document in self.documents)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(warning for document in self.documents for warning in document.warnings)

    def later_warnings(self) -> tuple[str, ...]:
        """The OpenAPI problems of the documents loaded to be checked later (``load_spec``), found now."""
        return tuple(warning for document in self.documents if document.later is not None
                     for warning in document.later())

    @property
    def checked_later(self) -> bool:
        return any(document.later is not None for document in self.documents)


def conflicts(documents: Iterable[Spec]) -> list[str]:
    """Every way ``documents`` contradict each other, as sentences naming both files."""
    problems: list[str] = []
    documents = list(documents)
    problems += [f"{document.path}: /{key} differs from /{key} in {documents[0].path}"
                 for document in documents[1:] for key in SHARED_KEYS
                 if (document.raw.get(key) or []) != (documents[0].raw.get(key) or [])]
    path_items: dict[str, tuple[Path, dict[str, Any]]] = {}
    operations: dict[tuple[str, str], Path] = {}
    operation_ids: dict[str, Path] = {}
    components: dict[tuple[str, str], tuple[Path, Any]] = {}
    for document in documents:
        for operation in document.operations():
            key = (operation.method, operation.path)
            if key in operations:
                problems.append(f"{document.path}: {operation.pointer}: {operation.method.upper()} "
                                f"{operation.path} is also defined in {operations[key]}")
            operations.setdefault(key, document.path)
            if operation.operation_id is not None:
                if operation.operation_id in operation_ids:
                    problems.append(f"{document.path}: {operation.pointer}/operationId: operationId "
                                    f"{operation.operation_id!r} is also defined in "
                                    f"{operation_ids[operation.operation_id]}")
                operation_ids.setdefault(operation.operation_id, document.path)
        for path, item in (document.raw.get("paths") or {}).items():
            shared = {key: value for key, value in item.items() if key not in HTTP_METHODS}
            first_path, first_shared = path_items.setdefault(path, (document.path, shared))
            keys = set(shared) | set(first_shared)
            differing = sorted(key for key in keys if shared.get(key) != first_shared.get(key))
            if differing:
                problems.append(f"{document.path}: {pointer('paths', path)}: path-level "
                                f"{', '.join(differing)} differ from those in {first_path}")
        for section, entries in component_sections(document.raw):
            for name, value in entries.items():
                seen = components.setdefault((section, name), (document.path, value))
                if seen[1] != value:
                    problems.append(f"{document.path}: {pointer('components', section, name)} differs from "
                                    f"the component of the same name in {seen[0]}")
    return problems


def component_sections(document: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The named sections of ``components`` (``schemas``, ``responses``...); an extension
    (impala.travel's ``x-samples-languages``, a list) is none."""
    components = document.get("components")
    if not isinstance(components, Mapping):
        return []
    return [(section, entries) for section, entries in components.items()
            if isinstance(entries, Mapping) and not str(section).startswith("x-")]


def merged_document(documents: Iterable[Spec]) -> dict[str, Any]:
    """One document with the paths, components and webhooks of all (a webhook named twice: the first
    document's; the first one's other top-level keys)."""
    documents = list(documents)
    merged: dict[str, Any] = {key: value for key, value in documents[0].raw.items()
                              if key not in ("paths", "components", "webhooks")}
    paths: dict[str, dict[str, Any]] = {}
    components: dict[str, dict[str, Any]] = {}
    webhooks: dict[str, Any] = {}
    for document in documents:
        for name, item in (document.raw.get("webhooks") or {}).items():
            webhooks.setdefault(name, item)
        for path, item in (document.raw.get("paths") or {}).items():
            target = paths.setdefault(path, {})
            target.update(item)  # operations and path-level keys never collide (conflicts() checked)
        for section, entries in component_sections(document.raw):
            components.setdefault(section, {}).update(entries)
    merged["paths"] = paths
    if components:
        merged["components"] = components
    if webhooks:
        merged["webhooks"] = webhooks
    return merged


_combined: dict[tuple[int, ...], Served] = {}


def combine(documents: Iterable[Spec]) -> Served:
    """The documents as one API (``SpecError`` naming both files when two of them disagree)."""
    documents = tuple(documents)
    if not documents:
        raise SpecError("no OpenAPI document to serve")
    problems = conflicts(documents)
    if problems:
        others = len(problems) - 1
        raise SpecError(problems[0] + (f" (and {others} more)" if others else ""))
    if len(documents) == 1:
        return Served(documents, documents[0])
    key = tuple(id(document) for document in documents)
    kept = _combined.get(key)
    if kept is None or any(a is not b for a, b in zip(kept.documents, documents, strict=True)):
        if len(_combined) >= COMBINED_KEPT:
            del _combined[next(iter(_combined))]
        kept = _combined[key] = Served(documents, Spec.from_document(documents[0].path,
                                                                     merged_document(documents)))
    return kept


def load_specs(paths: Iterable[Path], strict: bool = True, later: bool = False) -> Served:
    """Read, validate and combine the documents at ``paths`` (``strict``, ``later``: as ``load_spec``)."""
    return combine(load_spec(path, strict, later) for path in paths)

