"""Settings as written in ``MOCKSERVER_*`` variables and flags, read into values: numbers, seconds,
fractions, switches, paths, origins, names, latencies, webhook receivers and hosts; a ``ValueError``
says what was expected."""

from __future__ import annotations

import re
from pathlib import Path

ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#\s]+/?", re.IGNORECASE)  # Origin: scheme://host[:port]


MAX_DELAY_MS = 30_000  # the cap on --latency and on Prefer: delay=


LOG_LEVELS = ("critical", "error", "warning", "info", "debug")

# proxy --fallback: when the mock answers for the upstream (server.proxy.fallback).
FALLBACK_MODES = ("unimplemented", "unreachable")


def whole_number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None


def fraction(value: str) -> float:
    try:
        fraction = float(value)
    except ValueError:
        raise ValueError(f"expected a fraction, got {value!r}") from None
    if not 0 <= fraction <= 1:
        raise ValueError(f"expected a fraction from 0 to 1, got {value!r}")
    return fraction


def seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"expected seconds, got {value!r}") from None
    if not 0 < seconds <= 3600:
        raise ValueError(f"expected more than 0 and at most 3600 seconds, got {value!r}")
    return seconds


def flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def paths(value: str) -> tuple[Path, ...]:
    paths = tuple(Path(part.strip()) for part in value.split(",") if part.strip())
    if not paths:
        raise ValueError("expected one or more comma-separated paths, e.g. a.yaml,b.yaml")
    return paths


def origins(value: str) -> tuple[str, ...]:
    origins = tuple(origin.strip() for origin in value.split(",") if origin.strip())
    if not origins:
        raise ValueError("expected a comma-separated list of origins, e.g. http://localhost:3000")
    return origins


def names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


def fallback_mode(value: str) -> str | None:
    """A fallback mode; off (or empty) for none."""
    mode = value.strip().lower()
    return None if mode in ("", "off") else mode


def latency(value: str) -> tuple[int, int]:
    """``150`` or ``100-400`` (milliseconds) as a (low, high) range."""
    low, _, high = value.strip().partition("-")
    try:
        bounds = (int(low), int(high or low))
    except ValueError:
        raise ValueError(f"expected milliseconds like 150 or 100-400, got {value!r}") from None
    if not 0 <= bounds[0] <= bounds[1] <= MAX_DELAY_MS:
        raise ValueError(f"expected 0 <= low <= high <= {MAX_DELAY_MS} milliseconds, got {value!r}")
    return bounds


def webhook_url(value: str) -> tuple[str, str]:
    """``NAME=URL``: a webhook's receiver."""
    name, _, url = value.strip().partition("=")
    if not name.strip() or not url.strip().startswith(("http://", "https://")):
        raise ValueError(f"expected NAME=URL with an http:// or https:// URL, got {value!r}")
    return name.strip(), url.strip()


def webhook_urls(value: str) -> tuple[tuple[str, str], ...]:
    return tuple(webhook_url(part) for part in value.split(",") if part.strip())


def hosts(value: str) -> tuple[str, ...]:
    hosts = tuple(host.strip().lower() for host in value.split(",") if host.strip())
    if not hosts:
        raise ValueError("expected comma-separated host names or addresses, loopback, or *")
    return hosts
