"""What a Schemathesis run of ``mockserver contract`` found: each failure once per check and
operation, with a curl line to repeat it, the statuses seen, its summary lines; and what is
Schemathesis's own doing (files sent as text parts) rather than the server's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.contract.advisories import Advisories
from mockserver.contract.budget import TimeBudget
from mockserver.contract.lifecycle import LifecycleReport
from mockserver.contract.wire import sent_as_valid_text


@dataclass(frozen=True)
class ContractFailure:
    check: str
    title: str
    message: str
    curl: str
    run: str
    status: int | None = None


@dataclass
class ContractReport:
    url: str
    specs: tuple[Path, ...]
    seed: int
    runs: list[str] = field(default_factory=list)
    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str, str, int | None], ContractFailure] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    cases: int = 0
    errors: list[str] = field(default_factory=list)
    advisories: Advisories | None = None
    files_as_text: int = 0  # valid cases refused because Schemathesis sent their files as text
    valid_on_the_wire: int = 0  # "invalid" cases accepted that reached the server as valid requests
    lifecycle: LifecycleReport | None = None
    budget: TimeBudget | None = None

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and (self.lifecycle is None or self.lifecycle.ok)

    def record(self, run: str, recorder: object) -> None:
        self.cases += len(recorder.cases)  # type: ignore[attr-defined]
        status_of: dict[str, int] = {}
        for case_id, interaction in recorder.interactions.items():  # type: ignore[attr-defined]
            if interaction.response is not None:
                status_of[case_id] = interaction.response.status_code
                self.statuses[interaction.response.status_code] += 1
                if self.advisories is not None:
                    self.advisories.inspect(interaction.request, interaction.response)
        for case_id, nodes in recorder.checks.items():  # type: ignore[attr-defined]
            for node in nodes:
                if node.failure_info is None:
                    self.passed[node.name] += 1
                    continue
                failure = node.failure_info.failure
                case = recorder.cases[case_id].value if case_id in recorder.cases else None  # type: ignore[attr-defined]
                if node.name == "positive_data_acceptance" and case is not None and files_as_text(case):
                    self.files_as_text += 1  # Schemathesis's, not the server's: see files_as_text
                    continue
                if node.name == "negative_data_rejection" and case is not None and sent_as_valid_text(case):
                    self.valid_on_the_wire += 1  # no server can refuse it: see contract.wire
                    continue
                self.failed[node.name] += 1
                # As Schemathesis groups failures (per check, kind and operation), plus the status.
                key = (node.name, type(failure).__name__, failure.operation, status_of.get(case_id))
                self.failures.setdefault(key, ContractFailure(
                    node.name, failure.title, failure.message, node.failure_info.code_sample, run,
                    status_of.get(case_id)))


def summary_lines(report: ContractReport) -> Iterator[str]:
    specs = ", ".join(map(str, report.specs))
    yield f"mockserver contract: {report.url} against {specs} (seed {report.seed})"
    yield f"runs: {'; '.join(report.runs)}"
    yield ""
    width = max((len(name) for name in report.passed | report.failed), default=10)
    yield f"  {'check':<{width}}  {'passed':>7}  {'failed':>7}"
    for name in sorted(report.passed | report.failed):
        yield f"  {name:<{width}}  {report.passed[name]:>7}  {report.failed[name]:>7}"
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(report.statuses.items()))
    yield f"{report.cases} cases; responses {statuses or 'none'}"
    by_check: dict[str, list[ContractFailure]] = {}
    for failure in report.failures.values():
        by_check.setdefault(failure.check, []).append(failure)
    for check, failures in sorted(by_check.items()):
        yield ""
        yield f"{check}: {len(failures)} distinct failure{'s' * (len(failures) != 1)}"
        for failure in failures:
            status = f"HTTP {failure.status}, " if failure.status else ""
            yield f"  - {failure.title} ({status}{failure.run})"
            yield from (f"      {line}" for line in failure.message.strip().splitlines()[:6] if line.strip())
            yield f"    reproduce: {failure.curl}"
    if report.files_as_text:
        yield ""
        yield (f"not counted: {report.files_as_text} valid cases refused whose files (declared inside anyOf) "
               "Schemathesis sent as text parts without a filename")
    if report.valid_on_the_wire:
        yield ""
        yield (f"not counted: {report.valid_on_the_wire} invalid cases accepted that reached the server as "
               "valid requests (a type changed in a value sent as text, where any text is valid)")
    if report.budget is not None:
        yield ""
        yield from report.budget.lines()
    if report.advisories is not None and report.advisories.messages:
        yield ""
        yield "beyond the schema (advisory: these do not fail the run):"
        yield from report.advisories.lines()
    for error in report.errors:
        yield f"error: {error}"
    if report.lifecycle is not None:
        yield ""
        yield from report.lifecycle.lines()
    lifecycle_failed = len(report.lifecycle.failures()) if report.lifecycle is not None else 0
    errors = len(report.errors) + (report.lifecycle.count("error") if report.lifecycle is not None else 0)
    yield ""
    if report.ok:
        yield f"OK: {sum(report.passed.values())} checks passed, 0 failed"
    else:
        yield (f"FAILED: {len(report.failures)} distinct failures in {len(by_check)} checks, "
               f"{lifecycle_failed} lifecycle failures, {errors} errors")


def files_as_text(case: Any) -> bool:
    """Whether a multipart case carries a field its document declares as files only inside an
    ``anyOf`` (``anyOf: [{type: array, items: <binary>}, {type: null}]``, as FastAPI writes an optional
    list of files): Schemathesis 4 sees no files there and sends their items as text parts, without
    a filename, which a server may rightly refuse (FastAPI does): no failure of the server."""
    if not str(case.media_type or "").startswith("multipart/") or not isinstance(case.body, dict):
        return False
    body = case.operation.get_body_for_media_type(case.media_type)
    properties = ((body.resolved_schema or {}) if body is not None else {}).get("properties") or {}
    for name, value in case.body.items():
        branches = (properties.get(name) or {}).get("anyOf") or ()
        if value is not None and any(isinstance(branch, dict) and is_binary(branch.get("items") or branch)
                                     for branch in branches):
            return True
    return False


def is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("format") == "binary"
                                         or schema.get("contentMediaType") == "application/octet-stream")
