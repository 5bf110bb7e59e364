"""The engine's collection verbs: list, create, read, replace (what the body can say), update
(JSON Merge Patch), remove.

Each answers with the documented success status; a body only where that answer documents
content. Stored items always fit the item schema (``fitting``) and are answered without their
write-only properties (``shown``); an unknown id is a ``NotFound``,
rendered in the shape the operation documents. Where the document wraps items in an envelope
(``{"data": ...}``), an answer's item is put in it; a request's item is read by ``bodies``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from mockserver.core.spec import Spec
from mockserver.engine import paging, reading
from mockserver.engine.answers import documented_body
from mockserver.engine.bodies import merge_patch, path_parameter, sent_item, typed
from mockserver.engine.envelopes import resource_of, unwrapped
from mockserver.engine.fitting import Fitter
from mockserver.engine.ids import new_id
from mockserver.engine.inference import Collection, Route
from mockserver.engine.instances import instance
from mockserver.engine.items import Item, ItemStore, Place
from mockserver.engine.messages import Answer, Request
from mockserver.engine.naming import natural_key
from mockserver.engine.shown import Shown
from mockserver.errors import Conflict, NotFound


class Collections:
    def __init__(self, spec: Spec, store: ItemStore, fitter: Fitter) -> None:
        self.spec = spec
        self.store = store
        self.fitter = fitter
        # Told of each item a request created, updated or deleted (webhooks are fired so).
        self.observers: list[Callable[[Collection, str, Item, Request], None]] = []
        self.shown = Shown(spec)

    def _changed(self, collection: Collection, event: str, item: Item, request: Request) -> None:
        for observer in self.observers:
            observer(collection, event, item, request)

    @staticmethod
    def place(collection: Collection, request: Request) -> Place:
        scope = tuple(path_parameter(request, name) for name in collection.scope_parameters)
        return collection.path, scope

    def _answer(self, route: Route, item: Any, headers: dict[str, str] | None = None,
                stored: Item | None = None) -> Answer:
        status = reading.success_status(route.operation)
        body = documented_body(self.spec, route.operation, status) if status else None
        if body is None or body.media_type is None:
            return Answer(body.status if body else 204, None, None, headers or {}, stored)
        if route.answer_key is not None and route.verb != "list":
            item = {route.answer_key: item}
        return Answer(body.status, item, body.media_type, headers or {}, stored)

    def _removed(self, route: Route, collection: Collection, item: Item) -> Answer:
        """The answer to a removal: the item where the answer is the item's schema, else a body
        built from the answer's schema ({"data": {}})."""
        status = reading.success_status(route.operation)
        answer = reading.response_schema_pointer(self.spec, route.operation, status)
        inner, _ = unwrapped(self.spec, answer, resource_of(route.operation.path))
        if answer is None or reading.schema_at(self.spec, inner) is reading.schema_at(
                self.spec, collection.item_schema):
            return self._answer(route, self.shown(collection.item_schema, item), stored=item)
        built = instance(self.spec.raw, reading.schema_at(self.spec, answer))
        if not self.fitter.fits(answer, built):
            return self._answer(route, self.shown(collection.item_schema, item), stored=item)
        return self._answer(Route(route.operation, route.verb, collection), built, stored=item)

    def _answers_with_body(self, route: Route) -> bool:
        status = reading.success_status(route.operation)
        return status is not None and (
            documented_body(self.spec, route.operation, status).media_type is not None)

    def _not_found(self, collection: Collection, request: Request) -> NotFound:
        item_id = str(typed(collection.id_schema, path_parameter(request, collection.id_parameter)))
        return NotFound(f"No item with {collection.id_property} {item_id!r} in {collection.path}")

    async def answer(self, route: Route, request: Request) -> Answer:
        collection = route.collection
        assert collection is not None
        place = self.place(collection, request)
        if route.verb == "list":
            return await self.list(route, collection, place, request)
        if route.verb == "create":
            return await self.create(route, collection, place, request)
        item_id = str(typed(collection.id_schema, path_parameter(request, collection.id_parameter)))
        # Where the operation documents no 404, an unknown id is created by PUT and PATCH and its
        # DELETE succeeds (idempotent), as HTTP allows: an undocumented status would break the contract.
        lenient = not reading.documents_status(route.operation, 404)
        if route.verb == "read":
            item = await self.store.get(place, item_id)
        elif route.verb == "remove":
            item = await self.store.delete(place, item_id)
            if item is None and lenient and not self._answers_with_body(route):
                return self._answer(route, None)
            if item is not None:
                self._changed(collection, "deleted", item, request)
                return self._removed(route, collection, item)
        else:
            change = self._change(route, collection, request, item_id)
            item = await self.store.update(place, item_id, change, create=lenient)
            if item is not None:
                self._changed(collection, "updated", item, request)
        if item is None:
            raise self._not_found(collection, request)
        return self._answer(route, self.shown(collection.item_schema, item), stored=item)

    def _change(self, route: Route, collection: Collection, request: Request, item_id: str) -> Any:
        body = sent_item(self.spec, route, collection, request)
        typed_id = typed(collection.id_schema, item_id)
        said = route.writable

        def change(item: Item) -> Item:
            if route.verb == "update":
                changed = merge_patch(item, body)
            else:  # a replacement of what the body can say; the rest is kept
                changed = {**{k: v for k, v in item.items() if said is not None and k not in said}, **body}
            changed[collection.id_property] = item.get(collection.id_property, typed_id)
            return self.fitter.fit(collection.item_schema, changed, keep=collection.id_property)

        return change

    async def create(self, route: Route, collection: Collection, place: Place, request: Request) -> Answer:
        body = sent_item(self.spec, route, collection, request)

        def make(number: int) -> tuple[str, Item]:
            item_id = new_id(collection.id_schema, number)
            item = self.fitter.fit(collection.item_schema, {**body, collection.id_property: item_id},
                                   keep=collection.id_property)
            return str(item_id), item

        chosen = natural_key(collection.id_property, collection.id_schema, body)

        def make_chosen(current: Item) -> Item:
            if current:
                raise Conflict(f"An item with {collection.id_property} {chosen!r} is in {collection.path}")
            return self.fitter.fit(collection.item_schema, body, keep=collection.id_property)

        # A chosen id is stored only where no item has it, checked and written in one step
        stored = await (self.store.create(place, make) if chosen is None
                        else self.store.update(place, chosen, make_chosen, create=True))
        item: Item = stored or {}  # update(create=True) always stores
        self._changed(collection, "created", item, request)
        location = self.spec.base_path + collection.item_path
        for name, value in zip(collection.scope_parameters, place[1], strict=True):
            location = location.replace(f"{{{name}}}", quote(value, safe=""))
        location = location.replace(f"{{{collection.id_parameter}}}", quote(str(item[collection.id_property]),
                                                                            safe=""))
        return self._answer(route, self.shown(collection.item_schema, item), {"Location": location},
                            stored=item)

    async def list(self, route: Route, collection: Collection, place: Place, request: Request) -> Answer:
        parameters = reading.parameters(self.spec, route.operation)
        items = [item for item in await self.store.list(place) if _matches(item, request, parameters)]
        page_request = paging.page_request(request.query, parameters)
        end = None if page_request.size is None else page_request.offset + page_request.size
        page = [self.shown(collection.item_schema, item) for item in items[page_request.offset:end]]
        status = reading.success_status(route.operation)
        schema_pointer = reading.response_schema_pointer(self.spec, route.operation, status)
        schema = reading.schema_at(self.spec, schema_pointer)
        key = None if schema.get("type") == "array" else paging.items_property(self.spec.raw, schema)
        if key is None:
            return self._answer(route, page)
        body = paging.envelope(self.spec.raw, schema, key, page, page_request, len(items))
        return self._answer(route, body)


def _matches(item: Item, request: Request, parameters: list[Mapping[str, Any]]) -> bool:
    """Whether ``item`` passes the request's query parameters named like one of its properties."""
    for parameter in parameters:
        name = parameter.get("name", "")
        if parameter.get("in") == "query" and name in request.query and name in item:
            value = item[name]
            if not isinstance(value, (dict, list)) and str(value).lower() != request.query[name].lower():
                return False
    return True
