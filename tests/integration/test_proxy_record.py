"""``mockserver proxy --record DIR`` through a proxy in front of the mock: every database gets a
file of its own that loads back, recording large answers never holds up other requests, and the
command's files are on disk while it runs and complete once it is stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.agentos.recording import sessions_file_name
from mockserver.config import Config
from mockserver.server import build_mock, serve_in_thread
from tests.conftest import FIXTURES, SESSIONS, SPECS
from tests.inline_client import InlineClient
from tests.integration import test_proxy
from tests.integration.test_proxy import Pair, mock_app
from tests.processes import ServerProcess

TIMEOUT = 30
# Database ids that a file name made of the id alone confuses or cannot hold.
pair_of = test_proxy.pair_of  # the fixture: an upstream and the proxy in front of it
HOSTILE_DATABASES = ("a/b", "a:b", "a_b", "é", "ü", ".", "..", "d" * 300)
BIG_SESSIONS = 3
NOTES = [f"note {i}: " + "lorem ipsum dolor sit amet " * 4 for i in range(16_000)]  # about 2 MB a session


def upstream_with(tmp_path: Path, name: str, document: dict[str, Any], bundled: bool) -> Any:
    """The mock on a fixtures folder holding ``document`` (and the bundled fixtures if asked)."""
    folder = tmp_path / "upstream"
    folder.mkdir()
    if bundled:
        for path in FIXTURES.iterdir():
            shutil.copy(path, folder)
    (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return build_mock(Config(specs=SPECS, fixtures=folder)).app


@pytest.mark.server
def test_every_recorded_database_has_a_file_of_its_own_and_loads_back(pair_of: Callable[..., Pair],
                                                                      tmp_path: Path) -> None:
    # One session id in every database, each with its own name: a shared file would keep one.
    sessions = [{"type": "agent", "db_id": db, "session_id": "shared", "session_name": f"in {db[:10]} {i}"}
                for i, db in enumerate(HOSTILE_DATABASES)]
    recorded = tmp_path / "recorded"
    pair = pair_of(upstream_with(tmp_path, "hostile.json", {"sessions": sessions}, bundled=True), record=recorded)
    reads: list[tuple[str, dict[str, str]]] = [(f"/sessions/{SESSIONS['agent'][0]}", {})]
    reads += [("/sessions/shared", {"db_id": db}) for db in HOSTILE_DATABASES]
    answers = []
    for path, params in reads:
        answer = pair.client.get(path, params=params)
        assert answer.status_code == 200, (params, answer.text)
        answers.append(answer.json())
    pair.served.stop()  # the lifespan's shutdown writes what is pending
    files = sorted(p.name for p in recorded.iterdir() if p.name.startswith("sessions-"))
    assert len(files) == len(HOSTILE_DATABASES) + 1 and all(len(name) <= 100 for name in files), files
    replay = InlineClient(build_mock(Config(specs=SPECS, fixtures=recorded)).app)
    for (path, params), answered in zip(reads, answers, strict=True):
        again = replay.get(path, params=params)
        assert again.status_code == 200 and again.json() == answered, (params, again.text)


@pytest.mark.server
def test_an_unrelated_request_answers_while_large_sessions_are_recorded(pair_of: Callable[..., Pair],
                                                                        tmp_path: Path) -> None:
    big = [{"type": "agent", "session_id": f"big-{i}", "session_name": f"big {i}",
            "session_state": {"notes": NOTES}} for i in range(BIG_SESSIONS)]
    document = {"db_id": "main-db", "default": True, "sessions": big}
    recorded = tmp_path / "recorded"
    pair = pair_of(upstream_with(tmp_path, "big.json", document, bundled=False), record=recorded)
    statuses: list[int] = []

    def read_them_in_a_row() -> None:
        with httpx.Client(base_url=pair.served.url, timeout=TIMEOUT) as reader:
            statuses.extend(reader.get(f"/sessions/big-{i}").status_code for i in range(BIG_SESSIONS))

    reading = threading.Thread(target=read_them_in_a_row)
    slowest, probes = 0.0, 0
    with httpx.Client(base_url=pair.served.url, timeout=TIMEOUT) as prober:
        reading.start()
        after = None  # go on probing for a second once the reads are done: files are written after
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (after is None or time.monotonic() < after):
            started = time.monotonic()
            assert prober.get("/health").status_code == 200
            slowest, probes = max(slowest, time.monotonic() - started), probes + 1
            if after is None and not reading.is_alive():
                after = time.monotonic() + 1.0
    reading.join(TIMEOUT)
    assert statuses == [200] * BIG_SESSIONS
    assert probes >= 10 and slowest < 1.0, f"the slowest of {probes} GET /health took {slowest:.2f} s"
    pair.served.stop()
    replay = InlineClient(build_mock(Config(specs=SPECS, fixtures=recorded)).app)
    for i in range(BIG_SESSIONS):
        assert replay.get(f"/sessions/big-{i}").json()["session_state"] == {"notes": NOTES}


def recorded_sessions(folder: Path) -> set[tuple[str, str]]:
    model = build_mock(Config(specs=SPECS, fixtures=folder))
    return {(record["db_id"], record["session_id"]) for record in model.profile.context.fixtures.records}


@pytest.mark.process
def test_the_command_writes_while_it_runs_and_everything_once_stopped(tmp_path: Path) -> None:
    upstream = serve_in_thread(mock_app())
    recorded = tmp_path / "recorded"
    argv = [sys.executable, "-m", "mockserver", "proxy", "--upstream", upstream.url, "--port", "0",
            "--record", str(recorded), "--log-level", "warning", *[f"--spec={path}" for path in SPECS]]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    banner = r"proxy on (http://127\.0\.0\.1:\d+)"
    other, default = ("support-db", "agent-support-002"), ("default", SESSIONS["agent"][0])
    try:
        killed = ServerProcess(argv, banner, environment)
        assert httpx.get(f"{killed.wait_ready()}/sessions/{other[1]}?db_id={other[0]}", timeout=TIMEOUT).is_success
        written, deadline = recorded / sessions_file_name(other[0]), time.monotonic() + TIMEOUT
        while not written.is_file() and time.monotonic() < deadline:
            time.sleep(0.05)  # written in the background, shortly after the answer
        killed.stop(signal.SIGKILL)  # no shutdown: what was written stays, whole
        assert recorded_sessions(recorded) == {other}
        stopped = ServerProcess(argv, banner, environment)
        assert httpx.get(f"{stopped.wait_ready()}/sessions/{default[1]}", timeout=TIMEOUT).is_success
        assert stopped.stop() == 0, stopped.output()  # SIGTERM at once: the shutdown writes what is pending
    finally:
        upstream.stop()
    assert recorded_sessions(recorded) == {other, default}
