"""Comparing two transcripts of ``runs_sequence.record``: the real scripted AgentOS and the mock.

Before comparing, each step is normalised: uuids become ``<KIND:N>`` (session, run, step, id, uuid
by the field holding them) numbered per kind by first appearance within the step (so that the same
id in two places must be the same id on both sides; an id that is not a uuid stays as it is), timestamps
of the last minutes become ``<now>``, durations ``<duration>`` (also inside a ToolCallCompleted's
"completed in 0.0027s."), and the session list keeps only the sessions the sequence created (the
mock also has its fixture sessions). A difference names the step, where in it (event index and
field path) and both values. Key order is compared only at the top level of an event's data: there
AgentOS's order is stable from run to run (inside bodies and nested objects it is not).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

# An id derived from its run's id as a string ("<uuid>-m1"), where AgentOS has a uuid: the mock once
# made member run, step and requirement ids so (it now makes uuids). Labelled as an id of its kind,
# so that the rest compares, and reported as a difference ("ids") of its step, documented nowhere.
DERIVED = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[msr]\d+")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
SECONDS = re.compile(r"completed in \d+(\.\d+)?s\.")
RECENT_SECONDS = 3600
TIMED = ("duration", "time_to_first_token")


@dataclass(frozen=True)
class Difference:
    step: str
    where: str
    agentos: Any
    mock: Any

    def __str__(self) -> str:
        return f"{self.step} @ {self.where}\n    agentos: {self.agentos!r}\n    mock:    {self.mock!r}"


# The kind of id a field holds: ids are numbered per kind, so that one extra id of another kind
# (a message id, say) does not renumber every session and run id after it.
KINDS = {"session_id": "session", "agent_session_id": "session", "current_session_id": "session",
         "run_id": "run", "parent_run_id": "run", "child_run_id": "run", "current_run_id": "run",
         "step_id": "step", "id": "id"}


class Normaliser:
    def __init__(self, now: float) -> None:
        self.now = now
        self.ids: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.derived: list[str] = []

    def label(self, value: str, kind: str = "uuid") -> str:
        if value not in self.ids:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.ids[value] = f"<{kind}:{self.counts[kind]}>"
        return self.ids[value]

    def _id(self, match: re.Match[str]) -> str:
        return self.label(match.group(0))

    def _recent(self, seconds: float) -> bool:
        return abs(seconds - self.now) < RECENT_SECONDS

    def __call__(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: self(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        if key in TIMED and isinstance(value, int | float) and not isinstance(value, bool):
            return "<duration>"
        if isinstance(value, str):
            if key in KINDS and UUID.fullmatch(value):
                return self.label(value, KINDS[key])
            if key in KINDS and DERIVED.fullmatch(value):
                self.derived.append(value)
                return self.label(value, KINDS[key])
            if ISO.match(value):
                seconds = time.mktime(time.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
                return "<now>" if self._recent(seconds) else value
            return SECONDS.sub("completed in <duration>s.", UUID.sub(self._id, value))
        if isinstance(value, int) and not isinstance(value, bool) and self._recent(value):
            return "<now>"
        return value


def created_sessions(steps: list[dict[str, Any]]) -> set[str]:
    from tests.agentos.runs_recorder import session_of

    return {sid for step in steps if step["request"].startswith("POST") and (sid := session_of(step))}


def normalised(step: dict[str, Any], created: set[str], now: float) -> tuple[dict[str, Any], list[str]]:
    """The step normalised, and the derived ids seen in it."""
    step = dict(step)
    body = step.get("body")
    if step["step"].startswith("list sessions") and isinstance(body, dict):
        # The mock also lists its fixture sessions; only those the sequence created are compared.
        step["body"] = {"data": [s for s in body.get("data") or () if s.get("session_id") in created]}
    step.pop("request", None)
    normaliser = Normaliser(now)
    return normaliser(step), normaliser.derived


def diff(step: str, where: str, agentos: Any, mock: Any, out: list[Difference]) -> None:
    if isinstance(agentos, dict) and isinstance(mock, dict):
        for key in [*agentos, *(k for k in mock if k not in agentos)]:
            if key not in mock:
                out.append(Difference(step, f"{where}.{key}", agentos[key], "<absent>"))
            elif key not in agentos:
                out.append(Difference(step, f"{where}.{key}", "<absent>", mock[key]))
            else:
                diff(step, f"{where}.{key}", agentos[key], mock[key], out)
    elif isinstance(agentos, list) and isinstance(mock, list) and len(agentos) == len(mock):
        for index, (a, m) in enumerate(zip(agentos, mock, strict=True)):
            diff(step, f"{where}[{index}]", a, m, out)
    elif agentos != mock:
        out.append(Difference(step, where, agentos, mock))


def compare(agentos: list[dict[str, Any]], mock: list[dict[str, Any]]) -> list[Difference]:
    """Every difference between the two transcripts, step by step (steps matched by name and order)."""
    now = time.time()
    out: list[Difference] = []
    if [s["step"] for s in agentos] != [s["step"] for s in mock]:
        out.append(Difference("(sequence)", "steps", [s["step"] for s in agentos], [s["step"] for s in mock]))
    created = (created_sessions(agentos), created_sessions(mock))
    for a, m in zip(agentos, mock, strict=False):
        (a, derived_a), (m, derived_m) = normalised(a, created[0], now), normalised(m, created[1], now)
        name = a["step"]
        if derived_a != derived_m:
            out.append(Difference(name, "ids", derived_a, derived_m))
        for key in ("status", "content_type"):
            if a.get(key) != m.get(key):
                out.append(Difference(name, key, a.get(key), m.get(key)))
        if "events" in a or "events" in m:
            names = ([e.get("event", "<raw>") for e in a.get("events", [])],
                     [e.get("event", "<raw>") for e in m.get("events", [])])
            if names[0] != names[1]:
                out.append(Difference(name, "event names", names[0], names[1]))
            for index, (ea, em) in enumerate(zip(a.get("events", []), m.get("events", []), strict=False)):
                diff(name, f"events[{index}]", ea, em, out)
                # The data's key order is AgentOS's framing (stable across its runs; nested objects' is not).
                keys = (list(ea.get("data") or {}), list(em.get("data") or {}))
                if keys[0] != keys[1] and set(keys[0]) == set(keys[1]):
                    out.append(Difference(name, f"events[{index}].data (key order)", keys[0], keys[1]))
        else:
            diff(name, "body", a.get("body"), m.get("body"), out)
        if a.get("cancel") or m.get("cancel"):
            diff(name, "cancel", a.get("cancel"), m.get("cancel"), out)
    return out


def grouped(differences: list[Difference], width: int = 150) -> str:
    """The differences grouped by where they are (indices dropped), most frequent first, each with an
    example: a readable summary of hundreds of differences."""
    import json
    from collections import Counter

    counts: Counter[str] = Counter()
    examples: dict[str, Difference] = {}
    for difference in differences:
        where = re.sub(r"\[\d+\]", "[]", difference.where)
        counts[where] += 1
        examples.setdefault(where, difference)

    def shown(value: Any) -> str:
        return json.dumps(value, default=str)[:width]

    return "\n".join(f"{count:4d}  {where}  e.g. {examples[where].step}: agentos={shown(examples[where].agentos)} "
                     f"mock={shown(examples[where].mock)}" for where, count in counts.most_common())


def run_steps(steps: list[dict[str, Any]]) -> int:
    """How many of the steps are runs (POST .../runs and .../continue)."""
    return sum(1 for s in steps if s["request"].startswith("POST") and re.search(r"/runs( |$|/[^/]+/continue)", s["request"]))
