"""A user's corrections to the inferred resources: ``mockserver contract --resources FILE``.

The lifecycle checks run on the collections the engine infers (``mockserver validate`` prints
them). Where a guess is wrong, a YAML or JSON file lists the right ones, each a mapping:

- ``collection``: the collection's path (``/pets``), required;
- ``item_path``: the path of one item (``/pets/{petId}``), where the inference pairs none or another;
- ``id_property``: the item property that is its id, where the guess is another;
- ``fields``: a mapping of item fields every create sends as given, where the server needs values
  no schema can tell (an ``agent_id`` naming an agent the server has).

A file that says something the documents do not have stops the run before any request, naming the
file, the entry and the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.core.data_files import parse_data, read_text
from mockserver.errors import UnusableInput

KEYS = ("collection", "item_path", "id_property", "fields")
PATH_KEYS = ("collection", "item_path", "id_property")


@dataclass(frozen=True)
class ResourceMapping:
    collection: str
    item_path: str | None = None
    id_property: str | None = None
    where: str = ""  # the file and entry, for errors: ``resources.yaml: [0]``
    fields: Mapping[str, Any] = field(default_factory=dict)


def read_resources(path: Path) -> tuple[ResourceMapping, ...]:
    """The mappings ``path`` lists; ``UnusableInput`` naming the file, entry and field otherwise."""
    found = parse_data(path, read_text(path, UnusableInput, "resources file"), UnusableInput)
    if not isinstance(found, list):
        raise UnusableInput(f"{path}: a resources file is a list of mappings with {', '.join(KEYS)}")
    return tuple(_mapping(f"{path}: [{index}]", entry) for index, entry in enumerate(found))


def _mapping(where: str, entry: Any) -> ResourceMapping:
    if not isinstance(entry, Mapping):
        raise UnusableInput(f"{where}: an entry is a mapping with {', '.join(KEYS)}")
    unknown = sorted(str(key) for key in entry if key not in KEYS)
    if unknown:
        raise UnusableInput(f"{where}.{unknown[0]}: unknown key; an entry has {', '.join(KEYS)}")
    for key in PATH_KEYS:
        value = entry.get(key)
        if (value is not None or key == "collection") and not (isinstance(value, str) and value):
            raise UnusableInput(f"{where}.{key}: must be a non-empty string (got {value!r})")
    for key in ("collection", "item_path"):
        if entry.get(key) is not None and not str(entry[key]).startswith("/"):
            raise UnusableInput(f"{where}.{key}: a path starts with '/' (got {entry[key]!r})")
    fields = entry.get("fields", {})
    if not isinstance(fields, Mapping) or not all(isinstance(name, str) for name in fields):
        raise UnusableInput(f"{where}.fields: must be a mapping of field names to values (got {fields!r})")
    return ResourceMapping(entry["collection"], entry.get("item_path"), entry.get("id_property"), where,
                           dict(fields))


def parents_of(mappings: Sequence[ResourceMapping]) -> dict[str, str]:
    """Item path -> collection path, as the mappings pair them."""
    return {mapping.item_path: mapping.collection for mapping in mappings if mapping.item_path}


def id_properties(mappings: Sequence[ResourceMapping]) -> dict[str, str]:
    """Collection path -> id property, as the mappings name them."""
    return {mapping.collection: mapping.id_property for mapping in mappings if mapping.id_property}


def fields_of(mappings: Sequence[ResourceMapping]) -> dict[str, Mapping[str, Any]]:
    """Collection path -> the fields its creates send as given."""
    return {mapping.collection: mapping.fields for mapping in mappings if mapping.fields}


def check_applied(mappings: Sequence[ResourceMapping], paths: set[str],
                  collections: Mapping[str, str]) -> None:
    """Each mapping names paths of the documents and, applied, a collection the checks run on
    (``collections``: collection path -> its item path)."""
    for mapping in mappings:
        for key, path in (("collection", mapping.collection), ("item_path", mapping.item_path)):
            if path is not None and path not in paths:
                raise UnusableInput(f"{mapping.where}.{key}: no path {path} in the documents")
        if mapping.collection not in collections:
            inferred = ", ".join(sorted(collections)) or "none"
            raise UnusableInput(f"{mapping.where}.collection: {mapping.collection} is no collection the "
                                f"documents give a create or an item operation for (collections: {inferred})")
        if mapping.item_path is not None and collections[mapping.collection] != mapping.item_path:
            raise UnusableInput(f"{mapping.where}.item_path: {mapping.collection}'s items are read at "
                                f"{collections[mapping.collection]}, not {mapping.item_path}")
