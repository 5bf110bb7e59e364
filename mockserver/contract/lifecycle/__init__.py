"""Lifecycle checks: does a server behave like the resources its document describes?

For every collection the engine infers (``engine.inference``: the same model the mock serves by),
named checks create items, read, update, list and delete them, and say what they found, with the
requests that show it as curl lines: ``create_then_read``, ``update_is_visible``,
``delete_is_final``, ``ids_are_stable``, ``created_is_listed``, ``paging_is_truthful``. A check the
document gives no way to run is skipped, saying why. What a check creates is deleted after it; a
scoped collection's parent is created for it where no pin names one (``scopes``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx

from mockserver.contract import LIFECYCLE_CHECKS, LIFECYCLE_MAX_ITEMS
from mockserver.contract.lifecycle.http import Client
from mockserver.contract.lifecycle.items import (
    create_then_read,
    delete_is_final,
    ids_are_stable,
    update_is_visible,
)
from mockserver.contract.lifecycle.lists import created_is_listed, paging_is_truthful
from mockserver.contract.lifecycle.outcome import (
    ERROR,
    FAILED,
    PASSED,
    SKIPPED,
    Finding,
    LifecycleReport,
    Outcome,
    Skip,
)
from mockserver.contract.lifecycle.resources import ResourceMapping
from mockserver.contract.lifecycle.scopes import with_parents
from mockserver.contract.lifecycle.steps import Steps
from mockserver.contract.lifecycle.targets import targets
from mockserver.core.combined import load_specs
from mockserver.errors import StartupError

CHECKS: dict[str, Callable[[Steps], None]] = {
    "create_then_read": create_then_read, "update_is_visible": update_is_visible,
    "delete_is_final": delete_is_final, "ids_are_stable": ids_are_stable,
    "created_is_listed": created_is_listed, "paging_is_truthful": paging_is_truthful,
}
assert tuple(CHECKS) == LIFECYCLE_CHECKS
MAX_ITEMS = LIFECYCLE_MAX_ITEMS


def _run_one(name: str, steps: Steps) -> Outcome:
    client, resource = steps.client, steps.target.name
    client.trail = []
    try:
        CHECKS[name](steps)
    except Finding as finding:
        return Outcome(name, resource, FAILED, str(finding), tuple(client.trail))
    except Skip as skip:
        return Outcome(name, resource, SKIPPED, str(skip))
    except httpx.HTTPError as exc:
        return Outcome(name, resource, FAILED, f"the server did not answer ({type(exc).__name__}: {exc})",
                       tuple(client.trail))
    except Exception as exc:  # an answer this check did not foresee: said, the other checks still run
        return Outcome(name, resource, ERROR, f"the check could not go on ({type(exc).__name__}: {exc})",
                       tuple(client.trail))
    return Outcome(name, resource, PASSED)


def _clean_up(steps: Steps, report: LifecycleReport) -> None:
    for item_id, there in list(steps.created.items()):
        if not there:
            continue
        gone = False
        if "remove" in steps.target.routes:
            try:
                gone = steps.delete(item_id).ok
            except httpx.HTTPError:
                gone = False
        if not gone:
            report.left_behind[steps.target.name] += 1


def run_lifecycle(specs: tuple[Path, ...], url: str, token: str | None, known: Mapping[str, str],
                  seed: int, max_examples: int, checks: Sequence[str] | None = None, *,
                  max_items: int = MAX_ITEMS, resources: Sequence[ResourceMapping] = ()) -> LifecycleReport:
    """Every selected check (default: all) on every collection inferred from ``specs`` (as
    ``resources`` correct the inference), list walks stopping at ``max_items``."""
    report = LifecycleReport()
    try:
        spec = load_specs(specs).combined
    except StartupError:
        return report  # a document the mock cannot read infers nothing: Schemathesis reports it
    found = targets(spec, url, known, resources)  # a wrong resources file stops before any request
    client = Client(token)
    try:
        for target in found:
            client.resource = target.name
            target, parents = with_parents(target, found, client, seed, max_items, max_examples)
            for name in checks or list(CHECKS):
                steps = Steps(client, target, seed, max_items, max_examples)
                report.outcomes.append(_run_one(name, steps))
                _clean_up(steps, report)
            for parent in parents:
                _clean_up(parent, report)
        report.requests = dict(client.requests)
        report.seconds = dict(client.seconds)
    finally:
        client.close()
    return report


__all__ = ["CHECKS", "MAX_ITEMS", "LifecycleReport", "Outcome", "ResourceMapping", "run_lifecycle"]
