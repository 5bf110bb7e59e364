"""The AgentOS profile's handlers: one per operationId, looked up by ``HANDLERS``.

A handler is an async function taking the app's ``HandlerContext`` first and then the request's
parameters as plain keyword arguments (Connexion passes them by name); it returns the response
body and status. Handlers raise the mock's ``ApiError``s and never build error JSON, nor
re-validate what Connexion validated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mockserver.agentos.handlers import admin, listing, runs, runs_control, runs_create, sessions
from mockserver.agentos.handlers.context import HandlerContext

# The sessions API (openapi/agentos-sessions.yaml and agentos-sessions-2.3.16.yaml): served by these
# where the served documents define these operations (``agentos.operations``).
SESSION_HANDLERS: dict[str, Callable[..., Any]] = {
    "get_sessions": listing.get_sessions,
    "create_session": sessions.create_session,
    "delete_sessions": sessions.delete_sessions,
    "get_session_by_id": sessions.get_session_by_id,
    "update_session": sessions.update_session,
    "delete_session": sessions.delete_session,
    "rename_session": sessions.rename_session,
    "get_session_runs": runs.get_session_runs,
    "get_session_run": runs.get_session_run,
}
# Agent, team and workflow runs (openapi/agentos-2.3.16.yaml), where the documents define them.
RUN_HANDLERS: dict[str, Callable[..., Any]] = {
    "create_agent_run": runs_create.create_agent_run,
    "create_team_run": runs_create.create_team_run,
    "create_workflow_run": runs_create.create_workflow_run,
    "continue_agent_run": runs_control.continue_agent_run,
    "cancel_agent_run": runs_control.cancel_agent_run,
    "cancel_team_run": runs_control.cancel_team_run,
    "cancel_workflow_run": runs_control.cancel_workflow_run,
}
# The profile's admin API (agentos/admin-sessions.yaml), only ever bound to that document.
ADMIN_HANDLERS: dict[str, Callable[..., Any]] = {
    "list_sessions": admin.list_sessions,
    "put_session": admin.put_session,
}
HANDLERS = {**SESSION_HANDLERS, **RUN_HANDLERS, **ADMIN_HANDLERS}


def bind(operation_id: str, context: HandlerContext) -> Callable[..., Any]:
    """The handler of ``operation_id`` with ``context`` bound (``KeyError`` if there is none)."""
    return functools.partial(HANDLERS[operation_id], context)


__all__ = ["ADMIN_HANDLERS", "HANDLERS", "RUN_HANDLERS", "SESSION_HANDLERS", "HandlerContext", "bind"]
