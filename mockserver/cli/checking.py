"""The flags of the commands that check: ``mockserver validate`` (a document, its examples and
fixtures) and ``mockserver contract`` (a running server)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mockserver.cli.options import (
    PROFILE_HELP,
    parsed_like_env,
    setting,
    shown,
)
from mockserver.config import Config
from mockserver.contract import LIFECYCLE_CHECKS, LIFECYCLE_MAX_ITEMS


def add_validate(commands: Any, defaults: Config) -> None:
    check = commands.add_parser(
        "validate", help="check the spec, its examples and fixtures; say how each operation is served",
        description="Validate an OpenAPI 3.0 or 3.1 document (openapi-spec-validator, with every $ref "
        "resolved, in the files it names too), then check what no validator checks: every example "
        "conforms to the schema it illustrates, every fixture fits its schema. Prints how the mock "
        "serves each operation (info lines), one line per finding, then a summary. Exit status: 0 "
        "without errors, 1 with errors, 2 when the document cannot be read or parsed.",
    )
    check.add_argument("specs", nargs="*", type=Path, metavar="SPEC",
                       help=f"the documents to check, together (default: {shown(defaults.specs)}; "
                       "env MOCKSERVER_SPEC)")
    setting(check, "fixtures", "fixtures to check against the spec", defaults.fixtures,
            type=Path, metavar="DIR")
    check.add_argument("--no-fixtures", action="store_true", help="do not check fixtures")
    setting(check, "profile", PROFILE_HELP, "auto", metavar="auto|none|NAME")
    setting(check, "webhooks_file", "a webhook mapping file (as 'run --webhooks' takes) to check and show "
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


def add_contract(commands: Any, defaults: Config) -> None:
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
    setting(contract, "specs", "the contract; repeat for several documents", shown(defaults.specs),
            flag="--spec", action="append", type=Path, metavar="FILE")
    contract.add_argument("--token", help="bearer token to send with every request")
    setting(contract, "profile", PROFILE_HELP + "; it also picks the checks of answers beyond their schema",
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
    setting(contract, "seed", "random seed, to repeat a run", "random, printed",
            type=parsed_like_env("seed"), metavar="N")
    setting(contract, "max_time", "seconds the whole run may take, its runs together; an operation whose "
            "share is spent sends no more cases, and the summary says how many; 0: no bound",
            defaults.max_time, type=parsed_like_env("max_time"), metavar="SECONDS")
    setting(contract, "junit_xml", "also write a JUnit XML report", None, type=Path, metavar="PATH")


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
