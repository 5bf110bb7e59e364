"""What the mock sent, or refused to send: the journal of callbacks and webhooks, and the receivers
registered for the webhooks.

A ``Delivery`` is recorded when it is decided (before the answer that caused it is sent) and
updated as its attempts end: ``pending``, then ``delivered`` (the receiver answered 2xx),
``failed`` (no 2xx after every attempt), ``refused`` (a URL that is not http(s), a host not
allowed, no URL), ``invalid`` (a body that breaks its schema: not sent) or ``dropped`` (too many
in flight). The journal is a ring of ``size`` deliveries, held by this process.
"""

from __future__ import annotations

import ipaddress
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Delivery:
    kind: str  # callback or webhook
    name: str  # the callback's or webhook's name
    trigger: str  # the operation (createOrder) or the change (created in /pets) that caused it
    method: str
    url: str
    body: Any = None
    outcome: str = "pending"
    reason: str | None = None  # why it was refused, dropped, invalid or failed
    attempts: list[dict[str, Any]] = field(default_factory=list)  # status or error, seconds, per try
    violations: list[str] = field(default_factory=list)  # the last answer's, against the documents
    seconds: float = field(default_factory=time.time)

    def as_dict(self) -> dict[str, Any]:
        found = {"kind": self.kind, "name": self.name, "trigger": self.trigger, "method": self.method,
                 "url": self.url, "body": self.body, "outcome": self.outcome,
                 "status": next((attempt.get("status") for attempt in reversed(self.attempts)), None),
                 "attempts": list(self.attempts), "violations": list(self.violations),
                 "time": datetime.fromtimestamp(self.seconds, UTC).isoformat(timespec="milliseconds")}
        if self.reason is not None:
            found["reason"] = self.reason
        return found


class DeliveryLog:
    """The newest ``size`` deliveries, oldest first."""

    def __init__(self, size: int) -> None:
        self._deliveries: deque[Delivery] = deque(maxlen=size)

    def add(self, delivery: Delivery) -> Delivery:
        self._deliveries.append(delivery)
        return delivery

    def listed(self) -> list[dict[str, Any]]:
        return [delivery.as_dict() for delivery in self._deliveries]

    def clear(self) -> None:
        self._deliveries.clear()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refusal(url: str, hosts: Iterable[str]) -> str | None:
    """Why the mock will not send to ``url`` (None: it may). ``hosts`` are the names or addresses
    allowed, as written in URLs (no name is resolved: a name that resolves to an allowed address
    is not allowed by it), ``loopback`` or ``*``."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 -- a port that is not a number raises here
    except ValueError:
        return f"{url!r} is not a URL"
    if parts.scheme not in ("http", "https"):
        return f"{url!r} is not an http:// or https:// URL"
    if not host:
        return f"{url!r} names no host"
    allowed = set(hosts)
    if "*" in allowed or host in allowed or ("loopback" in allowed and _is_loopback(host)):
        return None
    return (f"host {host!r} is not one callbacks and webhooks may be sent to (--callback-hosts: "
            f"{','.join(sorted(allowed))})")


class Receivers:
    """The URL each webhook is sent to (``--webhook-url NAME=URL``, or the admin API)."""

    def __init__(self, known: Iterable[str], given: Mapping[str, str] | None = None) -> None:
        self.known = frozenset(known)
        self.urls: dict[str, str] = dict(given or {})

    def get(self, name: str) -> str | None:
        return self.urls.get(name)

    def set(self, name: str, url: str) -> bool:
        """Register ``url`` for ``name``; whether it replaced one."""
        replaced = name in self.urls
        self.urls[name] = url
        return replaced

    def remove(self, name: str) -> bool:
        return self.urls.pop(name, None) is not None
