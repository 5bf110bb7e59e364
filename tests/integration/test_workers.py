"""Workers end with their supervisor: a ``--workers 2`` server whose supervisor is killed with
SIGKILL leaves no worker serving, the port is free again, and a new start on it succeeds; the
portable fallback (a pipe whose end the supervisor holds) does it alone, without Linux's
parent-death signal."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.test_redis_store import AGENT, start_on, workers_of
from tests.processes import DEADLINE_SECONDS, ServerProcess
from tests.redis_server import RedisServer

pytestmark = pytest.mark.process


def gone(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie nobody reaped yet counts: it serves nothing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def port_free(port: int) -> bool:
    """Whether the mock could bind ``port`` again (as it binds: SO_REUSEADDR)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_until_gone(pids: list[int], port: int | None = None) -> bool:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if all(map(gone, pids)) and (port is None or port_free(port)):
            return True
        time.sleep(0.05)  # polling for the workers' exit, with a deadline
    return False


def kill_leftovers(pids: list[int]) -> None:
    """Whatever a failed test left running, ended by its id."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_workers_exit_when_their_supervisor_is_killed(redis_server: RedisServer, redis_prefix: str) -> None:
    server = start_on(redis_server.url, redis_prefix, "--workers", "2")
    workers: list[int] = []
    try:
        url = server.wait_ready()
        port = int(url.rsplit(":", 1)[1])
        assert httpx.get(f"{url}{AGENT}", timeout=DEADLINE_SECONDS).status_code == 200
        workers = workers_of(server)
        assert len(workers) == 2
        server.process.kill()
        server.process.wait(DEADLINE_SECONDS)
        assert wait_until_gone(workers, port), f"workers {workers} outlived their supervisor"
        again = start_on(redis_server.url, redis_prefix, "--workers", "2", "--port", str(port))
        try:
            assert again.wait_ready() == url
            assert httpx.get(f"{url}{AGENT}", timeout=DEADLINE_SECONDS).status_code == 200
        finally:
            assert again.stop() == 0
    finally:
        server.stop(signal.SIGKILL)
        kill_leftovers(workers)


# A supervisor of two workers that wait for a signal, without the parent-death signal: only the
# pipe can end them.
FALLBACK_ONLY = """
import signal
from mockserver.server import workers

workers.die_with_parent = lambda: None
workers.supervise(2, lambda: signal.pause() or 0, on_started=lambda: print("started", flush=True))
"""


def test_workers_exit_with_their_supervisor_without_the_parent_death_signal() -> None:
    supervisor = ServerProcess([sys.executable, "-c", FALLBACK_ONLY], r"(started)",
                               {**os.environ, "PYTHONUNBUFFERED": "1"})
    workers: list[int] = []
    try:
        supervisor.wait_ready()
        workers = workers_of(supervisor)
        assert len(workers) == 2
        supervisor.process.kill()
        supervisor.process.wait(DEADLINE_SECONDS)
        assert wait_until_gone(workers), f"workers {workers} outlived their supervisor"
    finally:
        supervisor.stop(signal.SIGKILL)
        kill_leftovers(workers)
    assert "Traceback" not in supervisor.output()
