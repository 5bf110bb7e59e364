"""Sessions in fixture form (fixture files, the admin API's PUT) checked and made store records.

A session uses its response schema's field names plus ``type``, ``db_id`` and, optionally, ``runs``:
each run is checked against the run schema it follows (``core.runs``). A session given runs and no
``chat_history`` gets the history AgentOS derives from them. Errors are ``FixtureError``s naming
the session, the run and the field. No web imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.agentos.model import SessionModel
from mockserver.agentos.runs import Run, chat_history, kind_of_run
from mockserver.agentos.sessions import RECORD_KEYS, Record, stored_fields
from mockserver.core.schema import first_error
from mockserver.core.schema_messages import explain
from mockserver.errors import FixtureError

RUN_EXTRA_FIELDS = frozenset({"status"})  # stored by AgentOS, in no run schema; read by chat_history


def build_record(entry: Any, db_id: str | None, model: SessionModel) -> Record:
    """Check one session in fixture form and turn it into a complete store record."""
    if not isinstance(entry, Mapping):
        raise FixtureError("a session is a mapping of field names to values")
    kind = model.kinds.get(entry.get("type"))  # type: ignore[arg-type]
    if kind is None:
        raise FixtureError(f"field 'type' must be one of {', '.join(map(repr, model.kinds))}")
    subject = f"session {entry.get('session_id')!r}"
    db_id = entry.get("db_id", db_id)
    if not isinstance(db_id, str):
        raise FixtureError(f"{subject} has no 'db_id' (set it on the session or the file)")
    unknown = sorted(set(entry) - set(kind.properties) - set(RECORD_KEYS))
    if unknown:
        raise FixtureError(f"{subject}: unknown field {unknown[0]!r} for a {kind.name} session")
    fields = {k: v for k, v in entry.items() if k not in RECORD_KEYS}
    if "agent_session_id" in kind.properties:
        fields.setdefault("agent_session_id", fields.get("session_id"))
        if fields["agent_session_id"] != fields.get("session_id"):
            raise FixtureError(f"{subject}: 'agent_session_id' must equal 'session_id'")
    runs = checked_runs(entry.get("runs"), kind.name, subject, model)
    if runs and "chat_history" in kind.properties and "chat_history" not in fields:
        fields["chat_history"] = chat_history(runs)
    error = first_error(model.spec.validator(kind.schema_pointer), fields)
    if error is not None:
        raise FixtureError(explain(error, subject))
    return kind.complete(stored_fields(kind, fields), db_id, runs)


def checked_runs(runs: Any, session_type: str, subject: str, model: SessionModel) -> list[Run]:
    """``runs`` of a session in fixture form, each checked against its run schema."""
    if runs is None:
        return []
    if not isinstance(runs, list):
        raise FixtureError(f"{subject}: 'runs' must be a list of runs")
    if runs and not model.run_kinds:
        raise FixtureError(f"{subject}: the served documents define no run schemas, so no runs")
    for index, run in enumerate(runs):
        where = f"{subject}: runs[{index}]"
        if not isinstance(run, Mapping):
            raise FixtureError(f"{where}: a run is a mapping of field names to values")
        run_kind = model.run_kinds.get(shown_as := kind_of_run(run, session_type))
        if run_kind is None:
            raise FixtureError(f"{where}: the served documents define no {shown_as} run schema")
        unknown = sorted(set(run) - set(run_kind.properties) - RUN_EXTRA_FIELDS)
        if unknown:
            raise FixtureError(f"{where}: unknown field {unknown[0]!r} for a {run_kind.schema_name}")
        error = first_error(run_kind.validator, {k: v for k, v in run.items() if k not in RUN_EXTRA_FIELDS})
        if error is not None:
            raise FixtureError(explain(error, f"runs[{index}] of {subject} ({run_kind.schema_name})"))
    return [dict(run) for run in runs]

