"""Fixture files of generic collections: ``collection: /pets`` and ``items: [...]``.

Optional keys: ``id_property`` (which item property is the id, overriding the guess) and ``scope``
(the parent path parameters of a nested collection: ``{ownerId: "7"}``). Each item is validated
against the collection's item schema as written; errors name the file, the item and the field.
Files without a ``collection`` key are a profile's (AgentOS: sessions, ``agentos.fixtures``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.core.data_files import read_text
from mockserver.core.fixture_files import fixture_paths, read_fixture_file
from mockserver.core.schema import first_error
from mockserver.core.schema_messages import explain
from mockserver.engine.fitting import Fitter
from mockserver.engine.inference import Collection
from mockserver.engine.items import Item, Place
from mockserver.errors import FixtureError

FILE_KEYS = {"collection", "items", "id_property", "scope"}
NAMES_A_COLLECTION = re.compile(r"""^\s*["']?collection["']?\s*:""", re.MULTILINE)


@dataclass(frozen=True)
class CollectionFile:
    path: Path
    collection: str
    items: list[Any]
    id_property: str | None
    scope: Mapping[str, str]


def is_collection_file(document: Any) -> bool:
    return isinstance(document, Mapping) and "collection" in document


def read_collection_files(directory: Path | None) -> list[CollectionFile]:
    """The collection fixture files in ``directory`` (none when there is no directory)."""
    if directory is None or not directory.is_dir():
        return []
    files = []
    for path in fixture_paths(directory):
        if not NAMES_A_COLLECTION.search(read_text(path, FixtureError, "fixture file")):
            continue  # session fixtures, often large: not parsed twice
        document = read_fixture_file(path)
        if not is_collection_file(document):
            continue
        unknown = sorted(set(document) - FILE_KEYS)
        if unknown:
            raise FixtureError(f"{path}: unknown top-level key {unknown[0]!r} (allowed: "
                               f"{', '.join(sorted(FILE_KEYS))})")
        if not isinstance(document.get("items", []), list):
            raise FixtureError(f"{path}: 'items' must be a list of items")
        scope = document.get("scope") or {}
        if not isinstance(scope, Mapping):
            raise FixtureError(f"{path}: 'scope' maps the collection's path parameters to values")
        files.append(CollectionFile(path, str(document["collection"]), document.get("items") or [],
                                    document.get("id_property"), {str(k): str(v) for k, v in scope.items()}))
    return files


def id_overrides(files: Iterable[CollectionFile]) -> dict[str, str]:
    return {file.collection: file.id_property for file in files if file.id_property}


def fixture_items(files: Iterable[CollectionFile], collections: Mapping[str, Collection],
                  fitter: Fitter, *, served_only: bool = False) -> list[tuple[Place, str, Item]]:
    """Every item of ``files``, validated against its collection's item schema (``served_only``:
    files of collections the documents do not serve are left out, not an error)."""
    found: list[tuple[Place, str, Item]] = []
    for file in files:
        collection = collections.get(file.collection)
        if collection is None and served_only:
            continue
        if collection is None:
            known = ", ".join(sorted(collections)) or "none"
            raise FixtureError(f"{file.path}: collection: no collection {file.collection!r} in the served "
                               f"documents (collections: {known})")
        missing = [name for name in collection.scope_parameters if name not in file.scope]
        if missing:
            raise FixtureError(f"{file.path}: scope: {missing[0]!r} is needed for {collection.path}")
        place = (collection.path, tuple(file.scope[name] for name in collection.scope_parameters))
        for index, item in enumerate(file.items):
            where = f"{file.path}: items[{index}]"
            if not isinstance(item, Mapping) or collection.id_property not in item:
                raise FixtureError(f"{where}: an item is a mapping with its id {collection.id_property!r}")
            if collection.item_schema is not None:
                error = first_error(fitter.validator(collection.item_schema), item)
                if error is not None:
                    raise FixtureError(f"{where}: {explain(error, 'the item')}")
            found.append((place, str(item[collection.id_property]), dict(item)))
    return found
