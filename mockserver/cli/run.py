"""``mockserver run``'s flags: serving, state, limits, faults, callbacks and webhooks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mockserver.cli.options import (
    ADMIN_ORIGINS_HELP,
    PROFILE_HELP,
    STRICT_SPEC_HELP,
    parsed,
    parsed_like_env,
    setting,
    shown,
)
from mockserver.config import Config
from mockserver.config_values import LOG_LEVELS, webhook_url


def add_run(commands: Any, defaults: Config) -> None:
    run = commands.add_parser(
        "run", help="start the mock server",
        description="Start the mock server. Every flag can also be set with the environment "
        "variable shown; a flag wins over the variable.",
    )
    setting(run, "host", "interface to listen on", defaults.host, metavar="HOST")
    setting(run, "port", "port to listen on; 0 picks a free one", defaults.port, type=int, metavar="PORT")
    setting(run, "specs", "OpenAPI 3.0 or 3.1 document to serve; repeat to serve several as one API "
            "(env: comma-separated)", shown(defaults.specs), flag="--spec", action="append", type=Path,
            metavar="FILE")
    setting(run, "fixtures", "directory of YAML/JSON fixtures: sessions, and items of any collection "
            "('collection: /pets', 'items: [...]')", "the bundled ones with the bundled documents",
            type=Path, metavar="DIR")
    setting(run, "security_key", "require 'Authorization: Bearer KEY' on every request; without a "
            "key any or no token is accepted, like AgentOS without one (a key starting with '-': "
            "--security-key=KEY)", None, metavar="KEY")
    setting(run, "require_credentials", "answer 401 to a request without the credentials its operation's "
            "security names (a bearer token, basic credentials or an API key; any value unless "
            "--security-key is set); off for the bundled AgentOS API, like AgentOS without a key",
            "on for other APIs", type=parsed_like_env("require_credentials"), metavar="on|off")
    setting(run, "log_level", "server log verbosity", defaults.log_level, choices=LOG_LEVELS)
    setting(run, "strict_spec", STRICT_SPEC_HELP, "off: each problem a warning", action="store_true")
    setting(run, "require_db_id", "answer 400 when db_id is missing and there are several "
            "databases, as the real AgentOS does (the spec makes db_id optional)", "off",
            action="store_true")
    setting(run, "cors_origins", "allow cross-origin requests only from these origins, comma-separated",
            "any origin", type=parsed_like_env("cors_origins"), metavar="A,B")
    setting(run, "cors", "turn CORS off: no Access-Control-* headers, preflights are 405", "on",
            flag="--no-cors", action="store_false")
    setting(run, "admin", "turn off the admin API under /__mockserver/", "on", flag="--no-admin",
            action="store_false")
    setting(run, "profile", PROFILE_HELP, "auto", metavar="auto|none|NAME")
    setting(run, "admin_origins", ADMIN_ORIGINS_HELP, "none", type=parsed_like_env("admin_origins"),
            metavar="A,B")
    setting(run, "latency", "delay every response by MS milliseconds, or uniformly within LOW-HIGH",
            "none", type=parsed_like_env("latency"), metavar="MS|LOW-HIGH")
    setting(run, "stream_delay", "pause MS milliseconds before each streamed chunk of a run (a run "
            "script's delay_ms wins)", defaults.stream_delay, type=parsed_like_env("stream_delay"),
            metavar="MS")
    setting(run, "dynamic_timeout", "seconds a 'Prefer: dynamic=true' answer may take to draw its random "
            "value; past it the static answer is sent, marked 'Mockserver-Dynamic: fallback'",
            defaults.dynamic_timeout, type=parsed_like_env("dynamic_timeout"), metavar="S")
    setting(run, "faults", "give this fraction of requests a network fault (reset, empty, malformed "
            "or dribble; one request asks with 'Prefer: fault=NAME')", "0: none",
            type=parsed_like_env("faults"), metavar="RATE")
    setting(run, "seed", "seed of the --faults draw: the same seed, the same faults in the same order",
            "random", type=parsed_like_env("seed"), metavar="N")
    setting(run, "max_body_bytes", "refuse larger request bodies with a 413", defaults.max_body_bytes,
            type=parsed_like_env("max_body_bytes"), metavar="N")
    setting(run, "max_depth", "refuse request bodies nested deeper with a 422", defaults.max_depth,
            type=parsed_like_env("max_depth"), metavar="N")
    setting(run, "read_timeout", "seconds a client may take between parts of a request body (then 408)",
            defaults.read_timeout, type=parsed_like_env("read_timeout"), metavar="S")
    setting(run, "watch", "reload the fixtures when a file in their directory changes; a bad file is "
            "reported and the previous state kept", "off", action="store_true")
    setting(run, "store", "where state lives: memory (this process) or redis://HOST:PORT/DB "
            "(rediss:// for TLS), shared by workers and replicas and kept across restarts",
            defaults.store, metavar="URL")
    setting(run, "store_prefix", "namespace of this mock's keys in Redis (they are '{PREFIX}:...'), so "
            "several mocks share one; a reset touches this prefix only, and two different prefixes "
            "never share a key", "derived from the served documents", metavar="PREFIX")
    setting(run, "reset_on_start", "load the fixtures at start even when the store already holds state "
            "under the prefix (by default they are loaded only into an empty prefix)", "off",
            action="store_true")
    setting(run, "workers", "processes serving one port; more than one needs --store redis://...",
            defaults.workers, type=parsed_like_env("workers"), metavar="N")
    setting(run, "max_items", "the memory store holds at most N items per collection (sessions per "
            "database); a create past it is a 507 until something is deleted or reset (on Redis, "
            "Redis's maxmemory bounds the store)", defaults.max_items, type=parsed_like_env("max_items"),
            metavar="N")
    setting(run, "max_store_bytes", "the memory store holds at most N bytes (of JSON) in all, sessions "
            "and items together; a write past it is a 507 until something is deleted or reset",
            defaults.max_store_bytes, type=parsed_like_env("max_store_bytes"), metavar="N")
    _add_outgoing(run, defaults)


def _add_outgoing(run: argparse.ArgumentParser, defaults: Config) -> None:
    """The flags of callbacks and webhooks (``server.outgoing``)."""
    setting(run, "webhook_urls", "send the documents' webhook NAME to URL when the engine creates, "
            "updates or deletes an item of the collection it is about; repeatable (env: "
            "comma-separated NAME=URL pairs); also PUT /__mockserver/webhooks/NAME", "none",
            flag="--webhook-url", action="append", type=parsed(webhook_url), metavar="NAME=URL")
    setting(run, "webhooks_file", "a file mapping webhooks to the collection and events that fire them "
            "('webhooks: {NAME: {collection: /pets, events: [created]}}'), where the inferred mapping "
            "('mockserver validate' shows it) is not the one wanted", "inferred", type=Path,
            flag="--webhooks", metavar="FILE")
    setting(run, "callback_hosts", "the only hosts callbacks and webhooks are sent to, comma-separated, "
            "as written in their URLs (names are not resolved); 'loopback' is localhost and loopback "
            "addresses, '*' any host. Callback URLs come from requests: widen with care",
            ",".join(defaults.callback_hosts), type=parsed_like_env("callback_hosts"), metavar="A,B")
    setting(run, "callback_timeout", "seconds an attempt to send a callback or webhook may take",
            defaults.callback_timeout, type=parsed_like_env("callback_timeout"), metavar="S")
    setting(run, "callback_retries", "attempts after the first when a receiver answers 5xx or not at "
            "all, waiting 0.2 s, 0.4 s, ... between", defaults.callback_retries,
            type=parsed_like_env("callback_retries"), metavar="N")
    setting(run, "callback_max_in_flight", "callbacks and webhooks under way at once; past it one is "
            "dropped (and journaled)", defaults.callback_max_in_flight,
            type=parsed_like_env("callback_max_in_flight"), metavar="N")
