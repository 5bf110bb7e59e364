"""The body of an outgoing request (a callback's, a webhook's), and whether it keeps its schema.

A callback sends, in order: the stored item, where its schema is the callback's (or the item
fits the callback's schema); else the callback's first example that fits; else a value built from
the schema (``instances``). A webhook sends the item that changed, as its payload or in the
payload's property that holds it. Every body is checked against its schema before it is sent: one
that does not fit is not sent, its ``problem`` says why (a document whose example breaks its own
schema, a schema no value can be built for).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.schema import first_error
from mockserver.core.schema_messages import explain
from mockserver.engine.fitting import Fitter
from mockserver.engine.instances import instance
from mockserver.engine.outgoing import Outgoing
from mockserver.engine.reading import schema_at
from mockserver.engine.webhook_routes import WebhookRoute

NO_BODY = object()


@dataclass(frozen=True)
class Built:
    body: Any  # NO_BODY when the request documents none
    source: str  # the stored item, an example, built from the schema
    problem: str | None = None  # how it breaks its schema (it is then not sent)


def _checked(fitter: Fitter, outgoing: Outgoing, body: Any, source: str) -> Built:
    if outgoing.body_schema is None:
        return Built(body, source)
    error = first_error(fitter.validator(outgoing.body_schema), body)
    if error is None:
        return Built(body, source)
    return Built(body, source, explain(error, f"the {outgoing.kind}'s body ({source})"))


def _built(fitter: Fitter, outgoing: Outgoing) -> Built:
    for example in outgoing.examples:
        if fitter.fits(outgoing.body_schema, example):
            return Built(copy.deepcopy(example), "an example")
    value = instance(fitter.spec.raw, schema_at(fitter.spec, outgoing.body_schema))
    return _checked(fitter, outgoing, value, "built from the schema")


def callback_body(fitter: Fitter, outgoing: Outgoing, item: Any = None, item_schema: str | None = None
                  ) -> Built:
    """What the callback ``outgoing`` sends after an operation that stored ``item`` (None: none)."""
    if outgoing.media_type is None:
        return Built(NO_BODY, "no body documented")
    if outgoing.body_schema is None:
        return Built(item if item is not None else {}, "the stored item" if item is not None else "empty")
    if item is not None:
        same = item_schema is not None and (
            schema_at(fitter.spec, item_schema) is schema_at(fitter.spec, outgoing.body_schema))
        if same or fitter.fits(outgoing.body_schema, item):
            return _checked(fitter, outgoing, item, "the stored item")
    return _built(fitter, outgoing)


def webhook_body(fitter: Fitter, route: WebhookRoute, item: Any) -> Built:
    """What the webhook of ``route`` sends for the item that changed."""
    outgoing = route.outgoing
    if route.wrapped_in is None:
        return _checked(fitter, outgoing, item, "the item")
    base = next((copy.deepcopy(example) for example in outgoing.examples if isinstance(example, Mapping)),
                None)
    if base is None:
        base = instance(fitter.spec.raw, schema_at(fitter.spec, outgoing.body_schema))
    if not isinstance(base, dict):
        base = {}
    base[route.wrapped_in] = item
    return _checked(fitter, outgoing, base, "the item in a payload built from the schema")
