"""Callbacks and webhooks, fired by state: what the mock sends, decided where state changes.

After a 2xx answer to an operation the engine serves that documents ``callbacks``, each callback
is sent to the URL its runtime expression resolves to in that exchange (``after_answer``); when a
request makes the engine create, update or delete an item, the webhooks whose routes name that
collection and event (``engine.webhook_routes``) are sent to their registered receivers
(``changed``). ``Prefer: callbacks=none`` on a request suppresses both for it. Each is decided and
journaled before the answer is sent, and sent once it has been. Bodies are chosen and checked by
``engine.outgoing_bodies``; sending is ``dispatch``'s. Operations a profile serves fire none
(their state is the profile's).

Callback URLs come from requests by design: that is the feature, and why only the hosts of
``--callback-hosts`` (loopback by default) are ever contacted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.types import Scope

from mockserver.config import Config
from mockserver.core.deliveries import Delivery, DeliveryLog, Receivers, refusal
from mockserver.core.runtime_expressions import Exchange, Unresolved, resolve
from mockserver.core.spec import Spec
from mockserver.engine import Engine
from mockserver.engine import outgoing as documented
from mockserver.engine.inference import Collection
from mockserver.engine.items import Item
from mockserver.engine.messages import Answer, Request
from mockserver.engine.outgoing_bodies import NO_BODY, Built, callback_body, webhook_body
from mockserver.engine.webhook_routes import WebhookRoute, infer, read_mapping
from mockserver.errors import ConfigError
from mockserver.server.connexion_adapter.engine import ANSWER_SENT, absolute
from mockserver.server.outgoing.dispatch import Dispatcher

SUPPRESSED = "none"  # Prefer: callbacks=none


class OutgoingRequests:
    """The callbacks and webhooks of one mock, its delivery journal and its webhooks' receivers."""

    def __init__(self, config: Config, spec: Spec, engine: Engine) -> None:
        self.engine = engine
        self.callbacks = documented.callbacks(spec)
        webhooks = documented.webhooks(spec)
        given = read_mapping(config.webhooks_file, webhooks, engine.collections)
        self.routes: list[WebhookRoute] = infer(spec, webhooks, engine.collections, given)
        for name, url in config.webhook_urls:
            if name not in webhooks:
                raise ConfigError(f"--webhook-url {name}=...: the documents have no webhook {name!r} "
                                  f"(they have: {', '.join(sorted(webhooks)) or 'none'})")
            reason = refusal(url, config.callback_hosts)
            if reason is not None:
                raise ConfigError(f"--webhook-url {name}=...: {reason}")
        self.receivers = Receivers(webhooks, dict(config.webhook_urls))
        self.log = DeliveryLog(config.journal_size)
        self.hosts = config.callback_hosts
        self.dispatcher = Dispatcher(spec, engine.fitter, self.log, config.callback_hosts,
                                     config.callback_timeout, config.callback_retries,
                                     config.callback_max_in_flight)
        if self.routes:
            engine.verbs.observers.append(self.changed)

    def fires(self, key: str) -> bool:
        """Whether an answer to operation ``key`` may send anything (callbacks, or webhooks of its
        collection)."""
        route = self.engine.routes.get(key)
        return key in self.callbacks or (route is not None and route.collection is not None and any(
            webhook.collection == route.collection.path for webhook in self.routes))

    def after_answer(self, key: str, scope: Scope, request: Request, answer: Answer,
                     sent: asyncio.Event) -> None:
        """Send the callbacks of operation ``key`` once its answer is ``sent`` (never waited for)."""
        if not 200 <= answer.status < 300 or request.preferences.get("callbacks") == SUPPRESSED:
            return
        exchange = _exchange(scope, request, answer)
        route = self.engine.routes.get(key)
        item_schema = route.collection.item_schema if route is not None and route.collection else None
        for outgoing in self.callbacks.get(key, ()):
            try:
                url = resolve(outgoing.url, exchange)
            except Unresolved as exc:
                self.log.add(Delivery("callback", outgoing.name, key, outgoing.method, outgoing.url,
                                      outcome="refused", reason=f"the URL cannot be resolved: {exc}"))
                continue
            built = callback_body(self.engine.fitter, outgoing, answer.stored, item_schema)
            self._send(Delivery("callback", outgoing.name, key, outgoing.method, url), built, outgoing, sent)

    def changed(self, collection: Collection, event: str, item: Item, request: Request) -> None:
        """Send the webhooks that ``event`` on ``item`` of ``collection`` fires."""
        if request.preferences.get("callbacks") == SUPPRESSED:
            return
        for route in self.routes:
            url = self.receivers.get(route.outgoing.name)
            if route.collection != collection.path or event not in route.events or url is None:
                continue
            built = webhook_body(self.engine.fitter, route, item)
            self._send(Delivery("webhook", route.outgoing.name, f"{event} in {collection.path}",
                                route.outgoing.method, url), built, route.outgoing, ANSWER_SENT.get())

    def banner_lines(self, url: str) -> list[str]:
        """What the mock sends and where, for the banner (nothing when the documents send nothing)."""
        count = sum(len(found) for found in self.callbacks.values())
        if not count and not self.routes:
            return []
        received = sum(1 for route in self.routes if self.receivers.get(route.outgoing.name) is not None)
        return [f"  outgoing  {count} callbacks, {len(self.routes)} webhooks fired by state ({received} with "
                f"a receiver); hosts: {','.join(self.hosts)}; {url}/__mockserver/deliveries"]

    def _send(self, delivery: Delivery, built: Built, outgoing: documented.Outgoing,
              sent: asyncio.Event | None) -> None:
        delivery.body = None if built.body is NO_BODY else built.body
        if built.problem is not None:
            delivery.outcome, delivery.reason = "invalid", f"not sent: {built.problem}"
            self.log.add(delivery)
            return
        self.dispatcher.send(delivery, outgoing, sent)


def _lowered(pairs: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in pairs.items()}


def _exchange(scope: Scope, request: Request, answer: Answer) -> Exchange:
    query = scope.get("query_string", b"").decode("latin-1")
    url = absolute(scope, scope.get("path", "") + (f"?{query}" if query else ""))
    headers: dict[str, str] = {}
    for name, value in scope.get("headers") or ():
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return Exchange(url=url, method=str(scope.get("method", "")), status=answer.status,
                    path_params=request.path_params, query=request.query,
                    headers=headers, body=request.body, response_headers=_lowered(answer.headers),
                    response_body=answer.body)
