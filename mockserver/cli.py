"""The ``mockserver`` command: parse flags, build a ``Config``, hand off. No logic here.

Flags default to "not given" so that only what the user typed overrides the environment; the
defaults shown in ``--help`` are read from ``Config`` itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .config import LOG_LEVELS, Config
from .errors import StartupError

DESCRIPTION = """\
A spec-first mock of the Agno AgentOS sessions API (PATCH /sessions/{session_id}).
It serves the OpenAPI document unchanged, validates every request against it and keeps
real state: what a PATCH changes, later requests see.

Start it with `mockserver run`; `mockserver run --help` lists its flags."""


def _setting(parser: argparse.ArgumentParser, name: str, help: str, shown: Any, **kwargs: Any) -> None:
    flag = "--" + name.replace("_", "-")
    variable = Config.ENV[name][0]
    default = f"default: {shown}; " if shown is not None else ""
    parser.add_argument(flag, dest=name, default=argparse.SUPPRESS,
                        help=f"{help} ({default}env {variable})", **kwargs)


def _add_run(commands: Any, defaults: Config) -> None:
    run = commands.add_parser(
        "run", help="start the mock server",
        description="Start the mock server. Every flag can also be set with the environment "
        "variable shown; a flag wins over the variable.",
    )
    _setting(run, "host", "interface to listen on", defaults.host, metavar="HOST")
    _setting(run, "port", "port to listen on; 0 picks a free one", defaults.port, type=int, metavar="PORT")
    _setting(run, "spec", "OpenAPI 3.1 document to serve", defaults.spec, type=Path, metavar="FILE")
    _setting(run, "fixtures", "directory of YAML/JSON session fixtures", defaults.fixtures,
             type=Path, metavar="DIR")
    _setting(run, "security_key", "require 'Authorization: Bearer KEY' on every request; without a "
             "key any or no token is accepted, like AgentOS without one", None, metavar="KEY")
    _setting(run, "log_level", "server log verbosity", defaults.log_level, choices=LOG_LEVELS)
    _setting(run, "require_db_id", "answer 400 when db_id is missing and there are several "
             "databases, as the real AgentOS does (the spec makes db_id optional)", "off",
             action="store_true")


def _run(config: Config) -> int:
    from .server import serve  # uvicorn is imported only when serving

    return serve(config)


# Subcommand -> what it does with the resulting Config.
COMMANDS: dict[str, Callable[[Config], int]] = {"run": _run}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockserver", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run(commands, Config())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = vars(parser.parse_args(argv))
    command = args.pop("command")
    if command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[command](Config.from_env(os.environ).replace(**args))
    except StartupError as exc:
        print(f"mockserver: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
