"""The admin API's view of what the mock sends: the journal of callbacks and webhooks, and the
receivers of the webhooks (registered with ``--webhook-url`` or here). A receiver's host must be
one ``--callback-hosts`` allows: the admin API cannot point the mock at any other host.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.deliveries import DeliveryLog, Receivers, refusal
from mockserver.errors import BadRequest, NotFound


def listed_deliveries(log: DeliveryLog | None) -> list[dict[str, Any]]:
    return log.listed() if log is not None else []


def listed_receivers(receivers: Receivers | None) -> list[dict[str, Any]]:
    if receivers is None:
        return []
    return [{"name": name, "url": receivers.get(name)} for name in sorted(receivers.known)]


def _known(receivers: Receivers | None, name: str) -> Receivers:
    if receivers is None or name not in receivers.known:
        known = ", ".join(sorted(receivers.known)) if receivers is not None else ""
        raise NotFound(f"The documents have no webhook {name!r} (they have: {known or 'none'})")
    return receivers


def registered(receivers: Receivers | None, hosts: tuple[str, ...], name: str, body: Any
               ) -> tuple[dict[str, Any], int]:
    found = _known(receivers, name)
    url = str(body.get("url", "")) if isinstance(body, dict) else ""
    reason = refusal(url, hosts)
    if reason is not None:
        raise BadRequest(f"Webhook {name!r} cannot be sent to that URL: {reason}")
    replaced = found.set(name, url)
    return {"name": name, "url": url}, 200 if replaced else 201


def unregistered(receivers: Receivers | None, name: str) -> None:
    if not _known(receivers, name).remove(name):
        raise NotFound(f"No receiver is registered for webhook {name!r}")
