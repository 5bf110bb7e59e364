"""The steps the lifecycle checks are made of, on one collection's items: create an item, read
it, delete it (its list, page by page, is ``pages``). A step that goes wrong on the server's side
raises ``Finding``; one the document gives no way to take raises ``Skip``. Every item created is
remembered, for the cleanup."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from mockserver.contract.lifecycle.data import files, item_body
from mockserver.contract.lifecycle.http import Client, Exchange
from mockserver.contract.lifecycle.outcome import Finding, Skip
from mockserver.contract.lifecycle.targets import Target, request_schema
from mockserver.engine import reading
from mockserver.engine.error_fields import MESSAGE_FIELDS
from mockserver.engine.reading import normal_name

STATE_REFUSALS = (404, 409)  # a create refused for what the server holds (or lacks), not for its body's shape


def _said(answer: Exchange) -> str:
    """What an answer says, in a few words: its JSON body's message, else the body."""
    body = answer.body
    if isinstance(body, Mapping):
        for key, value in body.items():
            if normal_name(str(key)) in MESSAGE_FIELDS:  # the fields the engine writes a reason in
                return str(value)[:120]
    return "no JSON body" if body is None else str(body)[:120]


@dataclass
class Steps:
    client: Client
    target: Target
    seed: int
    max_items: int
    max_examples: int = 1
    created: dict[str, bool] = field(default_factory=dict)  # item id -> still there
    numbered: int = 0

    def need(self, *verbs: str) -> None:
        names = {"create": "no create operation", "read": "no item path to read",
                 "list": "no list operation", "remove": "no delete operation",
                 "update": "no PATCH (or POST update) of the item", "replace": "no PUT of the item"}
        for verb in verbs:
            if verb not in self.target.routes:
                raise Skip(names[verb])
        missing = self.target.missing_scope()
        if missing:
            raise Skip(f"no value for the scope parameter {', '.join(missing)} (give it with a pin)")

    def send(self, verb: str, item_id: str | None = None, body: Any = None,
             query: Mapping[str, str] | None = None) -> Exchange:
        required, headers = self.target.required(verb)
        media = self.target.media_type(verb) if body is not None else None
        key = self.target.routes[verb].body_key
        if body is not None and key is not None:
            body = {key: body}
        method = self.target.routes[verb].operation.method
        schema = request_schema(self.target, verb)[0] if media else {}
        binary = frozenset(files(self.target.spec.raw, schema))
        return self.client.send(method, self.target.url(verb, item_id), query={**required, **(query or {})},
                                headers=headers, body=body, media_type=media, files=binary)

    def answered_item(self, verb: str, exchange: Exchange) -> Any:
        key = self.target.routes[verb].answer_key
        body = exchange.body
        return body.get(key) if key is not None and isinstance(body, Mapping) else body

    def create(self) -> tuple[str, dict[str, Any], Exchange]:
        """A new item: its id (from the answer, else its ``Location``), the body sent, the answer."""
        self.numbered += 1
        schema, _ = request_schema(self.target, "create")
        body = {**item_body(self.target.spec.raw, schema, self.seed, self.numbered), **self.target.fields}
        answer = self.send("create", body=body)
        self.skip_if_refused_for_state("create", answer, "the body built from its schema names something "
                                       "this server does not have", "give the fields it needs with "
                                       "--resources (fields)")
        if not answer.ok:
            raise Finding(f"the create answered {answer.status}, not a success, to a body built from its "
                          "request schema")
        item = self.answered_item("create", answer)
        item_id = item.get(self.target.collection.id_property) if isinstance(item, Mapping) else None
        location = answer.headers.get("location")
        if item_id is None and location:
            item_id = unquote(urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1])
        if item_id is None:
            name = self.target.collection.id_property
            raise Finding(f"the create answer names no id (no {name!r}, no Location)")
        self.created[str(item_id)] = True
        return str(item_id), body, answer

    def skip_if_refused_for_state(self, verb: str, answer: Exchange, meaning: str, remedy: str) -> None:
        """A 404 or 409 the operation documents is about what the server holds, which no schema can
        tell a check: the check is skipped, saying what the server said and what would let it run."""
        if answer.status in STATE_REFUSALS and reading.documents_status(self.target.routes[verb].operation,
                                                                        answer.status):
            raise Skip(f"the {verb} answered {answer.status}, which it documents: {meaning} "
                       f"({_said(answer)}); {remedy}")

    def location_path(self, answer: Exchange, base_url: str) -> str | None:
        location = answer.headers.get("location")
        return urlsplit(urljoin(base_url, location)).path if location else None

    def read(self, item_id: str) -> tuple[Exchange, Any]:
        answer = self.send("read", item_id)
        return answer, self.answered_item("read", answer)

    def delete(self, item_id: str) -> Exchange:
        answer = self.send("remove", item_id)
        if answer.ok:
            self.created[item_id] = False
        return answer


def fresh(steps: Steps) -> tuple[str, dict[str, Any], Any]:
    """A new item read back (its id, the body sent, the item read), for a check other than
    ``create_then_read``: where that step fails, the check is skipped (the failure is that check's)."""
    try:
        item_id, body, _ = steps.create()
    except Finding as finding:
        raise Skip(f"no item could be created ({finding}): see create_then_read") from None
    if "read" not in steps.target.routes:
        return item_id, body, None
    answer, item = steps.read(item_id)
    if not answer.ok:
        raise Skip(f"the item created cannot be read back (GET {answer.status}): see create_then_read")
    return item_id, body, item
