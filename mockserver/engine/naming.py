"""Which item property holds a collection's id, guessed from the item path's parameter and the
item schema, with the reason (``validate`` prints it); and a request body's field names written as
the item's (Twilio's form field ``FriendlyName`` is the item's ``friendly_name``).

The parameter names the property (``Sid``: ``sid``), or names it after the resource
(``project_gid`` under ``/projects``: ``gid``), or ends in it (``QueueSid``: ``sid``); else the
item schema's own ``id``, ``gid``, ``sid`` or ``uuid``; else the one property constrained as the
parameter is (a tag's ``name`` at ``/v2/tags/{tag_id}``); else the parameter's name is used as is.

An id property that is a natural key (a text not named like an assigned id: DigitalOcean's domain
``name``, a ``slug``) takes the value a create sends (``natural_key``); other ids are assigned.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from mockserver.core.pointers import follow_refs
from mockserver.core.type_keyword import type_names
from mockserver.engine.reading import normal_name, object_shape

ID_NAMES = ("id", "gid", "sid", "uuid")
CONSTRAINTS = ("type", "pattern", "format", "enum", "minLength", "maxLength")  # what a value may be
DISTINCTIVE = {"pattern", "format", "enum"}  # ... of which these tell one text property from another


def last_word(name: str) -> str:
    """The last word of a name in snake, kebab or camel case (``QueueSid``, ``queue_sid``: ``sid``)."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)
    return words[-1].lower() if words else name.lower()


def id_guess(parameter: str, collection_path: str, properties: Mapping[str, Any],
             parameter_schema: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The item property the path parameter ``parameter`` names, and why; where no name fits, the
    one property whose schema the parameter's repeats (``alike``); else the parameter's own name."""
    by_normal = {normal_name(name): name for name in properties}
    last = collection_path.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
    resource = normal_name(last)
    singular = resource[:-1] if resource.endswith("s") else resource
    wanted = normal_name(parameter)
    guesses = (
        (wanted, f"the path parameter {{{parameter}}} names it"),
        (wanted.removeprefix(singular), f"the path parameter {{{parameter}}} names it after {last}"),
        (wanted.removeprefix(resource), f"the path parameter {{{parameter}}} names it after {last}"),
        (last_word(parameter), f"the path parameter {{{parameter}}} ends in it"),
        *((name, "the item schema's own id property") for name in ID_NAMES),
    )
    for candidate, reason in guesses:
        if candidate in by_normal:
            return by_normal[candidate], reason
    same = alike(parameter_schema or {}, properties)
    if same is not None:
        return same, f"the path parameter {{{parameter}}} is constrained as it is"
    return parameter, f"no item property fits the path parameter {{{parameter}}}: its name is used"


def alike(parameter_schema: Mapping[str, Any], properties: Mapping[str, Any]) -> str | None:
    """The one item property whose schema constrains its value as the path parameter's does, where
    that says something of its own (a pattern, a format, an enum): DigitalOcean reads a tag at
    ``/v2/tags/{tag_id}`` by its ``name``, and both are ``^[a-zA-Z0-9_\\-\\:]+$``, 255 at most."""
    wanted = {key: parameter_schema[key] for key in CONSTRAINTS if key in parameter_schema}
    if not DISTINCTIVE & wanted.keys():
        return None
    found = [name for name, schema in properties.items() if isinstance(schema, Mapping)
             and {key: schema[key] for key in CONSTRAINTS if key in schema} == wanted]
    return found[0] if len(found) == 1 else None


def natural_key(id_property: str, id_schema: Mapping[str, Any], body: Mapping[str, Any]) -> str | None:
    """The id a create body chooses for its item, where ``id_property`` is a natural key: text
    (no number, no uuid), not read-only, not named like an assigned id (``id``, ``memory_id``,
    ``sid``); a value one path segment can hold. None: the server assigns the id."""
    value = body.get(id_property)
    types = type_names(id_schema)
    if (last_word(id_property) in ID_NAMES or id_schema.get("readOnly") or id_schema.get("format") == "uuid"
            or (types and "string" not in types)):
        return None
    if not isinstance(value, str) or value in ("", ".", "..") or "/" in value:
        return None
    return value


def as_item_names(body: Mapping[str, Any], properties: Mapping[str, Any],
                  required: Collection[str] = ()) -> dict[str, Any]:
    """``body`` with each field the item schema does not name, but names loosely
    (``FriendlyName``: ``friendly_name``), renamed to the item's property. A field the schema
    requires by its very name is the item's own, even where no property describes it (Xero's
    ``Folder`` requires ``name`` beside its property ``Name``): renamed, it would be lost."""
    by_normal = {normal_name(name): name for name in properties}
    renamed: dict[str, Any] = {}
    for name, value in body.items():
        own = name if name in properties or name in required else by_normal.get(normal_name(name), name)
        if own not in renamed or own == name:
            renamed[own] = value
    return renamed


def writable_names(document: Mapping[str, Any], body: Mapping[str, Any],
                   item: Mapping[str, Any]) -> frozenset[str] | None:
    """The ``item`` properties a request ``body`` schema can say: those it (or one of its
    ``anyOf``/``oneOf`` kinds) declares and does not mark read-only, named as the item's. None where
    it declares none: a free-form body can say anything. What a body cannot say, a replacing
    request cannot have meant to remove (DigitalOcean's SSH key ``PUT`` sends only its ``name``)."""
    names: set[str] = set()
    for part in (body, *(body.get("anyOf") or ()), *(body.get("oneOf") or ())):
        properties, _ = object_shape(document, part)
        for name, declared in properties.items():
            found = follow_refs(document, declared)
            if not (isinstance(found, Mapping) and found.get("readOnly")):
                names.add(name)
    if not names:
        return None
    item_properties, required = object_shape(document, item)
    return frozenset(as_item_names(dict.fromkeys(names), item_properties, required))
