"""The mock on a real Redis: state shared by workers and kept across restarts, one namespace per
prefix, the fixtures loaded into an empty prefix (or on --reset-on-start), a clear start-up error
when Redis cannot be reached, a 503 in the spec's error shape when it goes away, recovery when it
is back, and a worker killed with SIGKILL leaving the other answering and no partial record."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from mockserver.stores.redis_client import glob_escaped, key_space
from tests.conftest import FIXTURES
from tests.integration.test_server_process import start
from tests.processes import DEADLINE_SECONDS, ServerProcess
from tests.redis_server import RedisServer, free_port, start_redis

pytestmark = pytest.mark.process

AGENT = "/sessions/agent-research-001"


def start_on(url: str, prefix: str, *args: str) -> ServerProcess:
    return start("--fixtures", str(FIXTURES), "--store", url, "--store-prefix", prefix, "--log-level",
                 "warning", *args)


def session_name(url: str) -> str:
    return str(httpx.get(f"{url}{AGENT}", timeout=DEADLINE_SECONDS).json()["session_name"])


def rename(url: str, name: str) -> None:
    response = httpx.patch(f"{url}{AGENT}", json={"session_name": name}, timeout=DEADLINE_SECONDS)
    assert response.status_code == 200, response.text


def test_a_restart_keeps_the_state_and_reset_on_start_restores_the_fixtures(
        redis_server: RedisServer, redis_prefix: str) -> None:
    first = start_on(redis_server.url, redis_prefix)
    url = first.wait_ready()
    fixture_name = session_name(url)
    rename(url, "Kept across a restart")
    assert first.stop() == 0
    assert "fixtures loaded (the prefix was empty)" in first.output()

    again = start_on(redis_server.url, redis_prefix)
    try:
        assert session_name(again.wait_ready()) == "Kept across a restart"
        assert "state kept from earlier runs" in again.output()
    finally:
        assert again.stop() == 0
    reset = start_on(redis_server.url, redis_prefix, "--reset-on-start")
    try:
        assert session_name(reset.wait_ready()) == fixture_name
    finally:
        reset.stop()


def test_two_prefixes_on_one_redis_do_not_see_each_other_even_when_one_begins_the_other(
        redis_server: RedisServer, redis_prefix: str) -> None:
    # The other's prefix begins with the one's and what followed it in the one's keys (its sessions' "s:").
    one, other = start_on(redis_server.url, redis_prefix), start_on(redis_server.url, redis_prefix + "s:")
    try:
        one_url, other_url = one.wait_ready(), other.wait_ready()
        rename(one_url, "Only in one")
        assert session_name(other_url) != "Only in one"
        httpx.post(f"{other_url}/memories", json={"memory": "m", "user_id": "u"}, timeout=DEADLINE_SECONDS)
        assert httpx.post(f"{one_url}/__mockserver/reset", timeout=DEADLINE_SECONDS).status_code == 200
        assert session_name(one_url) != "Only in one"
        assert len(httpx.get(f"{other_url}/memories", timeout=DEADLINE_SECONDS).json()["data"]) == 1
    finally:
        one.stop()
        other.stop()


def test_two_workers_share_the_state_and_the_journal(redis_server: RedisServer, redis_prefix: str) -> None:
    server = start_on(redis_server.url, redis_prefix, "--workers", "2")
    try:
        url = server.wait_ready()
        assert "workers   2 processes on one port" in server.output()
        assert len(workers_of(server)) == 2
        for n in range(20):  # a new connection each: the kernel hands them to either worker
            rename(url, f"Name {n}")
            assert session_name(url) == f"Name {n}"
        deadline = time.monotonic() + DEADLINE_SECONDS
        journaled = 0
        while journaled < 40 and time.monotonic() < deadline:  # the other worker's last batch may trail
            journal = httpx.get(f"{url}/__mockserver/requests", timeout=DEADLINE_SECONDS).json()
            journaled = len([entry for entry in journal if entry["path"] == AGENT])
        assert journaled == 40
    finally:
        assert server.stop() == 0


def test_an_unreachable_store_stops_the_start_with_one_line_naming_the_url(redis_prefix: str) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    server = start_on(url, redis_prefix)
    assert server.process.wait(DEADLINE_SECONDS) == 1
    lines = server.output().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mockserver: error: cannot reach the store at {url}")


def test_losing_redis_answers_503_in_the_error_shape_and_the_mock_recovers(redis_prefix: str) -> None:
    redis = start_redis()
    server = start_on(redis.url, redis_prefix)
    try:
        url = server.wait_ready()
        redis.stop()
        lost = httpx.get(f"{url}{AGENT}", timeout=DEADLINE_SECONDS)
        assert lost.status_code == 503
        assert lost.json()["error_code"] == "SERVICE_UNAVAILABLE" and "Redis" in lost.json()["detail"]
        engine = httpx.get(f"{url}/agents/research-agent", timeout=DEADLINE_SECONDS)
        assert engine.status_code == 503 and "Redis" in engine.text
        back = start_redis(port=redis.port)  # empty: no persistence
        try:
            assert httpx.get(f"{url}{AGENT}", timeout=DEADLINE_SECONDS).status_code == 404
            assert httpx.post(f"{url}/__mockserver/reset", timeout=DEADLINE_SECONDS).status_code == 200
            assert httpx.get(f"{url}{AGENT}", timeout=DEADLINE_SECONDS).status_code == 200
        finally:
            back.close()
    finally:
        server.stop()
        redis.close()
    assert "Traceback" not in server.output()


def test_a_full_redis_answers_507_in_the_error_shape_and_the_mock_writes_again_once_it_has_room(
        redis_prefix: str) -> None:
    redis = start_redis()  # its own: its maxmemory changes
    server = start_on(redis.url, redis_prefix)
    client = redis.client()
    try:
        url = server.wait_ready()
        assert "bounds    Redis's own (its maxmemory)" in server.output()
        client.config_set("maxmemory", 1)  # full (and the default policy evicts nothing)
        full = httpx.patch(f"{url}{AGENT}", json={"session_name": "No room"}, timeout=DEADLINE_SECONDS)
        assert full.status_code == 507, full.text
        assert full.json()["error_code"] == "INSUFFICIENT_STORAGE" and "maxmemory" in full.json()["detail"]
        engine = httpx.post(f"{url}/memories", json={"memory": "m"}, timeout=DEADLINE_SECONDS)
        assert engine.status_code == 507 and "maxmemory" in engine.text
        assert session_name(url) != "No room"  # reads go on
        client.config_set("maxmemory", 0)
        rename(url, "Room again")
        assert session_name(url) == "Room again"
    finally:
        client.close()
        server.stop()
        redis.close()
    assert "Traceback" not in server.output()


def workers_of(server: ServerProcess) -> list[int]:
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def test_kill_9_of_one_worker_leaves_the_other_answering_and_no_partial_record(
        redis_server: RedisServer, redis_prefix: str) -> None:
    server = start_on(redis_server.url, redis_prefix, "--workers", "2")
    stop = threading.Event()
    created: list[str] = []

    def load() -> None:
        with httpx.Client(base_url=url, timeout=DEADLINE_SECONDS) as http:
            for n in range(100_000):  # bounded in count, and by the event
                if stop.is_set():
                    return
                try:
                    response = http.post("/memories", json={"memory": f"m{n}", "user_id": "load"})
                except httpx.TransportError:
                    continue  # a connection to the killed worker
                if response.status_code in (200, 201):
                    created.append(response.json()["memory_id"])

    try:
        url = server.wait_ready()
        threads = [threading.Thread(target=load) for _ in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + DEADLINE_SECONDS
        while len(created) < 200 and time.monotonic() < deadline:
            time.sleep(0.01)  # waiting for the load to be under way, with a deadline
        killed = workers_of(server)[0]
        os.kill(killed, signal.SIGKILL)
        while killed in workers_of(server) and time.monotonic() < deadline + DEADLINE_SECONDS:
            time.sleep(0.01)  # until the supervisor has reaped it, with a deadline
        after = [httpx.get(f"{url}/agents/research-agent", timeout=DEADLINE_SECONDS).status_code
                 for _ in range(50)]
        stop.set()
        for thread in threads:
            thread.join(DEADLINE_SECONDS)
        assert after == [200] * 50  # fresh connections: the surviving worker answers them all
        listed = httpx.get(f"{url}/memories?limit=100000", timeout=DEADLINE_SECONDS).json()["data"]
        assert set(created) <= {memory["memory_id"] for memory in listed}  # every acknowledged create
        assert f"worker {killed} killed by signal 9: starting another" in server.output()
        print(f"\nkill -9: {len(created)} creates acknowledged under load, all listed after; "
              f"{len(after)} reads after the kill, all 200")
    finally:
        assert server.stop() == 0
    assert_no_partial_record(redis_server, redis_prefix)


def assert_no_partial_record(redis_server: RedisServer, prefix: str) -> None:
    client = redis_server.client()
    keys = [key.decode() for key in client.scan_iter(match=glob_escaped(key_space(prefix)) + "*", count=1000)]
    assert keys, "the mock wrote no key in its key space"
    for key in keys:
        kind = client.type(key).decode()
        values: list[Any] = []
        if kind == "string" and ":s:r:" in key:
            values = [client.get(key)]
        elif kind == "hash":
            values = list(client.hvals(key))
            order = key.replace(":i:h:", ":i:o:")
            assert set(client.zrange(order, 0, -1)) == set(client.hkeys(key)), key
        for value in values:
            assert isinstance(orjson.loads(value), dict), key
    client.close()
