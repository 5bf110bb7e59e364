"""Negative cases that reach the server as valid requests: Schemathesis changed a value's type, but
the value travels as text (a query, path, header or cookie parameter, or a field of a form body)
where the document takes any text, so what the server receives is a valid request.

``topics=false`` is both the boolean Schemathesis meant and the valid one-item list ``['false']``;
``name=5`` in a form is both the number and the valid text ``'5'``. No server can refuse one and
accept the other, so ``contract`` counts such cases apart instead of failing the run. A mutation
that removes a field or breaks a constraint other than the type is never counted apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.type_keyword import type_names

FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TYPE_KEYWORDS = frozenset({"type", "anyOf", "oneOf"})
TEXT_LIMITS = ("pattern", "format", "enum", "const", "minLength", "maxLength")
NOT_SENT = object()


def takes_any_text(schema: Any, repeated: bool = False) -> bool:
    """Whether every text fits ``schema`` (``repeated``: every repetition of texts, as a list sent
    as repeated keys); a list of texts takes one text too."""
    if not isinstance(schema, Mapping):
        return False
    branches = [*(schema.get("anyOf") or ()), *(schema.get("oneOf") or ())]
    if any(takes_any_text(branch, repeated) for branch in branches):
        return True
    types = type_names(schema)
    if "array" in types and takes_any_text(schema.get("items")):
        return True
    return not repeated and "string" in types and not any(limit in schema for limit in TEXT_LIMITS)


def _type_change(mutation: Any) -> bool:
    operator = str(getattr(mutation.operator, "value", mutation.operator))
    keywords = set(mutation.keywords or ())
    return operator == "change_type" or (operator == "negate_constraints" and bool(keywords)
                                         and keywords <= TYPE_KEYWORDS)


def _schema_and_value(case: Any, mutation: Any) -> tuple[Any, Any]:
    """The schema of the mutated value and the value sent (``NOT_SENT`` where there is none)."""
    location = str(getattr(mutation.parameter_location, "value", mutation.parameter_location))
    if location == "body":
        if not str(case.media_type or "").startswith(FORM_MEDIA_TYPES) or not mutation.path:
            return None, NOT_SENT
        body = case.operation.get_body_for_media_type(case.media_type)
        properties = ((body.resolved_schema or {}) if body is not None else {}).get("properties") or {}
        name = str(mutation.path[0])
        sent = case.body.get(name, NOT_SENT) if isinstance(case.body, Mapping) else NOT_SENT
        return properties.get(name), sent
    parameters = {"query": case.operation.query, "path": case.operation.path_parameters,
                  "header": case.operation.headers, "cookie": case.operation.cookies}.get(location, ())
    found = next((p for p in parameters if p.name == mutation.parameter), None)
    values = {"query": case.query, "path": case.path_parameters, "header": case.headers,
              "cookie": case.cookies}.get(location)
    sent = values.get(mutation.parameter, NOT_SENT) if isinstance(values, Mapping) else NOT_SENT
    return ((found.definition or {}).get("schema") if found is not None else None), sent


def _reaches_as_valid_text(case: Any, mutation: Any) -> bool:
    schema, sent = _schema_and_value(case, mutation)
    if isinstance(sent, (str, int, float, bool)) or sent is None:
        return takes_any_text(schema)  # one text
    if isinstance(sent, list) and all(isinstance(item, (str, int, float, bool)) for item in sent):
        return takes_any_text(schema, repeated=len(sent) > 1)  # repeated keys: only a list takes them
    return False  # nested values are sent in shapes a server can tell apart


def sent_as_valid_text(case: Any) -> bool:
    """Whether every mutation of a negative ``case`` changed only the type of a value sent as text
    where its document takes that text."""
    meta = getattr(case, "meta", None)
    mutations = getattr(getattr(getattr(meta, "phase", None), "data", None), "mutations", ()) or ()
    return bool(mutations) and all(_type_change(m) and _reaches_as_valid_text(case, m) for m in mutations)
