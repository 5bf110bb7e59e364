"""The ``mockserver`` command: parse flags, build a ``Config``, hand off. No logic here.

Flags default to "not given" so that only what the user typed overrides the environment; the
defaults shown in ``--help`` are read from ``Config`` itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mockserver.config import FALLBACK_MODES, LOG_LEVELS, Config, webhook_url
from mockserver.contract import LIFECYCLE_CHECKS, LIFECYCLE_MAX_ITEMS
from mockserver.errors import StartupError

CONFIG_FIELDS = {f.name for f in dataclasses.fields(Config)}

DESCRIPTION = """\
A spec-first mock and contract-test server. `mockserver run` serves any OpenAPI 3.0 or 3.1
document unchanged and statefully (by default the whole Agno AgentOS API, its sessions by
dedicated handlers); every request is validated, over real state: what a request changes, later
ones see. `mockserver validate` checks a document, `mockserver contract` tests a running server,
`mockserver proxy` checks the traffic between a client and a real server.

`mockserver COMMAND --help` explains a command."""


PROFILE_HELP = ("the dedicated behaviour to add to the generic mock: agentos (the AgentOS sessions API, "
                "its handlers, fixtures and admin endpoints), none (every operation served by the "
                "generic engine), or auto: a profile is used when the documents define its operations "
                "(method, path and schemas); the banner says which and why")
ADMIN_ORIGINS_HELP = ("web pages (origins, comma-separated) whose requests the admin API under "
                      "/__mockserver/ answers; a request with any other Origin header is a 403, so no "
                      "other site can read the journal or reset the state (tools send no Origin)")


def _parsed_like_env(name: str) -> Callable[[str], Any]:
    """The environment variable's parser for a setting, with argparse's error type."""
    return _parsed(Config.ENV[name][1])


def _parsed(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse`` with argparse's error type."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


STRICT_SPEC_HELP = ("refuse a document with OpenAPI problems (a name twice in 'required', 'required: "
                    "true' in a schema); without it they are warnings naming their JSON pointer, as "
                    "Prism serves them")


def _setting(parser: argparse.ArgumentParser, name: str, help: str, shown: Any, flag: str | None = None,
             **kwargs: Any) -> None:
    flag = flag or "--" + name.replace("_", "-")
    variable = Config.ENV[name][0]
    default = f"default: {shown}; " if shown is not None else ""
    parser.add_argument(flag, dest=name, default=argparse.SUPPRESS,
                        help=f"{help} ({default}env {variable})", **kwargs)


def _shown(paths: tuple[Path, ...]) -> str:
    return ", ".join(map(str, paths))


def _add_run(commands: Any, defaults: Config) -> None:
    run = commands.add_parser(
        "run", help="start the mock server",
        description="Start the mock server. Every flag can also be set with the environment "
        "variable shown; a flag wins over the variable.",
    )
    _setting(run, "host", "interface to listen on", defaults.host, metavar="HOST")
    _setting(run, "port", "port to listen on; 0 picks a free one", defaults.port, type=int, metavar="PORT")
    _setting(run, "specs", "OpenAPI 3.0 or 3.1 document to serve; repeat to serve several as one API "
             "(env: comma-separated)", _shown(defaults.specs), flag="--spec", action="append", type=Path,
             metavar="FILE")
    _setting(run, "fixtures", "directory of YAML/JSON fixtures: sessions, and items of any collection "
             "('collection: /pets', 'items: [...]')", "the bundled ones with the bundled documents",
             type=Path, metavar="DIR")
    _setting(run, "security_key", "require 'Authorization: Bearer KEY' on every request; without a "
             "key any or no token is accepted, like AgentOS without one (a key starting with '-': "
             "--security-key=KEY)", None, metavar="KEY")
    _setting(run, "require_credentials", "answer 401 to a request without the credentials its operation's "
             "security names (a bearer token, basic credentials or an API key; any value unless "
             "--security-key is set); off for the bundled AgentOS API, like AgentOS without a key",
             "on for other APIs", type=_parsed_like_env("require_credentials"), metavar="on|off")
    _setting(run, "log_level", "server log verbosity", defaults.log_level, choices=LOG_LEVELS)
    _setting(run, "strict_spec", STRICT_SPEC_HELP, "off: each problem a warning", action="store_true")
    _setting(run, "require_db_id", "answer 400 when db_id is missing and there are several "
             "databases, as the real AgentOS does (the spec makes db_id optional)", "off",
             action="store_true")
    _setting(run, "cors_origins", "allow cross-origin requests only from these origins, comma-separated",
             "any origin", type=_parsed_like_env("cors_origins"), metavar="A,B")
    _setting(run, "cors", "turn CORS off: no Access-Control-* headers, preflights are 405", "on",
             flag="--no-cors", action="store_false")
    _setting(run, "admin", "turn off the admin API under /__mockserver/", "on", flag="--no-admin",
             action="store_false")
    _setting(run, "profile", PROFILE_HELP, "auto", metavar="auto|none|NAME")
    _setting(run, "admin_origins", ADMIN_ORIGINS_HELP, "none", type=_parsed_like_env("admin_origins"),
             metavar="A,B")
    _setting(run, "latency", "delay every response by MS milliseconds, or uniformly within LOW-HIGH",
             "none", type=_parsed_like_env("latency"), metavar="MS|LOW-HIGH")
    _setting(run, "stream_delay", "pause MS milliseconds before each streamed chunk of a run (a run "
             "script's delay_ms wins)", defaults.stream_delay, type=_parsed_like_env("stream_delay"),
             metavar="MS")
    _setting(run, "dynamic_timeout", "seconds a 'Prefer: dynamic=true' answer may take to draw its random "
             "value; past it the static answer is sent, marked 'Mockserver-Dynamic: fallback'",
             defaults.dynamic_timeout, type=_parsed_like_env("dynamic_timeout"), metavar="S")
    _setting(run, "faults", "give this fraction of requests a network fault (reset, empty, malformed "
             "or dribble; one request asks with 'Prefer: fault=NAME')", "0: none",
             type=_parsed_like_env("faults"), metavar="RATE")
    _setting(run, "seed", "seed of the --faults draw: the same seed, the same faults in the same order",
             "random", type=_parsed_like_env("seed"), metavar="N")
    _setting(run, "max_body_bytes", "refuse larger request bodies with a 413", defaults.max_body_bytes,
             type=_parsed_like_env("max_body_bytes"), metavar="N")
    _setting(run, "max_depth", "refuse request bodies nested deeper with a 422", defaults.max_depth,
             type=_parsed_like_env("max_depth"), metavar="N")
    _setting(run, "read_timeout", "seconds a client may take between parts of a request body (then 408)",
             defaults.read_timeout, type=_parsed_like_env("read_timeout"), metavar="S")
    _setting(run, "watch", "reload the fixtures when a file in their directory changes; a bad file is "
             "reported and the previous state kept", "off", action="store_true")
    _setting(run, "store", "where state lives: memory (this process) or redis://HOST:PORT/DB "
             "(rediss:// for TLS), shared by workers and replicas and kept across restarts",
             defaults.store, metavar="URL")
    _setting(run, "store_prefix", "namespace of this mock's keys in Redis (they are '{PREFIX}:...'), so "
             "several mocks share one; a reset touches this prefix only, and two different prefixes "
             "never share a key", "derived from the served documents", metavar="PREFIX")
    _setting(run, "reset_on_start", "load the fixtures at start even when the store already holds state "
             "under the prefix (by default they are loaded only into an empty prefix)", "off",
             action="store_true")
    _setting(run, "workers", "processes serving one port; more than one needs --store redis://...",
             defaults.workers, type=_parsed_like_env("workers"), metavar="N")
    _setting(run, "max_items", "the memory store holds at most N items per collection (sessions per "
             "database); a create past it is a 507 until something is deleted or reset (on Redis, "
             "Redis's maxmemory bounds the store)", defaults.max_items, type=_parsed_like_env("max_items"),
             metavar="N")
    _setting(run, "max_store_bytes", "the memory store holds at most N bytes (of JSON) in all, sessions "
             "and items together; a write past it is a 507 until something is deleted or reset",
             defaults.max_store_bytes, type=_parsed_like_env("max_store_bytes"), metavar="N")
    _add_outgoing(run, defaults)


def _add_outgoing(run: argparse.ArgumentParser, defaults: Config) -> None:
    """The flags of callbacks and webhooks (``server.outgoing``)."""
    _setting(run, "webhook_urls", "send the documents' webhook NAME to URL when the engine creates, "
             "updates or deletes an item of the collection it is about; repeatable (env: "
             "comma-separated NAME=URL pairs); also PUT /__mockserver/webhooks/NAME", "none",
             flag="--webhook-url", action="append", type=_parsed(webhook_url), metavar="NAME=URL")
    _setting(run, "webhooks_file", "a file mapping webhooks to the collection and events that fire them "
             "('webhooks: {NAME: {collection: /pets, events: [created]}}'), where the inferred mapping "
             "('mockserver validate' shows it) is not the one wanted", "inferred", type=Path,
             flag="--webhooks", metavar="FILE")
    _setting(run, "callback_hosts", "the only hosts callbacks and webhooks are sent to, comma-separated, "
             "as written in their URLs (names are not resolved); 'loopback' is localhost and loopback "
             "addresses, '*' any host. Callback URLs come from requests: widen with care",
             ",".join(defaults.callback_hosts), type=_parsed_like_env("callback_hosts"), metavar="A,B")
    _setting(run, "callback_timeout", "seconds an attempt to send a callback or webhook may take",
             defaults.callback_timeout, type=_parsed_like_env("callback_timeout"), metavar="S")
    _setting(run, "callback_retries", "attempts after the first when a receiver answers 5xx or not at "
             "all, waiting 0.2 s, 0.4 s, ... between", defaults.callback_retries,
             type=_parsed_like_env("callback_retries"), metavar="N")
    _setting(run, "callback_max_in_flight", "callbacks and webhooks under way at once; past it one is "
             "dropped (and journaled)", defaults.callback_max_in_flight,
             type=_parsed_like_env("callback_max_in_flight"), metavar="N")


def _add_proxy(commands: Any, defaults: Config) -> None:
    proxy = commands.add_parser(
        "proxy", help="stand between a client and the real server, checking both against the spec",
        description="Forward every request to the real server (--upstream) and its answer back "
        "unchanged, streamed, while checking both against the documents with the mock's own "
        "validation: the request (parameters, body, credentials) and the answer (status, media "
        "type, body). Each violation is one log line (operation, direction, JSON pointer, "
        "sentence), kept in the journal (GET /__mockserver/requests) and counted per operation at "
        "shutdown. Without --fallback the proxy never answers for the server: an unreachable "
        "upstream is a 502, a silent one a 504. With --fallback the stateful mock (over --fixtures) "
        "answers a documented operation the upstream does not implement (a 501, or a 404 or 405 "
        "whose body is not the operation's documented shape for that status), and with --fallback "
        "unreachable also when the upstream cannot be reached or is silent; each answer then says "
        "who gave it in 'Mockserver-Source: upstream|mock|proxy'. Exit status: 0, or 1 with "
        "--fail-on-violation after any violation.",
    )
    _setting(proxy, "upstream", "base URL of the real server", None, metavar="URL")
    _setting(proxy, "specs", "the contract; repeat for several documents", _shown(defaults.specs),
             flag="--spec", action="append", type=Path, metavar="FILE")
    _setting(proxy, "host", "interface to listen on", defaults.host, metavar="HOST")
    _setting(proxy, "port", "port to listen on; 0 picks a free one", defaults.port, type=int, metavar="PORT")
    _setting(proxy, "security_key", "a request must carry 'Authorization: Bearer KEY' (it is still "
             "forwarded as it came); without a key, credentials need only be present where the "
             "spec asks for them", None, metavar="KEY")
    _setting(proxy, "admin_origins", ADMIN_ORIGINS_HELP, "none", type=_parsed_like_env("admin_origins"),
             metavar="A,B")
    _setting(proxy, "profile", PROFILE_HELP, "auto", metavar="auto|none|NAME")
    _setting(proxy, "strict", "answer a request that breaks the spec as the mock would (422, 401, ...) "
             "and do not forward it", "off", action="store_true")
    _setting(proxy, "junit_xml", "write a JUnit XML report at shutdown, a test case per operation seen",
             None, type=Path, metavar="PATH")
    _setting(proxy, "fail_on_violation", "exit with status 1 if any violation was seen", "off",
             action="store_true")
    _setting(proxy, "violations_header", "add 'Mockserver-Violations: N' to every answer (its body is "
             "then read whole before it is passed on; streams excepted)", "off", action="store_true")
    _setting(proxy, "record", "write the sessions and collection items the 2xx answers show as fixture "
             "files into DIR, for `mockserver run --fixtures DIR`: JSON, a file per database and "
             "collection, written in the background within about half a second of a change and at "
             "shutdown", None, type=Path, metavar="DIR")
    _setting(proxy, "fallback", "let the mock answer for the upstream: unimplemented (a 501, or a "
             "404/405 whose body is not the operation's documented shape) or unreachable (that, and "
             "an upstream that cannot be reached or does not answer in time); only documented "
             "operations fall back", "off; unimplemented when given alone", nargs="?",
             const=FALLBACK_MODES[0], choices=FALLBACK_MODES, metavar="MODE")
    _setting(proxy, "fallback_only", "only these operations (operationIds, or 'METHOD /path' for one "
             "without) fall back, comma-separated", "all", type=_parsed_like_env("fallback_only"),
             metavar="OP,...")
    _setting(proxy, "never_fallback", "these operations never fall back, comma-separated", "none",
             type=_parsed_like_env("never_fallback"), metavar="OP,...")
    _setting(proxy, "fixtures", "the state the fallback mock starts from: a directory of YAML/JSON "
             "fixtures, as for `mockserver run`", "the bundled ones with the bundled documents",
             type=Path, metavar="DIR")
    _setting(proxy, "upstream_timeout", "seconds to wait for the upstream (then 502 or 504; the mock's "
             "answer with --fallback unreachable)",
             defaults.upstream_timeout, type=_parsed_like_env("upstream_timeout"), metavar="S")
    _setting(proxy, "faults", "give this fraction of requests a network fault", "0: none",
             type=_parsed_like_env("faults"), metavar="RATE")
    _setting(proxy, "seed", "seed of the --faults draw", "random", type=_parsed_like_env("seed"), metavar="N")
    _setting(proxy, "log_level", "log verbosity", defaults.log_level, choices=LOG_LEVELS)


def _add_validate(commands: Any, defaults: Config) -> None:
    check = commands.add_parser(
        "validate", help="check the spec, its examples and fixtures; say how each operation is served",
        description="Validate an OpenAPI 3.0 or 3.1 document (openapi-spec-validator, with every $ref "
        "resolved, in the files it names too), then check what no validator checks: every example "
        "conforms to the schema it illustrates, every fixture fits its schema. Prints how the mock "
        "serves each operation (info lines), one line per finding, then a summary. Exit status: 0 "
        "without errors, 1 with errors, 2 when the document cannot be read or parsed.",
    )
    check.add_argument("specs", nargs="*", type=Path, metavar="SPEC",
                       help=f"the documents to check, together (default: {_shown(defaults.specs)}; "
                       "env MOCKSERVER_SPEC)")
    _setting(check, "fixtures", "fixtures to check against the spec", defaults.fixtures,
             type=Path, metavar="DIR")
    check.add_argument("--no-fixtures", action="store_true", help="do not check fixtures")
    _setting(check, "profile", PROFILE_HELP, "auto", metavar="auto|none|NAME")
    _setting(check, "webhooks_file", "a webhook mapping file (as 'run --webhooks' takes) to check and show "
             "instead of the inferred mapping where it names a webhook", "inferred", type=Path,
             flag="--webhooks", metavar="FILE")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text: one line per finding (default); json: for machines")


def _session(text: str) -> Any:
    from mockserver.agentos.pins import PinnedSession

    try:
        return PinnedSession.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_contract(commands: Any, defaults: Config) -> None:
    contract = commands.add_parser(
        "contract", help="prove a running server keeps the contract (Schemathesis, lifecycle checks)",
        description="Run the lifecycle checks, then Schemathesis, against a server. For every "
        "collection the mock infers from the document (see mockserver validate), the lifecycle checks "
        "create, read, update, list and delete items: create_then_read (what a create answers reads "
        "back at its item path, as sent), update_is_visible (PATCH merges, PUT replaces, a read shows "
        "it), delete_is_final (a deleted item reads 404/410 and leaves the list), ids_are_stable (an "
        "item's id property is the id it is read by), created_is_listed (a new item is in the list, "
        "its total up by one), paging_is_truthful (walking the pages visits each item once, totals "
        "match). A check the document gives no way to run is skipped, saying why; what a check "
        "creates it deletes. Schemathesis then runs every check, positive and negative "
        "generation, and the spec's examples. Prints a summary per check with curl commands "
        "reproducing each failure. Exit status: 0 clean, 1 on any failure, 2 on usage errors or "
        "an unreachable server. Without --url the bundled mock is started on a free loopback port "
        "with a generated security key (also used as the token) and tested.",
    )
    contract.add_argument("--url", help="base URL of the server to test (default: start the bundled mock)")
    _setting(contract, "specs", "the contract; repeat for several documents", _shown(defaults.specs),
             flag="--spec", action="append", type=Path, metavar="FILE")
    contract.add_argument("--token", help="bearer token to send with every request")
    _setting(contract, "profile", PROFILE_HELP + "; it also picks the checks of answers beyond their schema",
             "auto", metavar="auto|none|NAME")
    contract.add_argument("--session", dest="sessions", action="append", type=_session, default=[],
                          metavar="TYPE=ID[@DB]", help="an existing session to pin, so that its 200 path is "
                          "tested; repeat for each type (default with the bundled mock: one of each)")
    contract.add_argument("--checks", type=_checks, default=None, metavar="NAME,NAME|none",
                          help="the lifecycle checks to run, comma-separated; none: only Schemathesis "
                          f"(default: all of {', '.join(LIFECYCLE_CHECKS)})")
    contract.add_argument("--max-examples", type=_positive, default=100, metavar="N",
                          help="generated cases per operation and run (default: 100)")
    contract.add_argument("--max-items", type=_positive, default=argparse.SUPPRESS, metavar="N",
                          help="a lifecycle check walks a list's pages up to N items "
                          f"(default: {LIFECYCLE_MAX_ITEMS})")
    contract.add_argument("--resources", type=Path, default=argparse.SUPPRESS, metavar="FILE",
                          help="YAML or JSON list correcting the inferred resources the lifecycle checks run "
                          "on: entries of collection (/pets), item_path (/pets/{petId}), id_property and "
                          "fields (values every create sends); see mockserver validate for what is inferred")
    _setting(contract, "seed", "random seed, to repeat a run", "random, printed",
             type=_parsed_like_env("seed"), metavar="N")
    _setting(contract, "max_time", "seconds the whole run may take, its runs together; an operation whose "
             "share is spent sends no more cases, and the summary says how many; 0: no bound",
             defaults.max_time, type=_parsed_like_env("max_time"), metavar="SECONDS")
    _setting(contract, "junit_xml", "also write a JUnit XML report", None, type=Path, metavar="PATH")


def _checks(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if names == ("none",):
        return ()
    unknown = [name for name in names if name not in LIFECYCLE_CHECKS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown check {', '.join(unknown) or repr(text)}; "
                                         f"choose from {', '.join(LIFECYCLE_CHECKS)} or none")
    return names


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _contract(config: Config, options: dict[str, Any]) -> int:
    from mockserver.contract.command import ContractOptions, contract

    return contract(config, ContractOptions(**options, seed=config.seed, junit_xml=config.junit_xml,
                                            max_time=config.max_time or None))


def _run(config: Config, options: dict[str, Any]) -> int:
    from mockserver.server import serve  # uvicorn is imported only when serving

    return serve(config)


def _proxy(config: Config, options: dict[str, Any]) -> int:
    from mockserver.server import serve_proxy

    return serve_proxy(config)


def _validate(config: Config, options: dict[str, Any]) -> int:
    from mockserver.validate.command import validate

    return validate(config, fixtures=not options["no_fixtures"], output_format=options["format"])


# Subcommand -> what it does with the resulting Config and its own options.
COMMANDS: dict[str, Callable[[Config, dict[str, Any]], int]] = {
    "run": _run, "validate": _validate, "contract": _contract, "proxy": _proxy}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockserver", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    defaults = Config()
    _add_run(commands, defaults)
    _add_validate(commands, defaults)
    _add_contract(commands, defaults)
    _add_proxy(commands, defaults)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = vars(parser.parse_args(argv))
    command = args.pop("command")
    if command is None:
        parser.print_help(sys.stderr)
        return 2
    settings = {name: args.pop(name) for name in list(args) if name in CONFIG_FIELDS}
    try:
        return COMMANDS[command](Config.from_env(os.environ).replace(**settings), args)
    except StartupError as exc:
        print(f"mockserver: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
