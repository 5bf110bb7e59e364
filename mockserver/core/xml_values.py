"""XML bodies read as the JSON value their schema describes, so one JSON Schema check serves both.

OpenAPI describes XML with the same schemas as JSON, plus an ``xml`` object per schema: ``name``
(the element's tag), ``attribute`` (a property written as an attribute) and ``wrapped`` (an array
inside an element of its own). Reading an element against a schema: an object's properties are
its attributes and child elements, found by those names; an array's items are the repeated
elements; a scalar is the element's text, read as the first of its schema's types it spells
(``"7"`` is 7 for an integer). What matches no property is kept as text, so that a schema without
``additionalProperties`` refuses it; what no type reads stays text, so that validation refuses it;
an element with elements of its own where a scalar is due is read as an object, refused likewise.
Namespaces and prefixes are ignored: elements are matched by their local names.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]


class XMLBodyError(ValueError):
    """An XML body that cannot be read: not well-formed, or nested deeper than allowed."""


def read_xml(raw: bytes, schema: Schema, max_depth: int) -> Any:
    """The JSON value ``raw`` (an XML document) spells for ``schema``."""
    try:
        root = ElementTree.fromstring(raw)  # expat: no external entities, bounded expansion
    except ElementTree.ParseError as exc:
        raise XMLBodyError(f"the request body is not well-formed XML: {exc}") from None
    return _element(root, schema, max_depth)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _types(schema: Schema) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, list):
        return [str(kind) for kind in declared]
    if isinstance(declared, str):
        return [declared]
    if "properties" in schema or "additionalProperties" in schema:
        return ["object"]
    return ["array"] if "items" in schema else []


def _merged(schema: Schema) -> Schema:
    """``schema`` with the properties of its ``allOf``, ``anyOf`` and ``oneOf`` branches (for
    finding elements only: validation reads the schema itself)."""
    branches = [branch for keyword in ("allOf", "anyOf", "oneOf") for branch in schema.get(keyword, ())
                if isinstance(branch, Mapping)]
    if not branches:
        return schema
    merged: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for branch in (*map(_merged, branches), schema):
        merged.update({k: v for k, v in branch.items() if k not in ("allOf", "anyOf", "oneOf")})
        properties.update(branch.get("properties") or {})
    if properties:
        merged["properties"] = properties
    return merged


def _element(element: ElementTree.Element, schema: Schema, depth: int) -> Any:
    if depth <= 0:
        raise XMLBodyError("the request body is nested too deeply")
    schema = _merged(schema)
    kinds = _types(schema)
    if "object" in kinds and (len(element) or element.attrib or not (element.text or "").strip()):
        return _object(element, schema, depth)
    if "array" in kinds and len(element):
        return [_element(child, _items(schema), depth - 1) for child in element]
    if len(element):  # elements where a scalar is due: an object, which validation refuses
        return _object(element, {}, depth)
    return _scalar(element.text or "", kinds)


def _items(schema: Schema) -> Schema:
    items = schema.get("items")
    return items if isinstance(items, Mapping) else {}


def _object(element: ElementTree.Element, schema: Schema, depth: int) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    value: dict[str, Any] = {}
    attributes = {_local(name): text for name, text in element.attrib.items()}
    children: dict[str, list[ElementTree.Element]] = {}
    for child in element:
        children.setdefault(_local(child.tag), []).append(child)
    for name, raw_property in properties.items():
        prop = _merged(raw_property) if isinstance(raw_property, Mapping) else {}
        options = prop.get("xml") or {}
        tag = options.get("name", name)
        if options.get("attribute"):
            if tag in attributes:
                value[name] = _scalar(attributes.pop(tag), _types(prop))
            continue
        if "array" in _types(prop) and not options.get("wrapped"):
            items = _items(prop)
            item_tag = (items.get("xml") or {}).get("name", tag)
            if item_tag in children:
                value[name] = [_element(child, items, depth - 1) for child in children.pop(item_tag)]
            continue
        found = children.pop(tag, [])
        if found:
            read = [_element(child, prop, depth - 1) for child in found]
            value[name] = read[0] if len(read) == 1 else read  # repeated: a list, which the schema refuses
    for name, found in children.items():
        value[name] = _element(found[0], extra if isinstance(extra, Mapping) else {}, depth - 1)
    value.update({name: text for name, text in attributes.items() if name not in value})
    return value


def _scalar(text: str, kinds: list[str]) -> Any:
    for kind in kinds:
        if kind == "null" and text == "null":
            return None
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind in ("integer", "number"):
            try:
                number = float(text)
            except ValueError:
                continue
            if math.isfinite(number):
                return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() \
                    else number
        if kind == "string":
            return text
    return text
