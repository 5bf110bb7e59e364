"""What every command's flags share: a flag per ``Config`` setting, shown with its default and
environment variable, parsed as the variable is; the help texts several commands give."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockserver.config_env import VARIABLES

PROFILE_HELP = ("the dedicated behaviour to add to the generic mock: agentos (the AgentOS sessions API, "
                "its handlers, fixtures and admin endpoints), none (every operation served by the "
                "generic engine), or auto: a profile is used when the documents define its operations "
                "(method, path and schemas); the banner says which and why")


ADMIN_ORIGINS_HELP = ("web pages (origins, comma-separated) whose requests the admin API under "
                      "/__mockserver/ answers; a request with any other Origin header is a 403, so no "
                      "other site can read the journal or reset the state (tools send no Origin)")


STRICT_SPEC_HELP = ("refuse a document with OpenAPI problems (a name twice in 'required', 'required: "
                    "true' in a schema); without it they are warnings naming their JSON pointer, as "
                    "Prism serves them")


def parsed_like_env(name: str) -> Callable[[str], Any]:
    """The environment variable's parser for a setting, with argparse's error type."""
    return parsed(VARIABLES[name][1])


def parsed(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse`` with argparse's error type."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def setting(parser: argparse.ArgumentParser, name: str, help: str, shown: Any, flag: str | None = None,
            **kwargs: Any) -> None:
    flag = flag or "--" + name.replace("_", "-")
    variable = VARIABLES[name][0]
    default = f"default: {shown}; " if shown is not None else ""
    parser.add_argument(flag, dest=name, default=argparse.SUPPRESS,
                        help=f"{help} ({default}env {variable})", **kwargs)


def shown(paths: tuple[Path, ...]) -> str:
    return ", ".join(map(str, paths))
