"""``GET /sessions`` (``get_sessions``): a page of sessions with the spec's pagination metadata.

Pages count from 1 (``page=0`` is the first page, as in AgentOS). The spec accepts any integer as
``limit`` and ``page`` but its pagination metadata allows only a ``limit`` of 1 to 100 and a
``page`` of at least 0: AgentOS answers such requests with a 500; the mock accepts them, as the
request schema says, and answers within the response schema, with the limit clamped to 1..100 and a
negative page read as 0 (docs/agentos-deviations.md).
"""

from __future__ import annotations

import math
from typing import Any

from mockserver.agentos.handlers.context import HandlerContext
from mockserver.agentos.listing import SessionQuery

MAX_LIMIT = 100  # PaginationInfo.limit's maximum in the spec


async def get_sessions(context: HandlerContext, type: str = "agent", component_id: str | None = None,
                       user_id: str | None = None, session_name: str | None = None,
                       limit: int | None = 20, page: int | None = 1, sort_by: str | None = "created_at",
                       sort_order: str | None = "desc", db_id: str | None = None,
                       table: str | None = None) -> tuple[dict[str, Any], int]:
    limit = min(max(20 if limit is None else limit, 1), MAX_LIMIT)
    page = max(1 if page is None else page, 0)
    database = await context.database_for(db_id)
    query = SessionQuery(type, user_id=user_id, component_id=component_id, session_name=session_name,
                         sort_by=sort_by, descending=sort_order != "asc", offset=max(page - 1, 0) * limit,
                         limit=limit)
    records, total = await context.store.query(database, query)
    meta = {"page": page, "limit": limit, "total_pages": math.ceil(total / limit), "total_count": total,
            "search_time_ms": 0.0}
    return {"data": [context.model.list_item(record) for record in records], "meta": meta}, 200
