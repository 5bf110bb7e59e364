"""A collection's list read page by page, for the lifecycle checks (``lists``, and ``items`` for
what a list shows): the list's page parameters by kind, one page's items and envelope, the ids of
the items, and what an envelope declares (a total, the next page), as ``engine.paging`` reads page
parameters and envelopes. A list the server refuses raises ``Finding`` (or ``Skip`` for a
documented 404 or 409); one whose answer holds no array of items the document names, ``Skip``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.contract.lifecycle.http import Exchange
from mockserver.contract.lifecycle.outcome import Finding, Skip
from mockserver.contract.lifecycle.steps import Steps
from mockserver.engine import paging, reading
from mockserver.engine.reading import normal_name


def page_parameters(steps: Steps) -> dict[str, Mapping[str, Any]]:
    """The list's page parameters by kind (size, offset, page, token)."""
    kinds = {"size": paging.SIZE, "offset": paging.OFFSET, "page": paging.PAGE, "token": paging.TOKEN}
    found: dict[str, Mapping[str, Any]] = {}
    for parameter in reading.parameters(steps.target.spec, steps.target.routes["list"].operation):
        if parameter.get("in") == "query":
            normal = normal_name(parameter["name"])
            kind = next((k for k, names in kinds.items() if normal in names), None)
            if kind is not None:
                found.setdefault(kind, parameter)
    return found


def ids_of(steps: Steps, items: list[Any]) -> list[str]:
    name = steps.target.collection.id_property
    return [str(item[name]) for item in items if isinstance(item, Mapping) and name in item]


def list_page(steps: Steps, query: Mapping[str, str]) -> tuple[list[Any], Any, Exchange]:
    """One page: its items, the envelope (None for a bare array), the exchange."""
    answer = steps.send("list", query=query)
    steps.skip_if_refused_for_state("list", answer, "the collection is not there on this server",
                                    "set it up on the server")
    if not answer.ok:
        raise Finding(f"the list answered {answer.status}, not a success")
    body = answer.body
    if isinstance(body, list):
        return body, None, answer
    operation = steps.target.routes["list"].operation
    schema = reading.schema_at(steps.target.spec, reading.response_schema_pointer(
        steps.target.spec, operation, reading.success_status(operation)))
    key = paging.items_property(steps.target.spec.raw, schema)
    if not isinstance(body, Mapping) or key is None or not isinstance(body.get(key), list):
        raise Skip("the list answer holds no array of items the document names")
    return body[key], body, answer


def declared(envelope: Any, names: set[str], depth: int = 0) -> Any:
    """The value of the envelope field named like one of ``names``, at its top or one object below."""
    if not isinstance(envelope, Mapping):
        return None
    for name, value in envelope.items():
        if normal_name(name) in names and not isinstance(value, bool):
            return value
    if depth == 0:
        for value in envelope.values():
            found = declared(value, names, 1) if isinstance(value, Mapping) else None
            if found is not None:
                return found
    return None
