"""The real `mockserver run` process: banner, state over HTTP, clean stop, fail-fast start-up."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import FIXTURES, SPEC_PATH

DEADLINE_SECONDS = 20


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mockserver", "run", "--port", "0", "--spec", str(SPEC_PATH), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )


def read_banner(process: subprocess.Popen) -> str:
    """Read stdout until the banner's URL appears, polling with a deadline (never sleeping)."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + DEADLINE_SECONDS
    text = ""
    while time.monotonic() < deadline:
        if selector.select(timeout=max(0.0, deadline - time.monotonic())):
            line = process.stdout.readline()
            if not line:
                break
            text += line
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", text)
            if match:
                return match.group(1)
    process.kill()
    pytest.fail(f"no banner within {DEADLINE_SECONDS}s; stdout={text!r} stderr={process.stderr.read()!r}")


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen, str]]:
    process = start("--fixtures", str(FIXTURES))
    try:
        yield process, read_banner(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(DEADLINE_SECONDS)


def test_serves_state_over_http_and_stops_cleanly_on_sigint(server: tuple[subprocess.Popen, str]) -> None:
    process, url = server
    with httpx.Client(base_url=url, timeout=DEADLINE_SECONDS) as http:
        renamed = http.patch("/sessions/agent-research-001", json={"session_name": "Over HTTP"})
        assert renamed.status_code == 200 and renamed.json()["session_name"] == "Over HTTP"
        again = http.patch("/sessions/agent-research-001", json={"metadata": {"seen": True}})
        assert again.json()["session_name"] == "Over HTTP"
    process.send_signal(signal.SIGINT)
    assert process.wait(DEADLINE_SECONDS) == 0
    stderr = process.stderr.read()
    assert "Traceback" not in stderr


def test_banner_counts_sessions_by_type(tmp_path: Path) -> None:
    process = start("--fixtures", str(FIXTURES), "--security-key", "k")
    try:
        read_banner(process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(DEADLINE_SECONDS) == 0
        out = process.stdout.read()
    finally:
        process.kill()
    # The rest of the banner follows the URL line.
    assert "13 sessions (5 agent, 4 team, 4 workflow)" in out
    assert "main-db (default), support-db" in out and "bearer token required" in out


def test_a_bad_fixture_stops_start_up_naming_file_session_and_field(tmp_path: Path) -> None:
    bad = {"db_id": "db", "sessions": [{"type": "team", "session_id": "t1", "session_name": 42}]}
    (tmp_path / "teams.yaml").write_text(yaml.safe_dump(bad))
    process = start("--fixtures", str(tmp_path))
    out, err = process.communicate(timeout=DEADLINE_SECONDS)
    assert process.returncode == 1
    assert out == ""  # nothing was served: the banner comes only after a successful bind
    assert re.fullmatch(r"mockserver: error: .*teams\.yaml: sessions\[0\]: field 'session_name' of session "
                        r"'t1' must be of type string \(got integer\)\n", err), err
