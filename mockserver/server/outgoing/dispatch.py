"""Sending callbacks and webhooks: each on its own asyncio task, so no answer waits for one, and
sent once the answer that caused it has been (at most ``ANSWER_WAIT`` seconds after it was made).

A delivery is refused (journaled, never sent) when its URL is not http(s) or its host is not
allowed (``core.deliveries.refusal``), and dropped when ``max_in_flight`` are already under way:
a request cannot make the mock flood a host or hold connections without bound. An attempt lasts at
most ``timeout`` seconds, whatever the receiver does; a 5xx or no answer is tried again up to
``retries`` times, waiting 0.2 s, 0.4 s, ... (at most 5 s) between. Redirects are not followed
(one could lead to a host not allowed). The receiver's answer (its first ``ANSWER_LIMIT`` bytes)
is checked against the callback's documented responses; what it breaks is journaled. The journal
keeps a body's first ``BODY_LIMIT`` bytes, as the request journal does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterable
from typing import Any

import httpx

from mockserver.core.deliveries import Delivery, DeliveryLog, refusal
from mockserver.core.journal import BODY_LIMIT
from mockserver.core.schema import first_error
from mockserver.core.schema_messages import explain
from mockserver.core.spec import Spec
from mockserver.engine.fitting import Fitter
from mockserver.engine.outgoing import Outgoing, documented_answer

ANSWER_LIMIT = 64 * 1024
ANSWER_WAIT = 10.0  # seconds a delivery waits for its answer to be sent (a client may never read it)
MAX_BACKOFF = 5.0
USER_AGENT = "mockserver (callbacks and webhooks)"


class Dispatcher:
    def __init__(self, spec: Spec, fitter: Fitter, log: DeliveryLog, hosts: Iterable[str], timeout: float,
                 retries: int, max_in_flight: int) -> None:
        self.spec, self.fitter, self.log = spec, fitter, log
        self.hosts = tuple(hosts)
        self.timeout, self.retries, self.max_in_flight = timeout, retries, max_in_flight
        self.tasks: set[asyncio.Task[None]] = set()

    def send(self, delivery: Delivery, outgoing: Outgoing, after: asyncio.Event | None = None) -> None:
        """Journal ``delivery`` and send it once ``after`` is set, unless it is refused or too many
        are under way."""
        content, headers = _encoded(delivery.body, outgoing.media_type)
        if content is not None and len(content) > BODY_LIMIT:  # the journal keeps its start only
            delivery.body = content[:BODY_LIMIT].decode("utf-8", "replace")
        self.log.add(delivery)
        reason = refusal(delivery.url, self.hosts)
        if reason is not None:
            delivery.outcome, delivery.reason = "refused", reason
        elif len(self.tasks) >= self.max_in_flight:
            delivery.outcome = "dropped"
            delivery.reason = f"{self.max_in_flight} already under way (--callback-max-in-flight)"
        else:
            delivered = self._deliver(delivery, outgoing, content, headers, after)
            task = asyncio.get_running_loop().create_task(delivered)
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _deliver(self, delivery: Delivery, outgoing: Outgoing, content: bytes | None,
                       headers: dict[str, str], after: asyncio.Event | None) -> None:
        if after is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(ANSWER_WAIT):
                    await after.wait()
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False, trust_env=False) as client:
            for attempt in range(self.retries + 1):
                if attempt:
                    await asyncio.sleep(min(0.2 * 2 ** (attempt - 1), MAX_BACKOFF))
                started = time.monotonic()
                try:
                    async with asyncio.timeout(self.timeout):
                        status, answer, media = await _attempt(client, delivery, content, headers)
                except (httpx.HTTPError, TimeoutError, OSError) as exc:
                    delivery.attempts.append({"error": _error(exc), "seconds": _since(started)})
                    continue
                delivery.attempts.append({"status": status, "seconds": _since(started)})
                delivery.violations = self._violations(outgoing, status, answer, media)
                if status < 500:
                    break
        last = delivery.attempts[-1]
        delivery.outcome = "delivered" if 200 <= last.get("status", 0) < 300 else "failed"
        if delivery.outcome == "failed":
            delivery.reason = (f"answered {last['status']}" if "status" in last else last["error"]) + (
                f" after {len(delivery.attempts)} attempts" if len(delivery.attempts) > 1 else "")

    def _violations(self, outgoing: Outgoing, status: int, answer: bytes, media: str) -> list[str]:
        documented, schema = documented_answer(self.spec, outgoing, status)
        if not documented:
            return [f"status {status} is not documented by the {outgoing.kind} {outgoing.name}'s responses"]
        if schema is None or "json" not in media:
            return []
        try:
            value = json.loads(answer)
        except ValueError:
            return [f"the receiver's answer is not JSON, as the {outgoing.kind}'s {status} documents"]
        error = first_error(self.fitter.validator(schema), value)
        return [] if error is None else [explain(error, "the receiver's answer")]


async def _attempt(client: httpx.AsyncClient, delivery: Delivery, content: bytes | None,
                   headers: dict[str, str]) -> tuple[int, bytes, str]:
    async with client.stream(delivery.method, delivery.url, content=content, headers=headers) as answer:
        read = bytearray()
        async for chunk in answer.aiter_bytes():
            read += chunk
            if len(read) >= ANSWER_LIMIT:
                break
        return answer.status_code, bytes(read[:ANSWER_LIMIT]), answer.headers.get("content-type", "")


def _encoded(body: Any, media_type: str | None) -> tuple[bytes | None, dict[str, str]]:
    headers = {"User-Agent": USER_AGENT}
    if media_type is None:
        return None, headers
    headers["Content-Type"] = media_type
    if isinstance(body, str) and "json" not in media_type:
        return body.encode(), headers
    return json.dumps(body).encode(), headers


def _error(exc: BaseException) -> str:
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        return "no answer in time"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)
