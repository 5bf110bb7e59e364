"""What the mock prints when it starts: where it listens, what it serves and by what (the engine's
collections, a profile and why), its bounds and store, and a warning when it is exposed beyond
loopback without a key."""

from __future__ import annotations

from mockserver.config import Config
from mockserver.server.app import Mock
from mockserver.server.middleware.target import is_loopback


def banner(mock: Mock, config: Config, url: str, store: str = "memory") -> str:
    auth = ("the security key required (--security-key)" if config.security_key else
            "credentials required where the document asks (any value)" if mock.requires_credentials else
            "open: any or no bearer token")
    cors = "off" if not config.cors else ", ".join(config.cors_origins or ["any origin"])
    title = str(mock.spec.raw.get("info", {}).get("title", "API"))
    return "\n".join([
        f"mockserver: {title} mock listening on {url}",
        f"  spec      {', '.join(map(str, config.specs))}",
        f"  profile   {_profile_line(mock)}",
        *(mock.profile.banner_lines(url) if mock.profile is not None else []),
        *_engine_lines(mock, url),
        *mock.outgoing.banner_lines(url),
        f"  auth      {auth}",
        f"  docs      {url}/docs",
        *([f"  admin     {url}/__mockserver/requests, /reset (POST)"
             + (", /sessions" if mock.profile is not None and mock.profile.admin_document else "")]
          if config.admin else []),
        f"  cors      {cors}",
        f"  store     {store}",
        _bounds_line(mock),
        *([f"  workers   {config.workers} processes on one port"] if config.workers > 1 else []),
        *exposure_warning(config),
        "  stop      Ctrl-C",
    ])


def _profile_line(mock: Mock) -> str:
    chosen = mock.chosen
    name = chosen.profile.name if chosen.profile is not None and chosen.claimed else "none"
    return f"{name} ({chosen.why}; --profile none|NAME to choose)"


def exposure_warning(config: Config) -> list[str]:
    """A warning when anyone on the network can use the admin API: bound beyond loopback, no key."""
    if not config.admin or config.security_key is not None or is_loopback(config.host):
        return []
    return [f"  WARNING   the admin API (/__mockserver/) is open to anyone who can reach {config.host}: "
            "set --security-key, or bind to 127.0.0.1"]


def _bounds_line(mock: Mock) -> str:
    bounds = mock.stores.bounds
    if bounds is None:
        return "  bounds    Redis's own (its maxmemory): a write Redis refuses for it is a 507"
    return (f"  bounds    {bounds.max_items} items per collection, {_size(bounds.max_bytes)} in all "
            f"(--max-items, --max-store-bytes; the fixtures take {_size(bounds.used)}): past them a 507")


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def _engine_lines(mock: Mock, url: str) -> list[str]:
    routes = mock.engine.routes.values()
    if not routes:
        return []
    counts = mock.engine.fixture_counts()
    collections = sorted({route.collection.path for route in routes if route.collection is not None})
    listed = ", ".join(f"{path} ({counts.get(path, 0)})" for path in collections) or "none"
    static = sum(1 for route in routes if route.collection is None)
    lines = [f"  engine    {len(routes)} operations: collections {listed}; "
             f"{static} answered from the document"]
    if collections and "{" not in collections[0]:
        lines.append(f"  try       curl '{url}{mock.spec.base_path}{collections[0]}'")
    return lines
