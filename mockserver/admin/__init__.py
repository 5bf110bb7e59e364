"""The generic admin API (``admin.yaml``, under ``/__mockserver/``), for any document: put the state
back to the fixtures, read and empty the request journal. A profile adds an admin document of its
own (the AgentOS profile: its sessions). No web code: Connexion calls these like any handler.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.core.journal import Journal

ADMIN_DOCUMENT = Path(__file__).with_name("admin.yaml")


@dataclass(frozen=True)
class AdminContext:
    journal: Journal
    reset: Callable[[], Awaitable[dict[str, int]]]  # the state's: what the fixtures hold, by kind


async def reset_state(context: AdminContext) -> tuple[dict[str, int], int]:
    return await context.reset(), 200


async def list_requests(context: AdminContext) -> tuple[list[dict[str, Any]], int]:
    return await context.journal.entries(), 200


async def clear_requests(context: AdminContext) -> tuple[None, int]:
    await context.journal.clear()
    return None, 204


ADMIN_HANDLERS: dict[str, Callable[..., Any]] = {
    "reset_state": reset_state, "list_requests": list_requests, "clear_requests": clear_requests}


def admin_handler(operation_id: str, context: AdminContext) -> Callable[..., Any]:
    """The handler of the admin operation ``operation_id`` (``KeyError`` if there is none)."""
    return functools.partial(ADMIN_HANDLERS[operation_id], context)
