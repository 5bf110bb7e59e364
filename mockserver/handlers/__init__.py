"""One handler per operationId, looked up by ``HANDLERS``.

A handler is an async function taking the app's ``HandlerContext`` first and then the request's
parameters as plain keyword arguments (Connexion passes them by name); it returns the response
body and status. Handlers raise the mock's ``ApiError``s and never build error JSON, nor
re-validate what Connexion validated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from mockserver.core.spec import Operation, Spec
from mockserver.handlers import admin, listing, runs, sessions
from mockserver.handlers.context import HandlerContext

# The sessions API (openapi/agentos-sessions.yaml and agentos-sessions-2.3.16.yaml): served by these
# wherever the served documents define these operationIds; every other operation by the engine.
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
# The admin API (openapi/mockserver-admin.yaml), only ever bound to that document.
ADMIN_HANDLERS: dict[str, Callable[..., Any]] = {
    "reset_state": admin.reset_state,
    "list_sessions": admin.list_sessions,
    "put_session": admin.put_session,
    "list_requests": admin.list_requests,
    "clear_requests": admin.clear_requests,
}
HANDLERS = {**SESSION_HANDLERS, **ADMIN_HANDLERS}


def bind(operation_id: str, context: HandlerContext) -> Callable[..., Any]:
    """The handler of ``operation_id`` with ``context`` bound (``KeyError`` if there is none)."""
    return functools.partial(HANDLERS[operation_id], context)


def dedicated_operations(spec: Spec) -> Iterator[Operation]:
    """The operations of the served ``spec`` that a dedicated handler serves."""
    return (operation for operation in spec.operations() if operation.operation_id in SESSION_HANDLERS)


def unhandled_operations(spec: Spec) -> Iterator[Operation]:
    """The admin operations of ``spec`` the mock has no handler for (start-up asks)."""
    return (operation for operation in spec.operations() if operation.operation_id not in ADMIN_HANDLERS)


__all__ = ["ADMIN_HANDLERS", "HANDLERS", "SESSION_HANDLERS", "HandlerContext", "bind", "dedicated_operations",
           "unhandled_operations"]
