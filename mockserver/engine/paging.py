"""Listing a collection: the page a request asks for, and the envelope the list schema declares.

Page parameters are recognised by name (``limit``, ``per_page``, ``pageSize``, ``maxResults``...
for the size; ``offset``/``skip`` for the start; ``page``/``pageIndex`` for a page number, counted
from 0 when its schema's minimum or default is 0, else from 1; ``pageToken``/``cursor`` for an
opaque token, which is the next offset). An envelope gets the page's items in its array property
and, at its top level or one object below, its count, page, size, offset and next fields filled
truthfully; other required fields get values built from their schemas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.pointers import follow_refs
from mockserver.core.type_keyword import type_names
from mockserver.engine.instances import instance
from mockserver.engine.reading import normal_name, object_shape

SIZE = {"limit", "perpage", "pagesize", "size", "maxresults", "count", "top", "first", "pagelimit"}
OFFSET = {"offset", "skip", "start", "startindex"}
PAGE = {"page", "pageindex", "pagenumber", "pageno", "pagenum"}
TOKEN = {"pagetoken", "cursor", "after", "startingafter", "continuationtoken"}
TOTAL = {"total", "count", "totalcount", "totalitems", "totalresults", "totalelements", "totalsize",
         "totalrecords"}
NEXT = {"next", "nextpagetoken", "nextpage", "nextcursor", "nexturl", "nextlink", "hasmore", "hasnext"}
ITEM_ARRAYS = ("data", "items", "results", "values", "records", "content", "elements", "entries")


@dataclass(frozen=True)
class PageRequest:
    offset: int
    size: int | None  # None: every item
    page: int | None  # the page number as the request counts it
    token: bool  # the request pages with a token: ``next`` is the next offset as a string


def page_request(query: Mapping[str, str], parameters: list[Mapping[str, Any]]) -> PageRequest:
    """The page a list request asks for, from its declared query parameters."""
    size: int | None = None
    offset, page, page_base, token = 0, None, 1, False
    for parameter in parameters:
        if parameter.get("in") != "query":
            continue
        name, kind = parameter["name"], normal_name(parameter["name"])
        schema = parameter.get("schema") or {}
        raw = query.get(name, schema.get("default"))
        number = _whole(raw)
        if kind in SIZE and number is not None:
            size = max(number, 0)
        elif kind in OFFSET and number is not None:
            offset = max(number, 0)
        elif kind in PAGE:
            page_base = 0 if 0 in (schema.get("minimum"), schema.get("default")) else 1
            page = number if number is not None else None
        elif kind in TOKEN:
            token = True
            offset = _whole(raw) or 0
    if page is not None and size is not None:
        offset = max(page - page_base, 0) * size
    return PageRequest(offset, size, page if page is not None else page_base, token)


def _whole(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def items_property(document: Mapping[str, Any], envelope: Mapping[str, Any]) -> str | None:
    """The property of a list envelope that holds the items."""
    arrays = [name for name, schema in object_shape(document, envelope)[0].items()
              if follow_refs(document, schema).get("type") == "array"
              or "items" in follow_refs(document, schema)]
    named = [name for name in arrays if normal_name(name) in ITEM_ARRAYS]
    return next(iter(named or arrays), None)


def envelope(document: Mapping[str, Any], schema: Mapping[str, Any], key: str, page: list[Any],
             request: PageRequest, total: int) -> dict[str, Any]:
    """The list envelope of ``schema`` around ``page`` (items ``key``), its fields filled."""
    size = request.size if request.size is not None else max(total, len(page))
    more = request.offset + len(page) < total
    facts: dict[frozenset[str], Any] = {
        frozenset(TOTAL): total, frozenset(SIZE): size, frozenset(OFFSET): request.offset,
        frozenset(PAGE): request.page,
    }
    body = _filled(document, schema, facts, more, request)
    body[key] = page
    return body


def _filled(document: Mapping[str, Any], schema: Mapping[str, Any], facts: Mapping[frozenset[str], Any],
            more: bool, request: PageRequest, depth: int = 0) -> dict[str, Any]:
    properties, required = object_shape(document, schema)
    body: dict[str, Any] = {}
    for name, property_schema in properties.items():
        kind = normal_name(name)
        resolved = follow_refs(document, property_schema)
        fact = next((value for names, value in facts.items() if kind in names), None)
        if kind in NEXT:
            value = _next(resolved, more, request)
            if value is not None or name in required:
                body[name] = value
        elif fact is not None:
            body[name] = _within(resolved, fact)
        elif depth == 0 and _has_properties(document, resolved):
            body[name] = _filled(document, resolved, facts, more, request, depth + 1)
        elif name in required:
            body[name] = instance(document, resolved, required_only=True)
    return body


def _has_properties(document: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether ``schema`` is an object of properties, its own or its ``allOf`` parts' (DigitalOcean's
    ``meta`` is ``allOf: [{$ref: meta_properties.yml}, {required: [total]}]``)."""
    return schema.get("type", "object") == "object" and bool(object_shape(document, schema)[0])


def _within(schema: Mapping[str, Any], value: Any) -> Any:
    """A number kept within the field's bounds (a page larger than a list allows is that list's),
    written as the text of the number where the field is a string (Box's ``limit``)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    types = type_names(schema)
    if "string" in types and not types & {"integer", "number"}:
        return str(value)
    if isinstance(schema.get("maximum"), int | float):
        value = min(value, int(schema["maximum"]))
    if isinstance(schema.get("minimum"), int | float):
        value = max(value, int(schema["minimum"]))
    return value


def _next(schema: Mapping[str, Any], more: bool, request: PageRequest) -> Any:
    if schema.get("type") == "boolean":
        return more
    if not more:
        return None
    if request.token:
        return str(request.offset + (request.size or 0))
    if request.size:
        return f"?offset={request.offset + request.size}&limit={request.size}"
    return None
