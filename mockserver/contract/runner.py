"""``mockserver contract``: Schemathesis against a running server, summarised per check.

Every built-in check runs, with positive and negative generation and the spec's examples. One run
uses whatever ids and parameters Schemathesis generates (they reach 401, 404 and 422); one run per pinned
session (``TYPE=ID[@DB]``) fixes ``session_id``, ``type`` and ``db_id`` so that the 200 path and its
schema are exercised too. Failures are deduplicated and each keeps a curl command reproducing it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import schemathesis
from schemathesis.engine import events
from schemathesis.generation import GenerationMode

from mockserver.contract.advisories import Advisories
from mockserver.contract.budget import TimeBudget
from mockserver.contract.report import ContractReport
from mockserver.core.combined import combine
from mockserver.core.spec import Spec
from mockserver.core.spec_reading import read_document

LINK_CHECKS = ("ensure_resource_availability", "use_after_free")


class Pin(Protocol):
    """Parameters a run keeps fixed (an existing resource's id), so that Schemathesis reaches past
    404s: a profile's (``ProfileState.contract_pins``) or given with ``--session``."""

    @property
    def label(self) -> str: ...

    def parameters(self) -> dict[str, str]: ...


def combined_document(specs: tuple[Path, ...]) -> dict[str, Any] | None:
    """Several documents as one API, read and combined once for all runs (seconds for the AgentOS
    pair, a tenth to copy); None for one document, which Schemathesis reads itself."""
    if len(specs) == 1:
        return None
    return dict(combine(Spec.from_document(path, read_document(path)) for path in specs).combined.raw)


def contract_schema(specs: tuple[Path, ...], combined: dict[str, Any] | None = None
                    ) -> schemathesis.schemas.BaseSchema:
    """Schemathesis's schema of one document, or of several combined into one API (``combined``:
    as ``combined_document`` made it, copied so that no run sees what another did to it)."""
    combined = combined if combined is not None else combined_document(specs)
    if combined is None:
        return schemathesis.openapi.from_path(str(specs[0]))
    return schemathesis.openapi.from_dict(copy.deepcopy(combined))


def configured_schema(specs: tuple[Path, ...], url: str, token: str | None,
                      parameters: dict[str, str] | None, max_examples: int,
                      seed: int, max_time: int | None = None,
                      combined: dict[str, Any] | None = None) -> schemathesis.schemas.BaseSchema:
    schema = contract_schema(specs, combined)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    schema.config.update(base_url=url, headers=headers, parameters=parameters, continue_on_failure=True)
    # A pinned run fixes the session id of every path, links included: "the session just created"
    # is then the pinned one, so the checks that follow links run in the random-ids run only.
    schema.config.checks.update(included_check_names=["all"],
                                excluded_check_names=list(LINK_CHECKS) if parameters else None)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                    max_examples=max_examples)
    schema.config.seed = seed
    schema.config.max_time = max_time
    return schema


def run_contract(specs: tuple[Path, ...], url: str, token: str | None, sessions: Sequence[Pin],
                 max_examples: int, seed: int, profile: str = "auto",
                 max_time: int | None = None) -> ContractReport:
    """Every run in turn; ``max_time``: seconds for them all (see ``budget``), None: unbounded."""
    budget = TimeBudget(max_time, max_examples)
    advisories = Advisories.for_specs(specs, profile)
    report = ContractReport(url=url, specs=specs, seed=seed, advisories=advisories, budget=budget)
    runs = [("random ids", None)] + [(s.label, s.parameters()) for s in sessions]
    combined = combined_document(specs)
    for done, (label, parameters) in enumerate(runs):
        report.runs.append(label)
        schema = configured_schema(specs, url, token, parameters, max_examples, seed,
                                   budget.share(len(runs) - done), combined)
        for event in budget.events(schema, label):
            if isinstance(event, events.ScenarioFinished):
                report.record(label, event.recorder)
            elif isinstance(event, events.NonFatalError):
                report.errors.append(f"{label}: {event.info.format()}".strip())
            elif isinstance(event, events.FatalError):
                report.errors.append(f"{label}: {event.exception}")
    return report


