"""``mockserver contract`` over a large document (``bench/data/large/``), against the mock serving it.

Per document: ``mockserver run`` on it (its own process, on a free loopback port), then a default
``mockserver contract --url ... --spec DOCUMENT`` (``--max-examples`` 100, the default ``--max-time``
unless the bench is given ``--contract-time``) to its end, then the mock is stopped. Reported: the
contract's wall time and the CPU seconds of its process and of the mock's, its exit status (1: the
mock's answers break the document somewhere, or its examples do), how many cases and checks ran,
and its summary's time line (what the budget cut). Every wait is bounded (``DEADLINE_SECONDS`` past
the budget).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import cpu
from mockserver.config import Config

SLACK_SECONDS = 120.0  # past the budget: loading the document, the cases in flight when it ran out
CASES = re.compile(r"^(\d+) cases; responses", re.MULTILINE)


def _checks(summary: str) -> int:
    """Checks run: the per-check table's passed and failed columns, summed."""
    total = 0
    for line in summary.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit() and line.startswith("  "):
            total += int(parts[1]) + int(parts[2])
    return total


def _start_mock(document: Path, port: int, probe: str, log: Path) -> subprocess.Popen[bytes] | None:
    """``mockserver run`` on ``document``, once it answers ``GET probe`` (None: it did not, in time)."""
    from bench.large import DEADLINE_SECONDS, POLL_PAUSE_SECONDS, _answer, _stop

    argv = [sys.executable, "-m", "mockserver", "run", "--port", str(port), "--spec", str(document)]
    with log.open("w") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    started = time.perf_counter()
    while time.perf_counter() - started < DEADLINE_SECONDS and process.poll() is None:
        try:
            _answer(port, probe)
            return process
        except OSError:
            time.sleep(POLL_PAUSE_SECONDS)
    _stop(process)
    return None


def measure(document: Path, logs: Path, probe: str, budget: int | None) -> dict[str, Any]:
    """A default contract run over ``document`` against the mock serving it (``probe``: a path it
    answers once up); ``budget``: its ``--max-time``, None for the default."""
    from bench.large import _stop
    from bench.targets import free_port

    port = free_port()
    log = logs / f"large-contract-{document.stem}.log"
    mock = _start_mock(document, port, probe, logs / f"large-contract-mock-{document.stem}.log")
    if mock is None:
        return {"seconds": None, "error": "the mock did not start"}
    bounded = ["--max-time", str(budget)] if budget is not None else []
    argv = [sys.executable, "-m", "mockserver", "contract", "--url", f"http://127.0.0.1:{port}",
            "--spec", str(document), "--seed", "1", *bounded]
    deadline = (budget or Config().max_time) + SLACK_SECONDS
    try:
        mock_cpu_before = cpu.group_cpu_seconds(mock.pid) or 0.0
        with log.open("w") as out:
            started = time.perf_counter()
            process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
            while time.perf_counter() - started < deadline:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.2)
            else:
                os.killpg(process.pid, 9)
                process.wait(10)
                return {"seconds": None, "error": f"not finished within {deadline:g} s", "command": argv}
        seconds = time.perf_counter() - started
        mock_cpu = (cpu.group_cpu_seconds(mock.pid) or 0.0) - mock_cpu_before
    finally:
        _stop(mock)
    summary = log.read_text(errors="replace")
    cases = CASES.search(summary)
    time_line = next((line for line in summary.splitlines() if line.startswith("time: ")), None)
    return {"seconds": round(seconds, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "mock_cpu_s": round(mock_cpu, 1), "exit_code": os.waitstatus_to_exitcode(status),
            "cases": int(cases.group(1)) if cases else None, "checks": _checks(summary),
            "budget_s": budget, "time_line": time_line, "command": " ".join(argv[1:])}
