"""The lifecycle checks of one item: ``create_then_read``, ``update_is_visible``,
``delete_is_final`` and ``ids_are_stable``. Each takes a collection's ``Steps`` and returns if the
server behaves as the collection promises; it raises ``Finding`` (what the server did) or ``Skip``
(why it cannot tell)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mockserver.contract.lifecycle.data import change, item_body, kind_read, reads_as_sent
from mockserver.contract.lifecycle.lists import walk
from mockserver.contract.lifecycle.outcome import Finding, Skip
from mockserver.contract.lifecycle.pages import ids_of, list_page
from mockserver.contract.lifecycle.steps import Steps, fresh
from mockserver.contract.lifecycle.targets import request_schema
from mockserver.core.pointers import follow_refs
from mockserver.core.schema import json_type
from mockserver.engine.ids import new_id
from mockserver.engine.reading import (
    documents_status,
    object_shape,
    response_schema_pointer,
    schema_at,
    success_status,
)

UNKNOWN = 987_654  # the number of an id no run creates


def comparable(steps: Steps) -> dict[str, Mapping[str, Any]]:
    """The item's properties a client sets and reads back: not read-only, not write-only."""
    document = steps.target.spec.raw
    properties, _ = object_shape(document, schema_at(steps.target.spec, steps.target.collection.item_schema))
    found = {name: follow_refs(document, schema) for name, schema in properties.items()}
    return {name: schema for name, schema in found.items() if isinstance(schema, Mapping)
            and not schema.get("readOnly") and not schema.get("writeOnly")}


def differences(steps: Steps, sent: Mapping[str, Any], item: Any) -> tuple[list[str], list[str]]:
    """The fields that read back otherwise than sent, and those that cannot read back as sent (sent
    as one kind of value, read as another: the request and item schemas differ)."""
    if not str(steps.target.media_type("create") or "").endswith("json"):
        return [], []  # a form's field names are not the item's (Twilio's FriendlyName): not compared
    operation = steps.target.routes["read"].operation
    if response_schema_pointer(steps.target.spec, operation, success_status(operation)) is None:
        return [], []  # the read documents no item: nothing to compare
    fields = comparable(steps)
    read = item if isinstance(item, Mapping) else {}
    document = steps.target.spec.raw
    compared = {name: value for name, value in sent.items()
                if name in fields and name != steps.target.collection.id_property}
    unlike = {name: kind for name, value in compared.items()
              if (kind := kind_read(document, fields[name], value)) is not None}
    wrong = [f"{name} reads {read.get(name)!r}, sent {value!r}" for name, value in compared.items()
             if name not in unlike and not reads_as_sent(document, fields[name], read.get(name), value)]
    return wrong, [f"{name} (sent as {json_type(compared[name])}, read as {kind})"
                   for name, kind in unlike.items()]


def create_then_read(steps: Steps) -> None:
    steps.need("create", "read")
    item_id, sent, answer = steps.create()
    item_url = steps.target.url("read", item_id)
    location = steps.location_path(answer, item_url)
    if location is not None and location != urlsplit(item_url).path:
        raise Finding(f"the create's Location {location} is not the item's path {urlsplit(item_url).path}")
    read, item = steps.read(item_id)
    if not read.ok:
        raise Finding(f"the item just created ({item_id}) cannot be read back: GET answered {read.status}")
    wrong, unlike = differences(steps, sent, item)
    if wrong:
        raise Finding(f"the item read back differs from what was sent: {'; '.join(wrong)}")
    if unlike:
        raise Skip(f"a field the request and item schemas type apart cannot read back as sent: "
                   f"{', '.join(unlike)}; every other field did")


def update_is_visible(steps: Steps) -> None:
    verbs = [verb for verb in ("update", "replace") if verb in steps.target.routes]
    if not verbs:
        raise Skip("no PATCH or PUT of the item")
    steps.need("create", "read", *verbs)
    read = steps.target.routes["read"].operation
    if response_schema_pointer(steps.target.spec, read, success_status(read)) is None:
        raise Skip("the item's GET documents no item: an update cannot be seen")
    item_id, sent, current = fresh(steps)
    changed_any = False
    for verb in verbs:
        operation = steps.target.routes[verb].operation
        method = operation.method.upper()
        schema, _ = request_schema(steps.target, verb)
        body = item_body(steps.target.spec.raw, schema, steps.seed, 1, required_only=verb == "update")
        avoid = {steps.target.collection.id_property}
        found = change(steps.target.spec.raw, schema, current, avoid, steps.seed)
        if found is None:
            continue
        name, value = found
        body[name] = value
        answer = steps.send(verb, item_id, body)
        if not answer.ok:
            raise Finding(f"the {method} of {name} answered {answer.status}, not a success")
        _, after = steps.read(item_id)
        if not isinstance(after, Mapping) or after.get(name) != value:
            shown = after.get(name) if isinstance(after, Mapping) else None
            raise Finding(f"after the {method}, {name} reads {shown!r}, not {value!r} as sent")
        if verb == "update":
            lost, _ = differences(steps, {k: v for k, v in sent.items() if k not in body}, after)
            if lost:
                raise Finding(f"the PATCH changed fields it did not send (it replaced instead of merging): "
                              f"{'; '.join(lost)}")
        unknown = str(new_id(steps.target.collection.id_schema, UNKNOWN))
        stray = steps.send(verb, unknown, body)
        if stray.ok:
            steps.created.setdefault(unknown, True)  # created by PUT: cleaned up
        if not documents_status(operation, stray.status):
            raise Finding(f"the {method} of an unknown id answered {stray.status}, not documented")
        current, changed_any = after, True
    if not changed_any:
        raise Skip("no property an update can change visibly (free text, enum, boolean, integer)")


def delete_is_final(steps: Steps) -> None:
    steps.need("create", "remove")
    item_id, _, _ = fresh(steps)
    operation = steps.target.routes["remove"].operation
    answer = steps.delete(item_id)
    if not answer.ok:
        raise Finding(f"the DELETE answered {answer.status}, not a success")
    if "read" in steps.target.routes:
        read, _ = steps.read(item_id)
        if read.status not in (404, 410):
            raise Finding(f"after a successful DELETE the item still reads: its GET answered {read.status}")
    if "list" in steps.target.routes and item_id in _listed(steps):
        raise Finding("after a successful DELETE the item is still listed")
    again = steps.send("remove", item_id)
    if again.status >= 500 or not documents_status(operation, again.status):
        raise Finding(f"a second DELETE answered {again.status}, which the DELETE does not document")


def _listed(steps: Steps) -> list[str]:
    try:
        return walk(steps).ids
    except Skip:
        return []  # a list whose items cannot be told: the read above decides


def ids_are_stable(steps: Steps) -> None:
    steps.need("create", "read")
    name = steps.target.collection.id_property
    if name not in object_shape(steps.target.spec.raw, schema_at(
            steps.target.spec, steps.target.collection.item_schema))[0]:
        raise Skip(f"the item schema has no id property ({steps.target.collection.id_reason})")
    item_id, _, item = fresh(steps)
    seen = [(item_id, item)]
    if "list" in steps.target.routes:
        try:
            listed = ids_of(steps, list_page(steps, {})[0])[:3]
        except (Finding, Skip):
            listed = []
        for other in listed:
            answer, found = steps.read(other)
            if answer.ok:
                seen.append((other, found))
    for wanted, found in seen:
        got = found.get(name) if isinstance(found, Mapping) else None
        if str(got) != wanted:
            path = steps.target.item_path(wanted)
            raise Finding(f"the item read at {path} has {name} {got!r}, not {wanted!r}")
