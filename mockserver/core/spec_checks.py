"""The checks a document passes before it is served: valid OpenAPI 3.0 or 3.1 (its problems located
in the file that holds each node), and every local ``$ref`` pointing at something."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from mockserver.core.pointers import local_pointer, pointer, resolve_pointer
from mockserver.core.sentences import short
from mockserver.core.sources import Sources
from mockserver.core.spec_problems import openapi_problems, version_problem
from mockserver.errors import SpecError

_problems: dict[bytes, tuple[tuple[str, str], ...]] = {}  # by the digest of a one-file document's text
PROBLEMS_KEPT = 64


def located(path: Path, where: str, sources: Sources | None) -> str:
    """``file: pointer`` of the node at ``where`` in the document read from ``path`` (the file
    holding it when the document is written over several)."""
    return sources.at(where) if sources is not None else f"{path}: {where}"


def check_openapi(path: Path, document: Mapping[str, Any], strict: bool = True,
                  sources: Sources | None = None,
                  found: Iterable[tuple[str, str]] | None = None) -> tuple[str, ...]:
    """Validate ``document`` as OpenAPI 3.0 or 3.1: its problems, one located line each (in the
    file that holds the node, with ``sources``; a node several places share, once), which
    ``strict`` makes a ``SpecError`` (at the first). What makes serving impossible
    is one whatever ``strict`` says: an OpenAPI version other than 3.0 or 3.1, a local ``$ref`` to
    nothing. Prism serves documents with the others, and published documents have them. ``found``:
    ``openapi_problems(document)`` where the caller has it already."""
    problems: dict[str, None] = {}
    for where, problem in openapi_problems(document) if found is None else found:
        if where == "/openapi":
            raise SpecError(f"{path}: {problem}")
        problems[f"{located(path, where, sources)}: {problem}"] = None
    if strict and problems:
        raise SpecError(next(iter(problems)))  # mockserver validate lists them all
    check_references(path, document, sources)
    return tuple(problems)


def check_servable(path: Path, document: Mapping[str, Any], sources: Sources | None = None) -> None:
    """What makes serving impossible, checked without validating the whole document: an OpenAPI
    version other than 3.0 or 3.1, a local ``$ref`` to nothing."""
    wrong_version = version_problem(document)
    if wrong_version is not None:
        raise SpecError(f"{path}: {wrong_version}")
    check_references(path, document, sources)


def _references(node: Any, at: tuple[str | int, ...] = (),
                seen: set[int] | None = None) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Every ``$ref`` below ``node`` and where; a node held in several places (``core.split_documents``)
    is looked into once."""
    seen = set() if seen is None else seen
    if isinstance(node, (Mapping, list)):
        if id(node) in seen:
            return
        seen.add(id(node))
    if isinstance(node, Mapping):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"], (*at, "$ref")
        for key, value in node.items():
            yield from _references(value, (*at, key), seen)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _references(value, (*at, index), seen)


def unresolvable_references(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The pointer of each local ``$ref`` that points at nothing, and a sentence saying so."""
    for ref, at in _references(document):
        if not ref.startswith("#"):
            continue
        try:
            resolve_pointer(document, local_pointer(ref))
        except LookupError:
            yield pointer(*at), short(f"unresolvable reference {ref!r}")


def check_references(path: Path, document: Mapping[str, Any], sources: Sources | None = None) -> None:
    """Every local ``$ref`` points at something (openapi-spec-validator skips some)."""
    for where, sentence in unresolvable_references(document):
        raise SpecError(f"{located(path, where, sources)}: {sentence}")


def problems_of(path: Path, text: str, document: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """``openapi_problems`` of a document written in one file, found once per process for each text
    read as each kind: the same text elsewhere (a copy) has the same problems at the same pointers."""
    key = hashlib.sha256(text.encode()).digest() + (b"json" if path.suffix == ".json" else b"yaml")
    if key not in _problems:
        if len(_problems) >= PROBLEMS_KEPT:
            del _problems[next(iter(_problems))]
        _problems[key] = tuple(openapi_problems(document))
    return _problems[key]
