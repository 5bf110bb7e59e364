"""The time a contract run may take (``--max-time``), and what that bound cut, for the summary.

Schemathesis bounds a run by time itself: it splits what is left evenly over the operations still
to test, holds a share back for fuzzing and the stateful phase, and an operation whose share is
spent sends no more cases. A contract run of several runs (the random-ids one, one per pinned
session) gives each run an equal share of the time left, so time one run leaves flows to the next.
Given a time bound, Schemathesis would also repeat fuzzing and the stateful phase until it is all
spent; a contract run goes once through every phase, as an unbounded run does, so a small API
finishes as soon as before. Nothing is cut silently: the summary says, per phase, how many
operations the bound stopped before any case and how many were fuzzed with fewer cases than
``--max-examples`` (a spent share, or an input space with fewer distinct cases).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import events
from schemathesis.engine.run import PhaseName

REPEATED_PHASES = frozenset({PhaseName.FUZZING, PhaseName.STATEFUL_TESTING})
TIME_LIMIT_REACHED = "Time limit reached"  # Schemathesis' skip reason for an operation out of time


@dataclass
class TimeBudget:
    """The bound (``seconds``, None: none) and, per phase, the operations it cut."""

    seconds: int | None
    max_examples: int
    started: float = field(default_factory=time.monotonic)
    run_seconds: dict[str, float] = field(default_factory=dict)
    phase_seconds: dict[str, float] = field(default_factory=dict)  # phase -> seconds, all runs
    operations: Counter[str] = field(default_factory=Counter)  # phase -> operations tested
    out_of_time: Counter[str] = field(default_factory=Counter)  # phase -> operations given no case
    fuzzed_short: int = 0  # fuzzed operations with fewer cases than max_examples

    def share(self, runs_left: int) -> int | None:
        """Seconds for the next run: an equal share of what is left (at least one)."""
        if self.seconds is None:
            return None
        left = self.seconds - (time.monotonic() - self.started)
        return max(1, int(left / max(runs_left, 1)))

    def events(self, schema: Any, label: str) -> Iterator[events.EngineEvent]:
        """Schemathesis' events for one run of ``schema``, once through every phase."""
        began, seen, phase_began = time.monotonic(), set(), time.monotonic()
        stream = schemathesis.engine.from_schema(schema).execute()
        for event in stream:
            if isinstance(event, events.PhaseStarted):
                phase_began = time.monotonic()
                if event.phase.name in seen and event.phase.name in REPEATED_PHASES:
                    stream.stop()  # a second pass: the engine ends at once, nothing more is sent
                seen.add(event.phase.name)
            elif isinstance(event, events.PhaseFinished):
                name = str(event.phase.name.value)
                self.phase_seconds[name] = self.phase_seconds.get(name, 0.0) + time.monotonic() - phase_began
            elif isinstance(event, events.ScenarioFinished):
                self.note(event)
            yield event
        self.run_seconds[label] = time.monotonic() - began

    def note(self, event: Any) -> None:
        """Count a finished scenario (one operation in one phase): tested, out of time, fuzzed short."""
        phase = str(event.phase.value)
        self.operations[phase] += 1
        if event.skip_reason == TIME_LIMIT_REACHED:
            self.out_of_time[phase] += 1
        elif event.phase == PhaseName.FUZZING and len(event.recorder.cases) < self.max_examples:
            self.fuzzed_short += 1

    def lines(self) -> Iterator[str]:
        spent = sum(self.run_seconds.values())
        runs = "; ".join(f"{label} {seconds:.0f} s" for label, seconds in self.run_seconds.items())
        bound = f"of a {self.seconds} s budget (--max-time)" if self.seconds else "(no --max-time)"
        yield f"time: {spent:.0f} s {bound}: {runs}"
        phases = ", ".join(f"{phase} {seconds:.0f} s" for phase, seconds in self.phase_seconds.items()
                           if phase in self.operations)
        yield f"  phases: {phases or 'none ran'}"
        for phase, cut in sorted(self.out_of_time.items()):
            yield f"  {phase}: {cut} of {self.operations[phase]} operation runs got no case for want of time"
        if self.fuzzed_short:
            yield (f"  fuzzing: {self.fuzzed_short} of {self.operations['fuzzing']} operation runs drew "
                   f"fewer than {self.max_examples} cases (their share of the time ran out, or their "
                   "distinct inputs did)")
        if self.seconds and (self.fuzzed_short or self.out_of_time):
            yield ("  within the budget an operation's examples and coverage cases also stop where its share "
                   "of the time ends (Schemathesis does not count those); a larger --max-time sends them")
