"""`make fuzz`: Schemathesis and hand-made hostile bodies against a running mock, and its memory.

Rounds of `mockserver contract` runs (random ids, and one fixture session of each type pinned;
every check, both generation modes) against `mockserver run` until at least ``--requests``
requests were made; then hostile bodies (deep nesting, huge strings, invalid UTF-8, NUL bytes,
duplicate keys, 1e999, ...), none of which may get a 5xx or a body outside the spec's error shape;
then (``tests.fuzz_wider``) the proxy in front of the mock and the engine on each real-world
document, and hostile request targets to the mock and the proxy: no 5xx.
With ``--memory``, the server's resident memory after 100,000 more requests must stay within 20 %
of that after 10,000. Prints one summary line; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import sys
from collections import Counter
from pathlib import Path

import httpx

from mockserver.agentos.pins import PinnedSession
from tests.fuzz_wider import wider_failures
from tests.processes import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
SPECS = (ROOT / "openapi" / "agentos-sessions.yaml", ROOT / "openapi" / "agentos-sessions-2.3.16.yaml")
SESSIONS = [PinnedSession("agent", "agent-research-001", "main-db"),
            PinnedSession("team", "team-triage-002", "main-db"),
            PinnedSession("workflow", "workflow-report-001", "main-db")]
MAX_ROUNDS = 50
HOSTILE = [
    b"[" * 100_000, b"{" * 50_000, b'{"session_state": ' + b'{"a": ' * 200 + b"1" + b"}" * 201,
    b'{"session_name": "' + b"x" * 900_000 + b'"}', b'{"session_name": "' + b"x" * 1_100_000 + b'"}',
    b'{"session_name": "\xff\xfe"}', b"\xc3\x28",
    b'{"session_name": "a\x00b"}', b'{"session_name": "\\u0000"}', b'{"a": 1, "a": 2, "session_name": "dup"}',
    b'{"metadata": {"n": 1e999}}', b'{"metadata": {"n": -1e999}}', b'{"metadata": {"n": NaN}}',
    b'{"metadata": {"n": Infinity}}', b"1" * 10_000, b'{"session_state": {"n": ' + b"9" * 5000 + b"}}",
    b'{"summary": {"x": "\\ud800"}}', b"\xef\xbb\xbf{}", b"", b" ", b"null", b"true", b'"str"',
    b'{"session_name": "' + "é".encode() * 1000 + b'"}', b"{" + b'"k": 1,' * 10_000 + b'"k": 2}',
]


def start_mock(key: str) -> ServerProcess:
    argv = [sys.executable, "-m", "mockserver", "run", "--port", "0", f"--security-key={key}",
            "--log-level", "warning"]
    server = ServerProcess(argv, r"listening on (http://127\.0\.0\.1:\d+)")
    server.wait_ready()
    return server


def hostile_failures(url: str, key: str, statuses: Counter[int]) -> list[str]:
    failures = []
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        for body in HOSTILE:
            response = http.patch("/sessions/agent-research-001", content=body)
            statuses[response.status_code] += 1
            shape_ok = response.status_code == 200 or set(response.json()) == {"detail", "error_code"}
            if response.status_code >= 500 or not shape_ok:
                failures.append(f"hostile body {body[:40]!r}...: {response.status_code} {response.text[:100]}")
    return failures


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def hammer(url: str, key: str, requests: int, concurrency: int = 16) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    per_worker = requests // concurrency

    async def worker(index: int) -> None:
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            for n in range(per_worker):
                await http.patch("/sessions/agent-research-001", json={"session_state": {"w": index, "n": n}})

    await asyncio.gather(*(worker(i) for i in range(concurrency)))


def memory_failures(server: ServerProcess, url: str, key: str) -> tuple[list[str], str]:
    pid = server.process.pid
    asyncio.run(hammer(url, key, 10_000))
    after_10k = resident_kib(pid)
    asyncio.run(hammer(url, key, 90_000))
    after_100k = resident_kib(pid)
    growth = (after_100k - after_10k) / after_10k
    note = f"RSS {after_10k} KiB after 10k requests, {after_100k} KiB after 100k ({growth:+.1%})"
    return ([f"memory grew more than 20 %: {note}"] if growth > 0.20 else []), note


def fuzz(min_requests: int, seed: int, memory: bool = False, wider: bool = True) -> tuple[int, str]:
    from mockserver.contract.runner import run_contract  # Schemathesis: not for `make test-fast`

    key = secrets.token_urlsafe(16)
    server = start_mock(key)
    url = str(server.url)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    try:
        for round_seed in range(seed, seed + MAX_ROUNDS):
            report = run_contract(SPECS, url, key, SESSIONS, max_examples=max(25, min_requests // 4), seed=round_seed)
            statuses.update(report.statuses)
            failures += [f"{f.check}: {f.title} ({f.run}): {f.curl}" for f in report.failures.values()]
            failures += report.errors
            if sum(statuses.values()) >= min_requests:
                break
        generated = sum(statuses.values())
        failures += hostile_failures(url, key, statuses)
        memory_note = ""
        if memory:
            memory_failures_found, memory_note = memory_failures(server, url, key)
            failures += memory_failures_found
    finally:
        exit_status = server.stop()
    if exit_status != 0 or "Traceback" in server.output():
        failures.append(f"server exited {exit_status}: {server.output()[-1000:]}")
    if wider:
        failures += wider_failures(SPECS, SESSIONS, key, max(5, min_requests // 200), seed, statuses)
    total = sum(statuses.values())
    summary = (f"fuzz: {total} requests ({generated} generated against the mock, {len(HOSTILE)} hostile "
               f"bodies{', then the proxy, the real-world documents and hostile targets' if wider else ''}), statuses "
               + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
               + f"; {len(failures)} failures" + (f"; {memory_note}" if memory_note else ""))
    for failure in failures:
        print(f"FAILURE {failure}")
    return len(failures), summary


def status_counts(summary: str) -> dict[int, int]:
    """The statuses of a ``fuzz`` summary as numbers: "statuses 200: 5580, 413: 1; ..." -> {200: 5580, 413: 1}."""
    found = re.search(r"statuses ((?:\d{3}: \d+)(?:, \d{3}: \d+)*)(?:;|$)", summary)
    if found is None:
        raise ValueError(f"no status counts in {summary!r}")
    return {int(status): int(n) for status, n in re.findall(r"(\d{3}): (\d+)", found.group(1))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="generated requests, at least")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory", action="store_true", help="also check memory over 100,000 requests")
    args = parser.parse_args(argv)
    failures, summary = fuzz(args.requests, args.seed, args.memory)
    print(summary)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
