"""What the pytest plugin's fixtures hand a test: a running mock's URL and the headers a request
to it needs, and its admin API as methods (state reset, a collection's items read and put, the
request journal; an AgentOS mock's sessions), with the assertions of ``pytest_assertions``."""

from __future__ import annotations

import json
from typing import Any

from mockserver.pytest_assertions import Verifying


class RunningMock(Verifying):
    """A running mock: its ``url``, and its admin API as methods."""

    def __init__(self, url: str, security_key: str | None) -> None:
        import httpx

        self._expected = []
        self.url = url
        self.security_key = security_key
        headers = {"Authorization": f"Bearer {security_key}"} if security_key else {}
        self._admin = httpx.Client(base_url=f"{url}/__mockserver", headers=headers, timeout=10.0)

    @property
    def headers(self) -> dict[str, str]:
        """What a request to the mock needs (the bearer token, when a key is set)."""
        return {"Authorization": f"Bearer {self.security_key}"} if self.security_key else {}

    def reset(self) -> None:
        """State back to the fixtures, and an empty request journal."""
        self._admin.post("/reset").raise_for_status()
        self._admin.delete("/requests").raise_for_status()

    def items(self, collection: str, *scope: str) -> list[dict[str, Any]]:
        """The items of ``collection`` (its path without the leading ``/``: ``pets``)."""
        response = self._admin.get(f"/collections/{collection}/items", params={"scope": list(scope)})
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()
        return items

    def put_item(self, collection: str, item_id: str, item: dict[str, Any], *scope: str) -> dict[str, Any]:
        """Add or replace an item, validated like a fixture item; the item as stored."""
        response = self._admin.put(f"/collections/{collection}/items/{item_id}", json=item,
                                   params={"scope": list(scope)})
        response.raise_for_status()
        stored: dict[str, Any] = response.json()
        return stored

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """Requests made to the mock since the test began, oldest first; with ``filters`` (the
        journal's: ``operation``, ``method``, ``path``, ``status``, ``since``, ``body_contains``,
        JSON text or a value), those that match."""
        if "body_contains" in filters and not isinstance(filters["body_contains"], str):
            filters["body_contains"] = json.dumps(filters["body_contains"])
        response = self._admin.get("/requests", params=filters)
        response.raise_for_status()
        requests: list[dict[str, Any]] = response.json()
        return requests

    def close(self) -> None:
        self._admin.close()


class AgentOSMock(RunningMock):
    """The AgentOS mock: a ``RunningMock`` whose sessions can be read too."""

    def sessions(self, **filters: str) -> list[dict[str, Any]]:
        """Current sessions, filtered by ``db_id``, ``type`` or ``user_id``."""
        response = self._admin.get("/sessions", params=filters)
        response.raise_for_status()
        sessions: list[dict[str, Any]] = response.json()
        return sessions
