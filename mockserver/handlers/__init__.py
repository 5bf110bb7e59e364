"""One handler per operationId, looked up by ``HANDLERS``.

A handler is an async function taking the app's ``HandlerContext`` first and then the request's
parameters as plain keyword arguments (Connexion passes them by name); it returns the response
body and status. Handlers raise the mock's ``ApiError``s and never build error JSON, nor
re-validate what Connexion validated.
"""

from __future__ import annotations

import functools
import json
import re
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


DETAIL = frozenset({"AgentSessionDetailSchema", "TeamSessionDetailSchema", "WorkflowSessionDetailSchema"})
RUNS = frozenset({"RunSchema", "TeamRunSchema", "WorkflowRunSchema"})
# What makes an operation AgentOS's session operation: its method, path, and the schemas its 2xx
# answers and its request body name (as agno 2.3 generates them). An operationId alone is not
# enough: another API's ``POST /login/sessions`` may well be called ``create_session``.
SESSION_OPERATIONS: dict[str, tuple[str, str, frozenset[str], frozenset[str]]] = {
    "get_sessions": ("get", "/sessions", frozenset({"PaginatedResponse_SessionSchema_"}), frozenset()),
    "create_session": ("post", "/sessions", DETAIL, frozenset({"CreateSessionRequest"})),
    "delete_sessions": ("delete", "/sessions", frozenset(), frozenset({"DeleteSessionRequest"})),
    "get_session_by_id": ("get", "/sessions/{session_id}", DETAIL, frozenset()),
    "update_session": ("patch", "/sessions/{session_id}", DETAIL, frozenset({"UpdateSessionRequest"})),
    "delete_session": ("delete", "/sessions/{session_id}", frozenset(), frozenset()),
    "rename_session": ("post", "/sessions/{session_id}/rename", DETAIL, frozenset({"Body_rename_session"})),
    "get_session_runs": ("get", "/sessions/{session_id}/runs", RUNS, frozenset()),
    "get_session_run": ("get", "/sessions/{session_id}/runs/{run_id}", RUNS, frozenset()),
}
SCHEMA_REF = re.compile(r"#/components/schemas/([^\"/]+)")


def _named_schemas(node: Any) -> frozenset[str]:
    return frozenset(SCHEMA_REF.findall(json.dumps(node, default=str)))


def is_session_operation(spec: Spec, operation: Operation) -> bool:
    """Whether ``operation`` is AgentOS's session operation of its operationId (see above)."""
    wanted = SESSION_OPERATIONS.get(operation.operation_id or "")
    if wanted is None or (operation.method, operation.path) != wanted[:2]:
        return False
    answers = {code: answer for code, answer in (operation.definition.get("responses") or {}).items()
               if str(code).startswith("2")}
    named = (_named_schemas(answers), _named_schemas(operation.definition.get("requestBody")))
    return named == wanted[2:] and set(spec.component_schemas) >= DETAIL


def dedicated_operations(spec: Spec) -> Iterator[Operation]:
    """The operations of the served ``spec`` that a dedicated handler serves: AgentOS's session
    operations, recognised by method, path and schemas."""
    return (operation for operation in spec.operations() if is_session_operation(spec, operation))


def unhandled_operations(spec: Spec) -> Iterator[Operation]:
    """The admin operations of ``spec`` the mock has no handler for (start-up asks)."""
    return (operation for operation in spec.operations() if operation.operation_id not in ADMIN_HANDLERS)


__all__ = ["ADMIN_HANDLERS", "HANDLERS", "SESSION_HANDLERS", "HandlerContext", "bind", "dedicated_operations",
           "unhandled_operations"]
