"""Where each setting is read from the environment: its ``MOCKSERVER_*`` variable, and the parser
of what is written there (``config_values``); the CLI's flags parse their values alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mockserver import config_values as values
from mockserver.errors import ConfigError

# Setting name -> environment variable and parser.
VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "host": ("MOCKSERVER_HOST", str),
    "port": ("MOCKSERVER_PORT", values.whole_number),
    "specs": ("MOCKSERVER_SPEC", values.paths),
    "fixtures": ("MOCKSERVER_FIXTURES", Path),
    "security_key": ("MOCKSERVER_SECURITY_KEY", str),
    "require_credentials": ("MOCKSERVER_REQUIRE_CREDENTIALS", values.flag),
    "log_level": ("MOCKSERVER_LOG_LEVEL", str.lower),
    "strict_spec": ("MOCKSERVER_STRICT_SPEC", values.flag),
    "require_db_id": ("MOCKSERVER_REQUIRE_DB_ID", values.flag),
    "cors": ("MOCKSERVER_CORS", values.flag),
    "cors_origins": ("MOCKSERVER_CORS_ORIGINS", values.origins),
    "admin": ("MOCKSERVER_ADMIN", values.flag),
    "profile": ("MOCKSERVER_PROFILE", str),
    "admin_origins": ("MOCKSERVER_ADMIN_ORIGINS", values.origins),
    "journal_size": ("MOCKSERVER_JOURNAL_SIZE", values.whole_number),
    "latency": ("MOCKSERVER_LATENCY", values.latency),
    "stream_delay": ("MOCKSERVER_STREAM_DELAY", values.whole_number),
    "dynamic_timeout": ("MOCKSERVER_DYNAMIC_TIMEOUT", values.seconds),
    "watch": ("MOCKSERVER_WATCH", values.flag),
    "max_body_bytes": ("MOCKSERVER_MAX_BODY_BYTES", values.whole_number),
    "max_depth": ("MOCKSERVER_MAX_DEPTH", values.whole_number),
    "read_timeout": ("MOCKSERVER_READ_TIMEOUT", values.seconds),
    "store": ("MOCKSERVER_STORE", str),
    "store_prefix": ("MOCKSERVER_STORE_PREFIX", str),
    "reset_on_start": ("MOCKSERVER_RESET_ON_START", values.flag),
    "workers": ("MOCKSERVER_WORKERS", values.whole_number),
    "max_items": ("MOCKSERVER_MAX_ITEMS", values.whole_number),
    "max_store_bytes": ("MOCKSERVER_MAX_STORE_BYTES", values.whole_number),
    "faults": ("MOCKSERVER_FAULTS", values.fraction),
    "seed": ("MOCKSERVER_SEED", values.whole_number),
    "max_time": ("MOCKSERVER_MAX_TIME", values.whole_number),
    "upstream": ("MOCKSERVER_UPSTREAM", str),
    "upstream_timeout": ("MOCKSERVER_UPSTREAM_TIMEOUT", values.seconds),
    "strict": ("MOCKSERVER_STRICT", values.flag),
    "junit_xml": ("MOCKSERVER_JUNIT_XML", Path),
    "fail_on_violation": ("MOCKSERVER_FAIL_ON_VIOLATION", values.flag),
    "violations_header": ("MOCKSERVER_VIOLATIONS_HEADER", values.flag),
    "record": ("MOCKSERVER_RECORD", Path),
    "fallback": ("MOCKSERVER_FALLBACK", values.fallback_mode),
    "fallback_only": ("MOCKSERVER_FALLBACK_ONLY", values.names),
    "never_fallback": ("MOCKSERVER_NEVER_FALLBACK", values.names),
    "webhook_urls": ("MOCKSERVER_WEBHOOK_URLS", values.webhook_urls),
    "webhooks_file": ("MOCKSERVER_WEBHOOKS", Path),
    "callback_hosts": ("MOCKSERVER_CALLBACK_HOSTS", values.hosts),
    "callback_timeout": ("MOCKSERVER_CALLBACK_TIMEOUT", values.seconds),
    "callback_retries": ("MOCKSERVER_CALLBACK_RETRIES", values.whole_number),
    "callback_max_in_flight": ("MOCKSERVER_CALLBACK_MAX_IN_FLIGHT", values.whole_number),
}


def settings_from(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings ``MOCKSERVER_*`` variables in ``environ`` give, parsed."""
    settings: dict[str, Any] = {}
    for name, (variable, parse) in VARIABLES.items():
        if variable in environ:
            try:
                settings[name] = parse(environ[variable])
            except ValueError as exc:
                raise ConfigError(f"{variable}: {exc}") from None
    return settings
