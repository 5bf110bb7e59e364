"""One handler per operationId, looked up by ``HANDLERS``.

A handler is an async function taking the app's ``SessionsContext`` first and then the request's
parameters as plain keyword arguments (Connexion passes them by name); it returns the response
body and status. Handlers raise the mock's ``ApiError``s and never build error JSON, nor
re-validate what Connexion validated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import sessions
from .context import SessionsContext

HANDLERS: dict[str, Callable[..., Any]] = {
    "update_session": sessions.update_session,
}


def bind(operation_id: str, context: SessionsContext) -> Callable[..., Any]:
    """The handler of ``operation_id`` with ``context`` bound (``KeyError`` if there is none)."""
    return functools.partial(HANDLERS[operation_id], context)


__all__ = ["HANDLERS", "SessionsContext", "bind"]
