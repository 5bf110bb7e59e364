"""Control over answers: ``Prefer`` (RFC 7240, Prism-compatible) and latency.

``Prefer: delay=250`` and ``--latency 150`` or ``100-400`` delay responses, capped at 30 s; a delay
that is not ASCII digits is a 400 (``str.isdigit`` also takes "²", which ``int`` refuses), and any
number of digits is read without ``int`` meeting them all. ``Prefer: code=404`` is ``forced``'s.
Several preferences go in one header, comma-separated. The header is read once per request, by
the ``Admission``, which also waits out the delay (``Latency``).
"""

from __future__ import annotations

import asyncio
import random

from starlette.types import Scope

from mockserver.config_values import MAX_DELAY_MS
from mockserver.errors import BadRequest

PREFERENCES = "mockserver.preferences"  # the scope["extensions"] key of a request's preferences
SHOWN = 40  # characters of a preference's value quoted back in an error


def preferences(scope: Scope) -> dict[str, str]:
    """The ``Prefer`` header(s) of a request as name -> value (parameters after ';' ignored), read
    once and kept in the request's extensions."""
    extensions = scope.get("extensions")
    if extensions is None:
        return read_preferences(scope)
    found: dict[str, str] | None = extensions.get(PREFERENCES)
    if found is None:
        found = extensions[PREFERENCES] = read_preferences(scope)
    return found


def read_preferences(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        if name.lower() != b"prefer":
            continue
        for preference in value.decode("latin-1").split(","):
            token = preference.split(";", 1)[0].strip()
            key, _, raw = token.partition("=")
            if key.strip():
                found[key.strip().lower()] = raw.strip().strip('"')
    return found


def shown(value: str) -> str:
    return value if len(value) <= SHOWN else value[:SHOWN] + "..."


async def sleep(seconds: float) -> None:
    """Where the delay happens (tests replace it, so they never wait)."""
    await asyncio.sleep(seconds)


def _milliseconds(text: str | None) -> int | None:
    """``Prefer: delay=``'s milliseconds, capped; a 400 unless ASCII digits (any number of them)."""
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):
        raise BadRequest(f"Prefer: delay={shown(text)} is not a whole number of milliseconds, e.g. delay=250")
    significant = text.lstrip("0") or "0"
    return MAX_DELAY_MS if len(significant) > len(str(MAX_DELAY_MS)) else min(int(significant), MAX_DELAY_MS)


class Latency:
    """Delays each response: ``Prefer: delay=MS`` if given, else a uniform pick from ``latency``."""

    def __init__(self, latency: tuple[int, int] | None = None) -> None:
        self.latency = latency

    async def wait(self, scope: Scope) -> None:
        delay = _milliseconds(preferences(scope).get("delay"))
        if delay is None and self.latency is not None:
            delay = random.randint(*self.latency)
        if delay:
            await sleep(delay / 1000)
