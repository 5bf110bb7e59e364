"""``GET /sessions`` (``get_sessions``): a page of sessions with the spec's pagination metadata.

Pages count from 1 (``page=0`` is the first page, as in AgentOS). AgentOS answers a ``limit``
outside 1..100 or a negative ``page`` with a 500, because its own response schema allows no such
``meta``; the mock answers 422, naming the parameter (docs/agentos-deviations.md).
"""

from __future__ import annotations

import math
from typing import Any

from mockserver.core.listing import SessionQuery
from mockserver.errors import ValidationFailed
from mockserver.handlers.context import HandlerContext
from mockserver.handlers.sessions import database_for

MAX_LIMIT = 100  # PaginationInfo.limit's maximum in the spec


async def get_sessions(context: HandlerContext, type: str = "agent", component_id: str | None = None,
                       user_id: str | None = None, session_name: str | None = None,
                       limit: int | None = 20, page: int | None = 1, sort_by: str | None = "created_at",
                       sort_order: str | None = "desc", db_id: str | None = None,
                       table: str | None = None) -> tuple[dict[str, Any], int]:
    limit = 20 if limit is None else limit
    page = 1 if page is None else page
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"query parameter 'limit' must be between 1 and {MAX_LIMIT} (got {limit})")
    if page < 0:
        raise ValidationFailed(f"query parameter 'page' must be at least 0 (got {page})")
    database = await database_for(context, db_id)
    query = SessionQuery(type, user_id=user_id, component_id=component_id, session_name=session_name,
                         sort_by=sort_by, descending=sort_order != "asc", offset=max(page - 1, 0) * limit,
                         limit=limit)
    records, total = await context.store.query(database, query)
    meta = {"page": page, "limit": limit, "total_pages": math.ceil(total / limit), "total_count": total,
            "search_time_ms": 0.0}
    return {"data": [context.model.list_item(record) for record in records], "meta": meta}, 200
