"""--watch: a changed fixture file reloads the state; a bad one is reported and the state kept."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from mockserver.config import Config
from mockserver.server.app import build_mock
from mockserver.server.watch import FixtureWatcher
from tests.conftest import SPECS
from tests.integration.test_server_process import start
from tests.processes import DEADLINE_SECONDS


def write_sessions(directory: Path, name: str, *, mtime: int | None = None) -> None:
    path = directory / "teams.yaml"
    path.write_text(yaml.safe_dump({"db_id": "db", "sessions": [
        {"type": "team", "session_id": "t1", "session_name": name}]}))
    if mtime is not None:  # force a visible change even within one clock tick
        os.utime(path, ns=(mtime, mtime))


def names(mock: Any) -> list[str]:
    return [r["session_name"] for r in asyncio.run(mock.profile.context.store.all())]


def test_a_changed_file_reloads_and_a_bad_one_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_sessions(tmp_path, "First", mtime=1_000_000_000)
    mock = build_mock(Config(specs=SPECS, fixtures=tmp_path, watch=True))
    watcher = FixtureWatcher(tmp_path, mock.state.reload)
    assert asyncio.run(watcher.check()) is False  # nothing changed yet

    write_sessions(tmp_path, "Second", mtime=2_000_000_000)
    assert asyncio.run(watcher.check()) is True
    assert names(mock) == ["Second"] and mock.profile.context.fixtures.records[0]["session_name"] == "Second"

    (tmp_path / "teams.yaml").write_text("db_id: db\nsessions:\n  - {type: team, session_id: t1, session_name: 7}\n")
    assert asyncio.run(watcher.check()) is False
    assert names(mock) == ["Second"]
    assert "field 'session_name' of session 't1' must be of type string (got integer)" in caplog.text


@pytest.mark.process
def test_the_running_server_picks_up_an_edited_file(tmp_path: Path) -> None:
    write_sessions(tmp_path, "Before")
    process = start("--fixtures", str(tmp_path), "--watch")
    try:
        url = process.wait_ready()
        with httpx.Client(base_url=url, timeout=DEADLINE_SECONDS) as http:
            assert http.patch("/sessions/t1?type=team", json={}).json()["session_name"] == "Before"
            write_sessions(tmp_path, "After", mtime=3_000_000_000)
            seen, deadline = "Before", time.monotonic() + DEADLINE_SECONDS
            for _ in range(5000):  # poll the server, bounded in count and time
                seen = http.patch("/sessions/t1?type=team", json={}).json()["session_name"]
                if seen == "After" or time.monotonic() > deadline:
                    break
            assert seen == "After"
    finally:
        assert process.stop() == 0
