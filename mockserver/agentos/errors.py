"""AgentOS's own error answers: their texts are agno 2.3.17's (``{"detail": ..., "error_code": ...}``,
rendered by the one renderer like every ``ApiError``)."""

from __future__ import annotations

from mockserver.errors import BadRequest, NotFound


class SessionNotFound(NotFound):
    def __init__(self, session_id: str):
        super().__init__(f"Session with id '{session_id}' not found")


class TypedSessionNotFound(NotFound):
    """AgentOS's 404 when a session is read with its ``type``: ``Agent Session with id ...``."""

    def __init__(self, session_type: str, session_id: str):
        super().__init__(f"{session_type.title()} Session with id '{session_id}' not found")


class RunsNotFound(NotFound):
    """AgentOS's 404s on a session's runs (its texts say ``ID``)."""

    @classmethod
    def no_session(cls, session_id: str) -> RunsNotFound:
        return cls(f"Session with ID {session_id} not found")

    @classmethod
    def no_runs(cls, session_id: str) -> RunsNotFound:
        return cls(f"Session with ID {session_id} has no runs")

    @classmethod
    def no_run(cls, session_id: str, run_id: str) -> RunsNotFound:
        return cls(f"Run with ID {run_id} not found in session {session_id}")


class DatabaseNotFound(NotFound):
    def __init__(self, db_id: str):
        super().__init__(f"No database found with id '{db_id}'")


class DatabaseRequired(BadRequest):
    def __init__(self) -> None:
        super().__init__("The db_id query parameter is required when using multiple databases")


class ComponentNotFound(NotFound):
    """AgentOS's 404 for a run of an unknown agent, team or workflow: ``Agent not found``."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind.title()} not found")


class RunNotFound(NotFound):
    def __init__(self, run_id: str) -> None:
        super().__init__(f"Run {run_id} not found")
