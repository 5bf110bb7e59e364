"""The suite's shared mocks (``tests.conftest.shared_mock``): one built mock per configuration is
handed to test after test, so each must get it as a freshly built one would be: what an earlier
test changed (state, journal, collections, the context's clock, a store's method) is undone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.agentos.handlers.context import utc_now
from mockserver.config import Config
from tests.conftest import FIXTURES, SESSIONS, SPECS, shared_mock
from tests.inline_client import InlineClient

AGENT = f"/sessions/{SESSIONS['agent'][0]}"
CONFIG = Config(specs=SPECS, fixtures=FIXTURES, journal_size=7)


@pytest.mark.slow
def test_a_shared_mock_is_handed_out_as_a_freshly_built_one() -> None:
    mock = shared_mock(CONFIG)
    fresh_name = InlineClient(mock.app).get(AGENT).json()["session_name"]
    fresh_agents = InlineClient(mock.app).get("/agents").json()

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("left behind by an earlier test")

    client = InlineClient(mock.app)
    assert client.patch(AGENT, json={"session_name": "Changed"}).status_code == 200
    mock.profile.context.clock = lambda: datetime(2000, 1, 1, tzinfo=UTC)
    mock.profile.context.store.get = broken
    asyncio.run(mock.engine.store.replace_all([]))

    again = shared_mock(CONFIG)
    assert again is mock  # built once
    assert again.profile.context.clock is utc_now and "get" not in vars(again.profile.context.store)
    client = InlineClient(again.app)
    assert client.get("/__mockserver/requests").json() == []
    assert client.get(AGENT).json()["session_name"] == fresh_name
    assert client.get("/agents").json() == fresh_agents


def test_a_configuration_naming_files_outside_the_repository_is_built_afresh(tmp_path: Any) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPECS[0].read_text())
    config = Config(specs=(spec,))
    assert shared_mock(config) is not shared_mock(config)
