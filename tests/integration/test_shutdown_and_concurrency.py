"""Under load: clean shutdown with in-flight requests finished; concurrent writers lose nothing."""

from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.integration.test_server_process import start
from tests.processes import DEADLINE_SECONDS

pytestmark = [pytest.mark.process, pytest.mark.slow]

IN_FLIGHT = 8


@pytest.fixture(params=["memory", "redis-2-workers"])
def store_args(request: pytest.FixtureRequest, redis_prefix: str) -> tuple[str, ...]:
    """How the server keeps its state: in its one process, or on Redis shared by two workers."""
    if request.param == "memory":
        return ()
    url = request.getfixturevalue("redis_server").url
    return ("--store", url, "--store-prefix", redis_prefix, "--workers", "2")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_load_finishes_in_flight_requests_and_exits_0(sig: int, store_args: tuple[str, ...]
                                                                       ) -> None:
    server = start("--fixtures", str(FIXTURES), *store_args)
    url = server.wait_ready()
    all_sent = threading.Barrier(IN_FLIGHT + 1, timeout=DEADLINE_SECONDS)

    def slow_rename(index: int) -> int:
        hooks: dict[str, list[Any]] = {"request": [lambda request: all_sent.wait()]}
        with httpx.Client(base_url=url, timeout=DEADLINE_SECONDS, event_hooks=hooks) as http:
            return http.patch("/sessions/agent-research-001", json={"session_name": f"in flight {index}"},
                              headers={"Prefer": "delay=1500"}).status_code

    try:
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            futures = [pool.submit(slow_rename, index) for index in range(IN_FLIGHT)]
            all_sent.wait()
            # A quick request on a fresh connection: once it is answered, the slow ones were read.
            assert httpx.patch(f"{url}/sessions/team-triage-002?type=team", json={}).status_code == 200
            signalled = time.monotonic()
            server.process.send_signal(sig)
            statuses = [future.result(timeout=DEADLINE_SECONDS) for future in futures]
        assert statuses == [200] * IN_FLIGHT  # every in-flight request was answered
        assert server.process.wait(DEADLINE_SECONDS) == 0
        assert time.monotonic() - signalled < 5.0
        assert "Traceback" not in server.output()
    finally:
        server.stop(signal.SIGKILL)


CLIENTS = 32
LOAD_SECONDS = 10.0


def test_concurrent_writers_lose_no_acknowledged_update(store_args: tuple[str, ...]) -> None:
    server = start("--fixtures", str(FIXTURES), "--log-level", "warning", *store_args)
    url = server.wait_ready()
    try:
        with httpx.Client(base_url=url, timeout=DEADLINE_SECONDS) as admin:
            for client in range(CLIENTS):
                created = admin.put(f"/__mockserver/sessions/client-{client}",
                                    json={"type": "agent", "session_name": f"Client {client}"})
                assert created.status_code == 201
            admin.put("/__mockserver/sessions/shared", json={"type": "team", "session_name": "Shared"})
        acked: dict[int, int] = {}
        renamed: dict[int, str] = {}
        failures: list[str] = []
        counts = [0] * CLIENTS
        stop_at = time.monotonic() + LOAD_SECONDS

        def write(client: int) -> None:
            with httpx.Client(base_url=url, timeout=DEADLINE_SECONDS) as http:
                for n in range(1, 1_000_000):  # bounded in count, and by time below
                    if time.monotonic() > stop_at:
                        return
                    state = {"client": client, "n": n}
                    response = http.patch(f"/sessions/client-{client}", json={"session_state": state})
                    counts[client] += 1
                    if response.status_code != 200 or response.json()["session_state"] != state:
                        failures.append(f"client {client}: {response.status_code} {response.text[:100]}")
                        return
                    acked[client] = n
                    if n % 4 == 0:
                        name = f"renamed by {client} ({n})"
                        rename = http.patch("/sessions/shared?type=team", json={"session_name": name})
                        counts[client] += 1
                        if rename.status_code != 200:
                            failures.append(f"rename {client}: {rename.status_code}")
                            return
                        renamed[client] = name

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(write, range(CLIENTS)))
        assert failures == []
        with httpx.Client(base_url=url, timeout=DEADLINE_SECONDS) as admin:
            sessions = {s["session_id"]: s for s in admin.get("/__mockserver/sessions?db_id=main-db").json()}
        for client in range(CLIENTS):
            assert sessions[f"client-{client}"]["session_state"] == {"client": client, "n": acked[client]}
        assert sessions["shared"]["session_name"] in set(renamed.values())
        total = sum(counts)
        kind = "redis, 2 workers" if store_args else "memory"
        print(f"\nconcurrency ({kind}): {CLIENTS} clients, {total} requests "
              f"in {LOAD_SECONDS:g} s "
              f"({total / LOAD_SECONDS:.0f}/s), {len(renamed)} clients renamed the shared session, 0 lost")
    finally:
        assert server.stop() == 0
    log = server.output()
    assert "ERROR" not in log and "Traceback" not in log, log[-2000:]
