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
from typing import Any

from mockserver.cli.checking import add_contract, add_validate
from mockserver.cli.proxy import add_proxy
from mockserver.cli.run import add_run
from mockserver.config import Config
from mockserver.errors import StartupError

CONFIG_FIELDS = {f.name for f in dataclasses.fields(Config)}

DESCRIPTION = """\
A spec-first mock and contract-test server. `mockserver run` serves any OpenAPI 3.0 or 3.1
document unchanged and statefully (by default the whole Agno AgentOS API, its sessions by
dedicated handlers); every request is validated, over real state: what a request changes, later
ones see. `mockserver validate` checks a document, `mockserver contract` tests a running server,
`mockserver proxy` checks the traffic between a client and a real server.

`mockserver COMMAND --help` explains a command."""


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
    add_run(commands, defaults)
    add_validate(commands, defaults)
    add_contract(commands, defaults)
    add_proxy(commands, defaults)
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
