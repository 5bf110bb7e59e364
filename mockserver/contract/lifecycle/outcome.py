"""What a lifecycle check concludes about one collection: passed, failed (a sentence and the
requests that show it, as curl lines), skipped (why) or error (an answer the check could not
follow), and a run's outcomes together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

PASSED, FAILED, SKIPPED, ERROR = "passed", "failed", "skipped", "error"


@dataclass(frozen=True)
class Outcome:
    check: str
    resource: str
    result: str
    sentence: str = ""
    curls: tuple[str, ...] = ()


class Finding(Exception):
    """A check's failure, raised where it is seen: the sentence says what the server did."""


class Skip(Exception):
    """A check that cannot run on a collection: the sentence says why."""


@dataclass
class LifecycleReport:
    outcomes: list[Outcome] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)  # resource -> requests sent
    seconds: dict[str, float] = field(default_factory=dict)  # resource -> time taken
    left_behind: Counter[str] = field(default_factory=Counter)  # resource -> items a cleanup left

    @property
    def ok(self) -> bool:
        return not self.failures() and not self.count(ERROR)

    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.result == FAILED]

    def count(self, result: str, check: str | None = None) -> int:
        return sum(1 for o in self.outcomes if o.result == result and check in (None, o.check))

    def lines(self) -> Iterator[str]:
        resources = list(dict.fromkeys(outcome.resource for outcome in self.outcomes))
        yield "lifecycle checks (from the resources the mock infers):"
        for resource in resources:
            mine = [o for o in self.outcomes if o.resource == resource]
            counts = Counter(outcome.result for outcome in mine)
            yield (f"  {resource}: {counts[PASSED]} passed, {counts[FAILED]} failed, "
                   f"{counts[SKIPPED]} skipped; {self.requests.get(resource, 0)} requests in "
                   f"{self.seconds.get(resource, 0.0):.1f} s")
            for outcome in mine:
                if outcome.result == SKIPPED:
                    yield f"    - {outcome.check}: skipped ({outcome.sentence})"
                elif outcome.result in (FAILED, ERROR):
                    yield f"    - {outcome.check}: {outcome.result.upper()}: {outcome.sentence}"
                    yield from (f"        {curl}" for curl in outcome.curls)
        for resource, count in self.left_behind.items():
            yield f"  not cleaned up: {count} item{'s' * (count != 1)} created in {resource}"
        errors = f", {self.count(ERROR)} errors" if self.count(ERROR) else ""
        yield (f"  lifecycle: {self.count(PASSED)} passed, {self.count(FAILED)} failed, "
               f"{self.count(SKIPPED)} skipped{errors}")
