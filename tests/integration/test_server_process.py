"""The real `mockserver run` process: banner, state over HTTP, clean stop, fail-fast start-up."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import FIXTURES, SPECS
from tests.processes import DEADLINE_SECONDS, ServerProcess

pytestmark = pytest.mark.process


def start(*args: str) -> ServerProcess:
    specs = [f"--spec={path}" for path in SPECS]
    argv = [sys.executable, "-m", "mockserver", "run", "--port", "0", *specs, *args]
    return ServerProcess(argv, r"listening on (http://127\.0\.0\.1:\d+)", {**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture
def server() -> Iterator[ServerProcess]:
    process = start("--fixtures", str(FIXTURES))
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop(signal.SIGKILL)


def test_serves_state_over_http_and_stops_cleanly_on_sigint(server: ServerProcess) -> None:
    with httpx.Client(base_url=str(server.url), timeout=DEADLINE_SECONDS) as http:
        renamed = http.patch("/sessions/agent-research-001", json={"session_name": "Over HTTP"})
        assert renamed.status_code == 200 and renamed.json()["session_name"] == "Over HTTP"
        again = http.patch("/sessions/agent-research-001", json={"metadata": {"seen": True}})
        assert again.json()["session_name"] == "Over HTTP"
    assert server.stop(signal.SIGINT) == 0
    assert "Traceback" not in server.output()


def test_banner_counts_sessions_by_type() -> None:
    process = start("--fixtures", str(FIXTURES), "--security-key", "k")
    try:
        process.wait_ready()
    finally:
        assert process.stop() == 0
    out = process.output()
    assert "13 sessions (5 agent, 4 team, 4 workflow)" in out
    assert "main-db (default), support-db" in out and "the security key required" in out


def test_a_bad_fixture_stops_start_up_naming_file_session_and_field(tmp_path: Path) -> None:
    bad = {"db_id": "db", "sessions": [{"type": "team", "session_id": "t1", "session_name": 42}]}
    (tmp_path / "teams.yaml").write_text(yaml.safe_dump(bad))
    process = start("--fixtures", str(tmp_path))
    assert process.process.wait(DEADLINE_SECONDS) == 1
    out = process.output()
    assert "listening" not in out  # nothing was served: the banner comes only after a successful bind
    assert re.fullmatch(r"mockserver: error: .*teams\.yaml: sessions\[0\]: field 'session_name' of session "
                        r"'t1' must be of type string \(got integer\)\n", out), out


def test_a_documents_problems_are_warned_of_once_it_serves(tmp_path: Path) -> None:
    from tests.unit.test_spec import FLAWED

    document = tmp_path / "flawed.yaml"
    document.write_text(FLAWED)
    argv = [sys.executable, "-m", "mockserver", "run", "--port", "0", f"--spec={document}"]
    process = ServerProcess(argv, r"listening on (http://127\.0\.0\.1:\d+)", {**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = process.wait_ready()
        assert httpx.get(f"{url}/pets", timeout=DEADLINE_SECONDS).status_code == 200  # served meanwhile
        done = "the documents were validated while serving: 1 warning"
        deadline = time.monotonic() + DEADLINE_SECONDS
        while done not in process.output() and time.monotonic() < deadline:
            time.sleep(0.05)  # polling the output, with a deadline
        output = process.output()
    finally:
        process.stop()
    assert done in output, output
    assert "mockserver: warning: " in output and "properties/name/required: must be of type array" in output
    assert output.index("listening on") < output.index("properties/name/required")
