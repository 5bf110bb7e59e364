"""Which change of state fires which webhook: webhook name -> collection and events.

A webhook is fired by a collection whose item schema is its payload's (the same schema, through
``$ref``s), or is one property of its payload (``{"event": ..., "pet": Pet}``: the item goes in
that property, the rest is built from the payload's schema). Its events are read from its name
(``newPet``: created; ``petUpdated``: updated; ``petRemoved``: deleted); a name that names none is
fired by every change. A mapping file (``--webhooks FILE``) gives or corrects any of it:

    webhooks:
      petUpdated: {collection: /pets, events: [updated]}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.core.fixture_files import read_fixture_file
from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.engine.inference import Collection
from mockserver.engine.outgoing import Outgoing
from mockserver.engine.reading import object_shape, schema_at
from mockserver.errors import FixtureError

EVENTS = ("created", "updated", "deleted")
WORDS = {"created": ("create", "add", "new", "insert", "register", "post"),
         "updated": ("update", "change", "modif", "edit", "patch", "replace", "put"),
         "deleted": ("delete", "remove", "destroy", "drop", "deregister")}


@dataclass(frozen=True)
class WebhookRoute:
    outgoing: Outgoing
    collection: str  # the collection's path
    events: tuple[str, ...]
    wrapped_in: str | None = None  # the payload property that holds the item (None: the item itself)
    reason: str = ""

    def describe(self) -> str:
        holds = f" in its property {self.wrapped_in!r}" if self.wrapped_in else ""
        return (f"webhook {self.outgoing.name}: {self.outgoing.method} of the item{holds} when an item "
                f"of {self.collection} is {' or '.join(self.events)} ({self.reason})")


def events_named(name: str) -> tuple[str, ...]:
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).lower()
    found = tuple(event for event in EVENTS if any(word in words for word in WORDS[event]))
    return found or EVENTS


def _holder(spec: Spec, outgoing: Outgoing, collection: Collection) -> tuple[bool, str | None]:
    """Whether the payload carries the collection's item, and in which property (None: as a whole)."""
    if outgoing.body_schema is None or collection.item_schema is None:
        return False, None
    item = schema_at(spec, collection.item_schema)
    payload = schema_at(spec, outgoing.body_schema)
    if payload is item:
        return True, None
    properties, _ = object_shape(spec.raw, payload)
    for name, schema in properties.items():
        if follow_refs(spec.raw, schema) is item:
            return True, str(name)
    return False, None


def infer(spec: Spec, webhooks: Mapping[str, list[Outgoing]], collections: Mapping[str, Collection],
          given: Mapping[str, Mapping[str, Any]] | None = None) -> list[WebhookRoute]:
    """The routes of every webhook a collection fires, ``given`` (a mapping file's) first."""
    routes = []
    for name, operations in webhooks.items():
        wanted = (given or {}).get(name) or {}
        for outgoing in operations[:1]:
            places = [wanted["collection"]] if "collection" in wanted else list(collections)
            for path in places:
                carries, wrapped = _holder(spec, outgoing, collections[path])
                if not carries and "collection" not in wanted:
                    continue
                events = tuple(wanted.get("events") or events_named(name))
                reason = ("given in the mapping file" if wanted else
                          "its payload's schema is the item's" if wrapped is None
                          else "its payload holds the item") + ("" if "events" in wanted else
                                                                "; events read from its name")
                routes.append(WebhookRoute(outgoing, path, events, wanted.get("wrapped_in", wrapped), reason))
                break
    return routes


def read_mapping(path: Path | None, webhooks: Mapping[str, Any],
                 collections: Mapping[str, Collection]) -> dict[str, dict[str, Any]]:
    """A mapping file's webhooks (``FixtureError`` naming file and field when one is wrong)."""
    if path is None:
        return {}
    document = read_fixture_file(path)
    entries = document.get("webhooks") if isinstance(document, Mapping) else None
    if not isinstance(entries, Mapping):
        raise FixtureError(f"{path}: expected a top-level 'webhooks' mapping names to "
                           "{collection: /path, events: [created, updated, deleted]}")
    found: dict[str, dict[str, Any]] = {}
    for name, entry in entries.items():
        where = f"{path}: webhooks.{name}"
        if name not in webhooks:
            raise FixtureError(f"{where}: the documents have no webhook {name!r} "
                               f"(they have: {', '.join(sorted(webhooks)) or 'none'})")
        if not isinstance(entry, Mapping) or entry.get("collection") not in collections:
            raise FixtureError(f"{where}.collection: expected one of the engine's collections: "
                               f"{', '.join(sorted(collections)) or 'none'}")
        events = entry.get("events", list(EVENTS))
        if not isinstance(events, list) or not events or any(event not in EVENTS for event in events):
            raise FixtureError(f"{where}.events: expected a list of {', '.join(EVENTS)}")
        found[str(name)] = {"collection": entry["collection"], "events": events,
                            **({"wrapped_in": str(entry["wrapped_in"])} if entry.get("wrapped_in") else {})}
    return found
