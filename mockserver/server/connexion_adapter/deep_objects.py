"""Query parameters of style ``deepObject`` read as OpenAPI describes them.

``filter[createdAt][from]=2024-01-01&filter[isTest]=false`` is the parameter ``filter`` with the
value ``{"createdAt": {"from": "2024-01-01"}, "isTest": false}``: each bracketed name one level
down, each leaf read as the type its schema gives it (text otherwise), a leaf given several times
(or as a comma-separated list) an array where its schema is one. Connexion's own reading answered
500 to a leaf whose schema declares no single ``type`` (``anyOf``), to a key nested below a
schema without ``properties``, and kept only one value of a repeated leaf; what is read here is
validated against the parameter's schema like any other value, so a wrong one is a 422.
"""

from __future__ import annotations

import re
from typing import Any

from connexion.uri_parsing import OpenAPIURIParser

DEEP_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])+)\Z")
MAX_DEPTH = 16  # a key nested deeper names no parameter (and costs no recursion)
INTEGER = re.compile(r"[+-]?\d{1,30}\Z")


def types_of(schema: Any) -> set[str]:
    """Every type ``schema`` allows at its top (``type``, a list of them, or ``anyOf``/``oneOf`` branches)."""
    if not isinstance(schema, dict):
        return set()
    declared = schema.get("type")
    found = set(declared) if isinstance(declared, list) else set()
    if isinstance(declared, str):
        found.add(declared)
    for branch in branches(schema):
        found |= types_of(branch)
    return found


def branches(schema: dict[str, Any]) -> list[Any]:
    return [*schema.get("anyOf", ()), *schema.get("oneOf", ()), *schema.get("allOf", ())]


def member_schema(schema: Any, name: str) -> Any:
    """The schema of member ``name`` of an object ``schema`` (its properties, else additionalProperties)."""
    if not isinstance(schema, dict):
        return {}
    for branch in [schema, *branches(schema)]:
        if isinstance(branch, dict) and name in (branch.get("properties") or {}):
            return branch["properties"][name]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else {}


def item_schema(schema: Any) -> Any:
    for branch in [schema, *branches(schema)] if isinstance(schema, dict) else ():
        if isinstance(branch, dict) and isinstance(branch.get("items"), dict):
            return branch["items"]
    return {}


def scalar(text: str, schema: Any) -> Any:
    """``text`` as the scalar ``schema`` makes it: a boolean, an integer, a number; else the text."""
    types = types_of(schema)
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if types & {"integer", "number"} and INTEGER.match(text):
        return int(text)
    if "number" in types:
        try:
            number = float(text)
        except ValueError:
            return text
        return number if number == number and abs(number) != float("inf") else text
    return text


def leaf(values: list[str], schema: Any) -> Any:
    """The value of a leaf given ``values`` (in order): an array where the schema is one."""
    if "array" in types_of(schema):
        items = item_schema(schema)
        texts = [part for value in values for part in (value.split(",") if value else [value])]
        return [scalar(text, items) for text in texts]
    return scalar(values[-1], schema)


def deep_value(leaves: list[tuple[list[str], list[str]]], schema: Any) -> Any:
    """The object ``leaves`` (each a path of names and its values) spell under ``schema``."""
    root: dict[str, Any] = {}
    for names, values in leaves:
        node, node_schema = root, schema
        for name in names[:-1]:
            node_schema = member_schema(node_schema, name)
            child = node.get(name)
            if not isinstance(child, dict):  # a leaf given at this level too: the deeper keys win
                child = node[name] = {}
            node = child
        node[names[-1]] = leaf(values, member_schema(node_schema, names[-1]))
    return root


class DeepObjectURIParser(OpenAPIURIParser):
    """Connexion's URI parser with deepObject query parameters read as the module says."""

    def resolve_query(self, query_data: dict[str, list[str]]) -> dict[str, Any]:
        deep: dict[str, list[tuple[list[str], list[str]]]] = {}
        rest: dict[str, list[str]] = {}
        for key, values in query_data.items():
            match = DEEP_KEY.match(key) if key not in self.param_defns else None
            name = match.group(1) if match else None
            if name is None or self.param_defns.get(name, {}).get("style") != "deepObject":
                rest[key] = values
                continue
            names = re.findall(r"\[([^\[\]]*)\]", match.group(2)) if match else []
            if len(names) <= MAX_DEPTH:
                deep.setdefault(name, []).append((names, values))
        resolved: dict[str, Any] = self.resolve_params(  # type: ignore[no-untyped-call]
            {key: values for key, values in rest.items() if key not in deep}, "query")
        for name, leaves in deep.items():
            resolved[name] = deep_value(leaves, self.param_schemas.get(name, {}))
        return resolved
