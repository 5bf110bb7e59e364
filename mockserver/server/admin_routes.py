"""The admin API as served under ``/__mockserver/``: the generic document and the profile's as one,
each operation routed to its handler, the generic admin API's or the profile's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockserver.admin import ADMIN_DOCUMENT, ADMIN_HANDLERS, AdminContext
from mockserver.admin import admin_handler as generic_handler
from mockserver.config import Config
from mockserver.core.combined import combine
from mockserver.core.spec import Spec
from mockserver.core.spec_loading import load_spec
from mockserver.errors import SpecError
from mockserver.profile import ProfileState


def admin_documents(config: Config, profile: ProfileState | None) -> list[Spec]:
    """The admin API (the generic document and the profile's, as one: Connexion serves one API per
    base path), each operation checked to have a handler (``SpecError`` naming the first that has
    not)."""
    if not config.admin:
        return []
    documents = [load_spec(ADMIN_DOCUMENT)]
    if profile is not None and profile.admin_document is not None:
        documents.append(load_spec(profile.admin_document))
    for document in documents:
        for operation in document.operations():
            try:
                admin_handler(operation.key, profile, None)
            except KeyError:
                raise SpecError(f"{document.path}: {operation.pointer}/operationId: no handler for "
                                f"operationId {operation.operation_id!r}") from None
    return [combine(documents).combined]


def admin_handler(key: str, profile: ProfileState | None,
                  context: AdminContext | None) -> Callable[..., Any]:
    """The handler of the admin operation ``key``: the generic admin API's, else the profile's
    (``KeyError`` where neither has one)."""
    if key in ADMIN_HANDLERS:
        return generic_handler(key, context)  # type: ignore[arg-type]
    if profile is None:
        raise KeyError(key)
    return profile.handler(key)
