"""A session's runs: ``GET /sessions/{id}/runs`` and ``GET /sessions/{id}/runs/{run_id}``.

Each run is shown by the schema AgentOS picks (``core.runs.kind_of_run``): a team session's runs are
team runs and its members' agent runs. A list leaves out null fields, one run shows them, as
AgentOS 2.3.17 does; its 404 texts are AgentOS's too.
"""

from __future__ import annotations

from typing import Any

from mockserver.agentos.errors import RunsNotFound
from mockserver.agentos.handlers.context import HandlerContext
from mockserver.agentos.runs import created_between, kind_of_run


async def get_session_runs(context: HandlerContext, session_id: str, type: str = "agent",
                           user_id: str | None = None, created_after: int | None = None,
                           created_before: int | None = None, db_id: str | None = None,
                           table: str | None = None) -> tuple[list[dict[str, Any]], int]:
    database = await context.database_for(db_id)
    record = await context.find_session(database, session_id, context.kinds[type], user_id,
                                lambda: RunsNotFound.no_session(session_id))
    runs = created_between(record["runs"], created_after, created_before)
    kinds = context.model.run_kinds
    return [kinds[kind_of_run(run, record["type"])].render(run, omit_none=True) for run in runs], 200


async def get_session_run(context: HandlerContext, session_id: str, run_id: str, type: str = "agent",
                          user_id: str | None = None, db_id: str | None = None) -> tuple[dict[str, Any], int]:
    database = await context.database_for(db_id)
    record = await context.find_session(database, session_id, context.kinds[type], user_id,
                                lambda: RunsNotFound.no_session(session_id))
    if not record["runs"]:
        raise RunsNotFound.no_runs(session_id)
    run = next((run for run in record["runs"] if run.get("run_id") == run_id), None)
    if run is None:
        raise RunsNotFound.no_run(session_id, run_id)
    return context.model.run_kinds[kind_of_run(run)].render(run, omit_none=False), 200
