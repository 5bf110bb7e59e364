"""`make fuzz`, wider: the proxy in front of the mock, and the generic engine on the real-world
documents (tests/data/specs/real-world), driven by Schemathesis; then hostile request targets sent
as written to the mock and the proxy. What must not happen here is a server error (5xx) or an exit
with a traceback: the real-world documents' own contract failures (inherent ones, counted by
tests/conformance/test_real_world_schemathesis.py) are not this run's business.
"""

from __future__ import annotations

import socket
import sys
from collections import Counter
from pathlib import Path

from mockserver.agentos.pins import PinnedSession
from tests.processes import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
REAL_WORLD = sorted((ROOT / "tests" / "data" / "specs" / "real-world").glob("*.yaml"))
HOSTILE_TARGETS = [
    "*", "*@127.0.0.1:9/pwn", "@127.0.0.1:9/pwn", "127.0.0.1:9", "http://127.0.0.1:9/sessions",
    "//127.0.0.1:9/x", "/x/../sessions", "/%2e%2e/sessions", "/docs/../sessions", "/__mockserver/../x",
    "/sessions/a%0Ab", "/sessions/%00", "/sessions/%ff%fe", "/sessions/" + "a" * 8000, "/sessions?%zz=1",
    "/sessions?limit=" + "9" * 5000, "/sessions/%2F..%2F", "/\\..\\sessions", "/sessions#frag",
]


def start(*args: str) -> ServerProcess:
    server = ServerProcess([sys.executable, "-m", "mockserver", *args, "--port", "0", "--log-level", "warning"],
                           r"(?:listening on|proxy on) (http://127\.0\.0\.1:\d+)")
    server.wait_ready()
    return server


def server_errors(statuses: Counter[int], label: str, report_statuses: Counter[int]) -> list[str]:
    statuses.update(report_statuses)
    errors = sum(n for status, n in report_statuses.items() if status >= 500)
    return [f"{label}: {errors} server errors"] if errors else []


def raw_status(url: str, target: str) -> int:
    host, port = url.removeprefix("http://").split(":")
    head = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode("latin-1")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else 0


def stopped(server: ServerProcess, label: str) -> list[str]:
    status = server.stop()
    if status != 0 or "Traceback" in server.output():
        return [f"{label} exited {status}: {server.output()[-1000:]}"]
    return []


def wider_failures(specs: tuple[Path, ...], sessions: list[PinnedSession], key: str, examples: int, seed: int,
                   statuses: Counter[int], documents: list[Path] = REAL_WORLD) -> list[str]:
    """The proxy (in front of a mock of ``specs``) and the engine on each of ``documents``."""
    from mockserver.contract.runner import run_contract  # Schemathesis: not for `make test-fast`

    failures: list[str] = []
    mock = start("run", f"--security-key={key}")
    proxy = start("proxy", "--upstream", str(mock.url), f"--security-key={key}")
    try:
        report = run_contract(specs, str(proxy.url), key, sessions, max_examples=examples, seed=seed)
        failures += server_errors(statuses, "proxy", report.statuses) + report.errors
        for url, label in ((str(mock.url), "mock"), (str(proxy.url), "proxy")):
            for target in HOSTILE_TARGETS:
                status = raw_status(url, target)
                statuses[status] += 1
                if status >= 500 or status == 0:
                    failures.append(f"{label}: GET {target[:60]} answered {status or 'nothing'}")
    finally:
        failures += stopped(proxy, "proxy") + stopped(mock, "mock")
    for document in documents:
        engine = start("run", "--spec", str(document))
        try:
            report = run_contract((document,), str(engine.url), key, [], max_examples=examples, seed=seed)
            failures += server_errors(statuses, document.stem, report.statuses) + report.errors
        finally:
            failures += stopped(engine, document.stem)
    return failures
