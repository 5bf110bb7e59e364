"""The servers under test: how each starts, what it is loaded with, when it is ready, its memory.

Each target runs as its own process on a free loopback port, with its output sent to a log file
under the results folder, and is loaded with one request (``payload.Request``): the benchmark's
PATCH, or for ``mock-10k-list`` a page of ``GET /sessions``. Readiness is the first 200 to the
benchmark's PATCH whatever the target is loaded with, polled with a deadline; the time from
spawning the process to that answer is the target's cold start.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import cpu, prism
from bench.payload import (
    ENGINE_CREATE_REQUEST,
    ENGINE_READ_REQUEST,
    KEY,
    LIST_REQUEST,
    PATCH_REQUEST,
    Request,
)
from bench.store import store_dir

ROOT = Path(__file__).resolve().parent.parent
READY_DEADLINE_SECONDS = 60.0
POLL_PAUSE_SECONDS = 0.005  # between attempts while the port is still closed


@dataclass(frozen=True)
class TargetSpec:
    name: str
    description: str
    needs_prism: bool = False
    request: Request = PATCH_REQUEST
    needs_store: bool = False  # started on the generated 10,000-session store (bench/store.py)
    workers: int = 0  # > 0: on the run's Redis (bench/redis_server.py), with this many workers
    stream_delay_ms: int | None = None  # a mock for streamed runs (bench/streams.py), with this delay

    def argv(self, port: int, logs: Path, redis_url: str = "redis://127.0.0.1:6379/0") -> list[str]:
        """The command line; ``logs`` is the results' log folder, which holds the generated store."""
        python = sys.executable
        mock = [python, "-m", "mockserver", "run", "--port", str(port), "--security-key", KEY]
        if self.name == "mock-engine-create":  # its rounds create more memories than --max-items allows
            return [*mock, "--max-items", "100000000"]
        if self.stream_delay_ms is not None:  # every run creates a session: more than --max-items allows
            return [*mock, "--max-items", "100000000", "--stream-delay", str(self.stream_delay_ms)]
        if self.name in ("mock", "mock-engine-read"):  # as `make run`, plus a key
            return mock
        if self.workers:
            return [*mock, "--store", redis_url, "--store-prefix", f"bench:{self.name}", "--reset-on-start",
                    "--workers", str(self.workers)]
        if self.needs_store:
            return [*mock, "--fixtures", str(store_dir(logs))]
        if self.name == "connexion":
            return [python, "-m", "bench.ceiling_connexion", str(port)]
        if self.name == "bare":
            return [python, "-m", "bench.ceiling_bare", str(port)]
        if self.name == "proxy":
            return [python, "-m", "bench.proxied", str(port)]
        spec = str(ROOT / "openapi" / "agentos-sessions.yaml")
        quiet = ["-v", "silent"] if self.name == "prism-silent" else []
        return [str(prism.executable()), "mock", "-h", "127.0.0.1", "-p", str(port), *quiet, spec]


TARGETS = {
    "mock": TargetSpec("mock", "the mock as `make run` starts it: validation, bearer auth, stateful PATCH"),
    "prism": TargetSpec("prism", "Prism 5 static mock, as `prism mock spec.yaml` starts it", True),
    "prism-silent": TargetSpec("prism-silent", "Prism 5 with its request log off (-v silent)", True),
    "connexion": TargetSpec("connexion", "ceiling: Connexion 3.3 alone, same spec, auth and validation, "
                                         "constant async handler"),
    "bare": TargetSpec("bare", "ceiling: bare ASGI app under uvicorn returning a fixed session JSON"),
    "mock-engine-read": TargetSpec("mock-engine-read", "the mock as `make run` starts it, loaded with the "
                                   "generic engine's read of a collection item (GET /agents/{id})",
                                   request=ENGINE_READ_REQUEST),
    "mock-engine-create": TargetSpec("mock-engine-create", "the same, loaded with the generic engine's "
                                     "create (POST /memories: id, fitting, store)",
                                     request=ENGINE_CREATE_REQUEST),
    "mock-redis": TargetSpec("mock-redis", "the mock as `make run` starts it, its state on Redis "
                             "(--store redis://...), one worker, loaded with the same PATCH", workers=1),
    "mock-redis-2w": TargetSpec("mock-redis-2w", "the same with two workers (--workers 2)", workers=2),
    "proxy": TargetSpec("proxy", "mockserver proxy in front of the mock (as `mock`), the same PATCH "
                                 "through both: what the proxy adds to a direct call"),
    "mock-10k": TargetSpec("mock-10k", "the mock as `make run` starts it on a generated store of 10,000 "
                                       "sessions, loaded with the same PATCH", needs_store=True),
    "mock-10k-list": TargetSpec("mock-10k-list", "the same, its own process, loaded with GET /sessions "
                                                 "(page of 20, sorted by updated_at)",
                                request=LIST_REQUEST, needs_store=True),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def patch_status(port: int, timeout: float = 2.0) -> int:
    """The status of one benchmark PATCH (OSError while nothing listens)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        request = PATCH_REQUEST
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@dataclass
class RunningTarget:
    spec: TargetSpec
    port: int
    process: subprocess.Popen
    log_path: Path
    cold_start_seconds: float = 0.0
    requests_sent: int = 0

    @property
    def url(self) -> str:
        """The URL of the request the target is loaded with (path and query)."""
        return f"http://127.0.0.1:{self.port}{self.spec.request.path}"

    def cpu_seconds(self) -> float | None:
        """CPU seconds the target's processes (the server and its workers) have used so far."""
        return cpu.group_cpu_seconds(self.process.pid)

    def rss_kib(self) -> int | None:
        """Resident memory of the process, from /proc (None where there is no /proc)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def start(spec: TargetSpec, log_dir: Path, redis_url: str | None = None) -> RunningTarget:
    """Spawn ``spec`` and return once it answered the benchmark's PATCH with a 200.

    ``log_dir`` takes the target's output, and holds the generated store of those that need it
    (``store.write_store`` writes it first).
    """
    port = free_port()
    log_path = log_dir / f"{spec.name}.log"
    with log_path.open("w") as log:
        started = time.perf_counter()
        argv = spec.argv(port, log_dir, redis_url) if redis_url else spec.argv(port, log_dir)
        process = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    target = RunningTarget(spec, port, process, log_path)
    deadline = started + READY_DEADLINE_SECONDS
    status = None
    while time.perf_counter() < deadline and process.poll() is None:
        try:
            status = patch_status(port)
        except OSError:
            time.sleep(POLL_PAUSE_SECONDS)
            continue
        if status == 200:
            target.cold_start_seconds = time.perf_counter() - started
            return target
        break
    target.stop()
    tail = log_path.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"{spec.name} did not answer 200 within {READY_DEADLINE_SECONDS:g}s "
                       f"(last status {status}); its output:\n{tail}")
