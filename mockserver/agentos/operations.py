"""Which operations are AgentOS's session operations: recognised by method, path and schemas, so
that another API reusing an operationId (``create_session`` on ``POST /login/sessions``) is left
to the engine."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from mockserver.core.spec import Operation, Spec

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
# The run operations: method, path, and the form schema their request body names (none to cancel).
RUN_OPERATIONS: dict[str, tuple[str, str, frozenset[str]]] = {
    "create_agent_run": ("post", "/agents/{agent_id}/runs", frozenset({"Body_create_agent_run"})),
    "create_team_run": ("post", "/teams/{team_id}/runs", frozenset({"Body_create_team_run"})),
    "create_workflow_run": ("post", "/workflows/{workflow_id}/runs", frozenset({"Body_create_workflow_run"})),
    "continue_agent_run": ("post", "/agents/{agent_id}/runs/{run_id}/continue",
                           frozenset({"Body_continue_agent_run"})),
    "cancel_agent_run": ("post", "/agents/{agent_id}/runs/{run_id}/cancel", frozenset()),
    "cancel_team_run": ("post", "/teams/{team_id}/runs/{run_id}/cancel", frozenset()),
    "cancel_workflow_run": ("post", "/workflows/{workflow_id}/runs/{run_id}/cancel", frozenset()),
}
# FastAPI reads a form in either encoding, whichever the document lists.
FORM_ENCODINGS = ("multipart/form-data", "application/x-www-form-urlencoded")
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


def session_operations(spec: Spec) -> Iterator[Operation]:
    """The operations of the served ``spec`` that a dedicated handler serves: AgentOS's session
    operations, recognised by method, path and schemas."""
    return (operation for operation in spec.operations() if is_session_operation(spec, operation))


def is_run_operation(spec: Spec, operation: Operation) -> bool:
    """Whether ``operation`` is AgentOS's run operation of its operationId (method, path, form)."""
    wanted = RUN_OPERATIONS.get(operation.operation_id or "")
    if wanted is None or (operation.method, operation.path) != wanted[:2]:
        return False
    return _named_schemas(operation.definition.get("requestBody")) == wanted[2] and set(
        spec.component_schemas) >= DETAIL


def run_operations(spec: Spec) -> Iterator[Operation]:
    return (operation for operation in spec.operations() if is_run_operation(spec, operation))


def stream_defaults(spec: Spec) -> dict[str, bool]:
    """Run kind -> the default of ``stream`` in its form, as the document declares it."""
    defaults = {}
    for kind in ("agent", "team", "workflow"):
        schema = spec.component_schemas.get(f"Body_create_{kind}_run") or {}
        defaults[kind] = bool(((schema.get("properties") or {}).get("stream") or {}).get("default", True))
    return defaults


def run_encodings(spec: Spec) -> dict[str, tuple[str, ...]]:
    """The run operations taking a form: both encodings, whichever the document lists."""
    return {operation.key: FORM_ENCODINGS for operation in run_operations(spec)
            if operation.definition.get("requestBody")}
