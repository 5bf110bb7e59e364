"""The mock's settings: one dataclass, its defaults, and overrides from the environment.

Defaults are set here and nowhere else. ``Config.from_env`` applies ``MOCKSERVER_*`` variables
(``config_env``); the CLI then applies its flags with ``Config.replace`` (flags win over the
environment). Each value is checked when a ``Config`` is made (``config_checks``). The
bundled spec and fixtures are found beside the package in a source checkout, or inside it when
installed from a wheel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.config_checks import check
from mockserver.config_env import settings_from

PACKAGE_DIR = Path(__file__).resolve().parent
# What the mock serves by default: the seed (PATCH), agno 2.3.16's other session operations and the
# rest of its AgentOS (agents, teams, workflows, memories, knowledge, evals, metrics, health, ...).
SPEC_FILES = (Path("openapi", "agentos-sessions.yaml"), Path("openapi", "agentos-sessions-2.3.16.yaml"),
              Path("openapi", "agentos-2.3.16.yaml"))


def bundled(relative: Path) -> Path:
    """A bundled file: from the source tree if there is one, else from the installed package."""
    for root in (PACKAGE_DIR.parent, PACKAGE_DIR / "_bundled"):
        if (root / relative).exists():
            return root / relative
    return PACKAGE_DIR.parent / relative


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 7777  # AgentOS's own port, so a frontend needs no change
    specs: tuple[Path, ...] = field(default_factory=lambda: tuple(bundled(path) for path in SPEC_FILES))
    fixtures: Path | None = None  # None: the bundled fixtures when serving the bundled documents
    security_key: str | None = None
    # Whether a request needs the credentials its operation's security names (any value without a
    # security key). None: as the served API's own server does. AgentOS without a key accepts any or
    # none (the bundled sessions API); any other API needs them, as Prism does.
    require_credentials: bool | None = None
    log_level: str = "info"
    # A document with OpenAPI problems (a name twice in `required`) is served, each problem a warning
    # naming its JSON pointer, as Prism does; strict refuses it.
    strict_spec: bool = False
    require_db_id: bool = False
    cors: bool = True
    cors_origins: tuple[str, ...] | None = None  # None: any origin
    admin: bool = True
    profile: str = "auto"  # the profile (mockserver.profile): auto (detected), none, or a name
    # Web pages whose requests the admin API answers (an Origin header not listed here is a 403).
    admin_origins: tuple[str, ...] = ()
    journal_size: int = 1000
    latency: tuple[int, int] | None = None  # milliseconds, uniform in [low, high]
    stream_delay: int = 0  # milliseconds before each streamed chunk of a run (a script's delay_ms wins)
    dynamic_timeout: float = 2.0  # seconds a Prefer: dynamic=true draw may take; then the static answer
    watch: bool = False
    max_body_bytes: int = 1024 * 1024
    max_depth: int = 64  # JSON nesting of a request body
    read_timeout: float = 10.0  # seconds a client may take between parts of a request body
    store: str = "memory"  # or redis://host:port/db, rediss://...: state shared by workers and restarts
    store_prefix: str | None = None  # None: derived from the served documents (stores.default_prefix)
    reset_on_start: bool = False  # a shared store: load the fixtures even if the prefix holds state
    workers: int = 1  # processes on one port; more than one needs a shared store
    # The memory store's bounds (core.bounds; Redis is bounded by its own maxmemory): past them a
    # write is a 507. Items of one collection (sessions of one database), and bytes of JSON in all.
    max_items: int = 10_000
    max_store_bytes: int = 256 * 1024 * 1024
    faults: float = 0.0  # the fraction of requests given a network fault (server.middleware.faults)
    seed: int | None = None  # makes a random draw reproducible: --faults, a contract run
    # Seconds a contract run may take, all its runs together (contract.budget); 0: no bound. Sized
    # so that a default run over a document of 150 to 300 operations ends within 5 minutes.
    max_time: int = 240
    # mockserver proxy (server.proxy): the real server, and what to do with what it answers.
    upstream: str | None = None  # its base URL
    upstream_timeout: float = 30.0  # seconds to wait for it to connect or answer (then 502 or 504)
    strict: bool = False  # a request that breaks the spec is answered (422 ...) and not forwarded
    junit_xml: Path | None = None  # a JUnit XML report: the proxy's at shutdown, a contract run's
    fail_on_violation: bool = False  # exit status 1 if any violation was seen
    violations_header: bool = False  # Mockserver-Violations: N on each answer (buffers its body)
    record: Path | None = None  # fixture files written from the 2xx answers seen
    # The mock answers for the upstream (None: never): where it does not implement a documented
    # operation (unimplemented), or also where it cannot be reached or is silent (unreachable).
    fallback: str | None = None
    fallback_only: tuple[str, ...] = ()  # operations (keys) that may fall back; empty: all
    never_fallback: tuple[str, ...] = ()  # operations (keys) that never do
    # Callbacks and webhooks (server.outgoing): where they may go, how hard to try, how many at once.
    webhook_urls: tuple[tuple[str, str], ...] = ()  # webhook name -> receiver URL
    webhooks_file: Path | None = None  # which collection and events fire each webhook (engine.webhook_routes)
    # Hosts a callback or webhook may be sent to: names or addresses as written in the URL,
    # "loopback" (localhost and loopback addresses) or "*" (any: callback URLs come from requests).
    callback_hosts: tuple[str, ...] = ("loopback",)
    callback_timeout: float = 5.0  # seconds per attempt (connect and answer)
    callback_retries: int = 2  # attempts after the first, on a 5xx or no answer, with backoff
    callback_max_in_flight: int = 32  # deliveries under way at once; past it one is dropped, journaled

    def __post_init__(self) -> None:
        check(self)

    @property
    def fixtures_dir(self) -> Path | None:
        """The fixtures to load: those given, else the bundled ones when only bundled documents are
        served (they describe the bundled API), else none."""
        if self.fixtures is not None:
            return self.fixtures
        bundled_specs = {bundled(path).resolve() for path in SPEC_FILES}
        served = {path.resolve() for path in self.specs}
        return bundled(Path("fixtures")) if served <= bundled_specs else None

    @property
    def bundled_fixtures(self) -> bool:
        """Whether the fixtures are the bundled ones: they describe the whole bundled API, and a
        mock serving part of it takes the collections it serves and leaves the others."""
        return self.fixtures_dir == bundled(Path("fixtures"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        """Defaults overridden by any ``MOCKSERVER_*`` variables set in ``environ``."""
        return cls(**settings_from(environ))

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied; None values and empty lists mean "not given" and are
        skipped, and lists become tuples."""
        given: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()
                                 if v is not None and v != []}
        return dataclasses.replace(self, **given)
