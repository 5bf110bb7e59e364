"""What the served documents say a session and a run are: the spec with its session and run kinds.

Read once at start from the combined documents; handlers, fixtures and the admin API share it.
No web imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mockserver.core.runs import RunKind, run_kinds
from mockserver.core.sessions import SessionKind, session_kinds
from mockserver.core.spec import Spec


@dataclass(frozen=True)
class SessionModel:
    spec: Spec
    kinds: Mapping[str, SessionKind]
    run_kinds: Mapping[str, RunKind]  # empty when the documents define no run schemas

    @classmethod
    def from_spec(cls, spec: Spec) -> SessionModel:
        """``SpecError`` when a session kind's response schema is missing."""
        return cls(spec, session_kinds(spec), run_kinds(spec))
