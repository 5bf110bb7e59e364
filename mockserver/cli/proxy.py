"""``mockserver proxy``'s flags: the upstream, the checks, recording and the fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockserver.cli.options import (
    ADMIN_ORIGINS_HELP,
    PROFILE_HELP,
    parsed_like_env,
    setting,
    shown,
)
from mockserver.config import Config
from mockserver.config_values import FALLBACK_MODES, LOG_LEVELS


def add_proxy(commands: Any, defaults: Config) -> None:
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
    setting(proxy, "upstream", "base URL of the real server", None, metavar="URL")
    setting(proxy, "specs", "the contract; repeat for several documents", shown(defaults.specs),
            flag="--spec", action="append", type=Path, metavar="FILE")
    setting(proxy, "host", "interface to listen on", defaults.host, metavar="HOST")
    setting(proxy, "port", "port to listen on; 0 picks a free one", defaults.port, type=int, metavar="PORT")
    setting(proxy, "security_key", "a request must carry 'Authorization: Bearer KEY' (it is still "
            "forwarded as it came); without a key, credentials need only be present where the "
            "spec asks for them", None, metavar="KEY")
    setting(proxy, "admin_origins", ADMIN_ORIGINS_HELP, "none", type=parsed_like_env("admin_origins"),
            metavar="A,B")
    setting(proxy, "profile", PROFILE_HELP, "auto", metavar="auto|none|NAME")
    setting(proxy, "strict", "answer a request that breaks the spec as the mock would (422, 401, ...) "
            "and do not forward it", "off", action="store_true")
    setting(proxy, "junit_xml", "write a JUnit XML report at shutdown, a test case per operation seen",
            None, type=Path, metavar="PATH")
    setting(proxy, "fail_on_violation", "exit with status 1 if any violation was seen", "off",
            action="store_true")
    setting(proxy, "violations_header", "add 'Mockserver-Violations: N' to every answer (its body is "
            "then read whole before it is passed on; streams excepted)", "off", action="store_true")
    setting(proxy, "record", "write the sessions and collection items the 2xx answers show as fixture "
            "files into DIR, for `mockserver run --fixtures DIR`: JSON, a file per database and "
            "collection, written in the background within about half a second of a change and at "
            "shutdown", None, type=Path, metavar="DIR")
    setting(proxy, "fallback", "let the mock answer for the upstream: unimplemented (a 501, or a "
            "404/405 whose body is not the operation's documented shape) or unreachable (that, and "
            "an upstream that cannot be reached or does not answer in time); only documented "
            "operations fall back", "off; unimplemented when given alone", nargs="?",
            const=FALLBACK_MODES[0], choices=FALLBACK_MODES, metavar="MODE")
    setting(proxy, "fallback_only", "only these operations (operationIds, or 'METHOD /path' for one "
            "without) fall back, comma-separated", "all", type=parsed_like_env("fallback_only"),
            metavar="OP,...")
    setting(proxy, "never_fallback", "these operations never fall back, comma-separated", "none",
            type=parsed_like_env("never_fallback"), metavar="OP,...")
    setting(proxy, "fixtures", "the state the fallback mock starts from: a directory of YAML/JSON "
            "fixtures, as for `mockserver run`", "the bundled ones with the bundled documents",
            type=Path, metavar="DIR")
    setting(proxy, "upstream_timeout", "seconds to wait for the upstream (then 502 or 504; the mock's "
            "answer with --fallback unreachable)",
            defaults.upstream_timeout, type=parsed_like_env("upstream_timeout"), metavar="S")
    setting(proxy, "faults", "give this fraction of requests a network fault", "0: none",
            type=parsed_like_env("faults"), metavar="RATE")
    setting(proxy, "seed", "seed of the --faults draw", "random", type=parsed_like_env("seed"), metavar="N")
    setting(proxy, "log_level", "log verbosity", defaults.log_level, choices=LOG_LEVELS)
