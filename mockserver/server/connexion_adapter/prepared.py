"""Connexion's view of a document, prepared once per process and copied for each app.

Connexion's ``Specification`` deep-copies the document it is given, then deep-copies it again to
resolve every ``$ref`` in it, and the mock had copied it once more to order its routes: a third of
building a mock. The prepared document and its resolved form depend only on the ``Spec`` (which
nothing changes once built: ``core.spec``), the extra request media types and the base URI, so
they are made once. Connexion does change its copies afterwards (a base path's ``servers``, a
response schema's ``components``), so each app still gets copies of its own: both documents are
kept pickled together, and unpickling them (nodes shared in them shared in the copies) is several
times faster than copying them node by node.

Connexion resolves each ``$ref`` by copying what it points at into it, and looks into everything
else each time it meets it. A document read from many files holds what they share in many places
(``core.split_documents``): met again after its ``$ref``s were resolved, a schema that contains
itself would be looked into forever. ``resolve_refs`` is Connexion's, looking into each node once.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from mockserver.core.data_files import json_copy
from mockserver.core.pointers import resolve_pointer

PREPARED_KEPT = 32  # documents a process keeps prepared (a test session builds mocks on dozens)

Key = tuple[int, tuple[tuple[str, tuple[str, ...]], ...], str, type]
_prepared: dict[Key, tuple[object, bytes]] = {}


def prepared(spec: object, encodings: Mapping[str, Sequence[str]], base_uri: str, kind: type,
             prepare: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
    """Fresh copies of what ``prepare`` makes for ``spec`` (Connexion's raw and resolved documents),
    made by it once per ``spec``, ``encodings``, ``base_uri`` and specification class ``kind``."""
    key: Key = (id(spec), tuple(sorted((name, tuple(media)) for name, media in encodings.items())),
                base_uri, kind)
    kept = _prepared.get(key)
    if kept is None or kept[0] is not spec:  # the id of a Spec no longer kept may be reused
        raw, resolved = prepare()
        if len(_prepared) >= PREPARED_KEPT:
            del _prepared[next(iter(_prepared))]
        _prepared[key] = (spec, pickle.dumps((raw, resolved), protocol=pickle.HIGHEST_PROTOCOL))
        return raw, resolved
    copies: tuple[Any, Any] = pickle.loads(kept[1])
    return copies


def resolve_refs(spec: Any) -> Any:
    """A copy of ``spec`` with its (local) ``$ref``s resolved as Connexion's ``resolve_refs`` does:
    what a ``$ref`` points at is copied into its mapping, which is not looked into further, and
    every other node is looked into once, however many places hold it."""
    spec = json_copy(spec)
    seen: set[int] = set()

    def resolve(node: Any) -> Any:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):  # not a property named $ref
            retrieved = resolve_pointer(spec, unquote(str(node["$ref"]).removeprefix("#")))
            if not isinstance(retrieved, Mapping):  # a list or a value (Spotify's x-spotify-policy-list)
                return resolve(retrieved)
            node.update(retrieved)
            if isinstance(retrieved, Mapping) and "$ref" in retrieved:
                node = resolve(node)
            node.pop("$ref", None)
            return node
        if isinstance(node, (dict, list)) and id(node) not in seen:
            seen.add(id(node))
            for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
                node[key] = resolve(value)
        return node

    return resolve(spec)
