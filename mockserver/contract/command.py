"""Run ``mockserver contract`` from the CLI: pick the target, run, print, write JUnit, exit status.

The lifecycle checks (``lifecycle``) run first, unless ``--checks none``; then Schemathesis.
With no ``--url`` the bundled mock is started on a free loopback port with a generated security
key, which is also the token, and its profile pins what its fixtures hold (AgentOS: one session
of each type).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from mockserver.config import Config
from mockserver.contract import LIFECYCLE_MAX_ITEMS
from mockserver.contract.junit import write_junit
from mockserver.contract.lifecycle import run_lifecycle
from mockserver.contract.lifecycle.resources import read_resources
from mockserver.contract.report import summary_lines
from mockserver.contract.runner import Pin, run_contract
from mockserver.errors import UnusableInput
from mockserver.server import build_mock, serve_in_thread

EXIT_CLEAN, EXIT_FAILURES = 0, 1  # and UnusableInput's 2, when the server cannot be reached


@dataclass(frozen=True)
class ContractOptions:
    url: str | None
    token: str | None
    sessions: Sequence[Pin]
    max_examples: int
    seed: int | None
    junit_xml: Path | None
    checks: tuple[str, ...] | None = None  # the lifecycle checks (None: all; (): none)
    max_time: int | None = None  # seconds for the whole run (contract.budget); None: no bound
    max_items: int = LIFECYCLE_MAX_ITEMS  # a lifecycle check's list walk stops here
    resources: Path | None = None  # corrections to the inferred resources (lifecycle.resources)


def reachable(url: str) -> str | None:
    """None when ``url`` answers HTTP at all, else why not."""
    try:
        httpx.get(url, timeout=5.0)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return None


def known_parameters(pins: Sequence[Pin]) -> dict[str, str]:
    """Parameter values the pins give (``path.session_id`` is ``session_id``), the first pin's first."""
    known: dict[str, str] = {}
    for pin in pins:
        for name, value in pin.parameters().items():
            known.setdefault(name.split(".", 1)[-1], value)
    return known


def contract(config: Config, options: ContractOptions) -> int:
    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    background = None
    url, token, sessions = options.url, options.token, options.sessions
    if url is None:
        token = token or secrets.token_urlsafe(16)
        mock = build_mock(replace(config, security_key=token))
        background = serve_in_thread(mock.app)
        pins = mock.profile.contract_pins() if mock.profile is not None else []
        url, sessions = background.url, sessions or pins
    try:
        problem = reachable(url)
        if problem is not None:
            raise UnusableInput(f"cannot reach {url} ({problem})")
        lifecycle = None
        if options.checks != ():
            resources = read_resources(options.resources) if options.resources else ()
            lifecycle = run_lifecycle(config.specs, url, token, known_parameters(sessions), seed,
                                      options.max_examples, options.checks, max_items=options.max_items,
                                      resources=resources)
        report = run_contract(config.specs, url, token, sessions, options.max_examples, seed,
                              config.profile, options.max_time)
        report.lifecycle = lifecycle
    finally:
        if background is not None:
            background.stop()
    for line in summary_lines(report):
        print(line)
    if options.junit_xml is not None:
        write_junit(report, options.junit_xml)
        print(f"JUnit XML written to {options.junit_xml}")
    return EXIT_CLEAN if report.ok else EXIT_FAILURES
