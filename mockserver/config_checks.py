"""The checks a ``Config`` passes when it is made: each value in range, and the settings that only
go together (several workers and a shared store, --fallback-only and --fallback)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockserver.config_values import FALLBACK_MODES, LOG_LEVELS, MAX_DELAY_MS, ORIGIN
from mockserver.errors import ConfigError

if TYPE_CHECKING:
    from mockserver.config import Config


def check(config: Config) -> None:
    """Raise a ``ConfigError`` naming the first setting out of range or at odds with another."""
    if not 0 <= config.port <= 65535:
        raise ConfigError(f"port must be between 0 and 65535, got {config.port}")
    if config.log_level not in LOG_LEVELS:
        raise ConfigError(f"log level must be one of {', '.join(LOG_LEVELS)}, got {config.log_level!r}")
    if config.security_key == "":
        raise ConfigError("the security key must not be empty")
    if config.max_body_bytes < 1 or config.max_depth < 1:
        raise ConfigError("the body size and nesting limits must be at least 1")
    if not config.specs:
        raise ConfigError("at least one OpenAPI document is needed (--spec FILE)")
    if config.store != "memory" and not config.store.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"the store must be memory or a redis:// URL, got {config.store!r}")
    if config.store_prefix == "":
        raise ConfigError("the store prefix must not be empty")
    if not 0 <= config.stream_delay <= MAX_DELAY_MS:
        raise ConfigError(f"the stream delay must be 0 to {MAX_DELAY_MS} milliseconds, "
                          f"got {config.stream_delay}")
    if not 1 <= config.workers <= 64:
        raise ConfigError(f"workers must be between 1 and 64, got {config.workers}")
    if config.max_items < 1 or config.max_store_bytes < 1:
        raise ConfigError("the memory store's bounds (--max-items, --max-store-bytes) must be at least 1")
    if config.workers > 1 and config.store == "memory":
        raise ConfigError(f"{config.workers} workers would each hold their own state in memory: "
                          "share it with --store redis://HOST:PORT/DB, or run one worker")
    if not 0 <= config.faults <= 1:
        raise ConfigError(f"faults is a fraction of requests, from 0 to 1, got {config.faults}")
    if config.upstream is not None and not config.upstream.startswith(("http://", "https://")):
        raise ConfigError(f"the upstream must be an http:// or https:// URL, got {config.upstream!r}")
    for origin in config.admin_origins:
        if not ORIGIN.fullmatch(origin):
            raise ConfigError(f"an admin origin is a scheme, host and optional port, like "
                              f"http://localhost:3000; got {origin!r}")
    if not 0 < config.dynamic_timeout <= 3600:
        raise ConfigError(f"the dynamic timeout must be more than 0 and at most 3600 seconds, "
                          f"got {config.dynamic_timeout}")
    if config.fallback is not None and config.fallback not in FALLBACK_MODES:
        raise ConfigError(f"the fallback is one of {', '.join(FALLBACK_MODES)}, got {config.fallback!r}")
    if (config.fallback_only or config.never_fallback) and config.fallback is None:
        raise ConfigError("--fallback-only and --never-fallback choose among the operations the mock "
                          "answers for the upstream: add --fallback")
    if both := sorted(set(config.fallback_only) & set(config.never_fallback)):
        raise ConfigError(f"--fallback-only and --never-fallback both name {', '.join(both)}")
    if not 0 <= config.callback_retries <= 10 or not 1 <= config.callback_max_in_flight <= 10_000:
        raise ConfigError("callback retries must be 0 to 10 and deliveries in flight 1 to 10000")
    if not 0 < config.callback_timeout <= 3600:
        raise ConfigError(f"the callback timeout must be more than 0 and at most 3600 seconds, "
                          f"got {config.callback_timeout}")
    if config.journal_size < 1:
        raise ConfigError(f"the request journal must hold at least 1 request, got {config.journal_size}")
