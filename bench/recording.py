"""Proxy latency while recording: ``mockserver proxy`` with and without ``--record DIR``, in front
of one mock, each asked for ``SESSIONS`` sessions of about 3.9 MB in a row (the recorder's case of
issue 19: it used to rewrite its whole YAML file on the event loop after each, and an unrelated
request waited 2.7 s, then 5.7 s, up to 36 s) while a second client sends ``GET /health`` through
the same proxy back to back, until a second after the last session arrived (when the recorder's
files are written). Both proxies run side by side and take ``ROUNDS`` turns each, alternating.
Reported, as medians of the rounds: the GETs' p50, p99 and slowest, and the time the reads took;
then each proxy's shutdown (the recorder's pending writes), the sessions in the file it left, and
the ratios recording / not.

``python -m bench.recording`` runs it alone (about 40 s); ``python -m bench`` runs it after the
targets unless given ``--no-recording``. The mock and both proxies are child processes on loopback
ports, their output in ``<out>/logs/``; the mock starts on a generated fixture file holding the
large sessions (``<out>/logs/recording-upstream/``).
"""

from __future__ import annotations

import http.client
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.targets import READY_DEADLINE_SECONDS, ROOT, free_port
from mockserver.agentos.fixtures import load_fixtures
from mockserver.agentos.model import SessionModel
from mockserver.config import Config
from mockserver.core.combined import load_specs

SESSIONS = 8
NOTES = 32_000  # strings of about 120 bytes in each session's state: about 3.9 MB, under CHECKED_BYTES
AFTER_READS_SECONDS = 1.0
ROUNDS = 3  # per proxy, alternating
FIGURES = ("p50_ms", "p99_ms", "max_ms", "reads_s")  # per round; the report gives their medians
PROXIES = ("proxy", "proxy --record")
HEADERS = {"Authorization": "Bearer bench-key"}


def write_upstream_fixtures(folder: Path) -> None:
    notes = [f"note {i}: " + "lorem ipsum dolor sit amet " * 4 for i in range(NOTES)]
    sessions = [{"type": "agent", "session_id": f"large-{i}", "session_name": f"Large session {i}",
                 "session_state": {"notes": notes}} for i in range(SESSIONS)]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    document = {"db_id": "main-db", "default": True, "sessions": sessions}
    (folder / "large.json").write_text(json.dumps(document))


def get(port: int, path: str, timeout: float = 60.0) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def start(argv: list[str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Spawn a server on a free port; return once ``GET /health`` answers 200."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen([*argv, "--port", str(port)], cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if get(port, "/health", 2.0) == 200:
                return process, port
        except OSError:
            time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"{' '.join(argv[3:5])} did not answer GET /health in time: see {log}")


def probe_while_reading(port: int) -> dict[str, Any]:
    """GET /health back to back while another client reads the large sessions in a row."""
    read: dict[str, Any] = {}

    def read_in_a_row() -> None:
        started = time.perf_counter()
        statuses = [get(port, f"/sessions/large-{i}") for i in range(SESSIONS)]
        read.update(seconds=time.perf_counter() - started, ok=statuses == [200] * SESSIONS)

    reader = threading.Thread(target=read_in_a_row)
    latencies: list[float] = []
    errors, until = 0, None
    reader.start()
    while until is None or time.perf_counter() < until:
        started = time.perf_counter()
        errors += get(port, "/health") != 200
        latencies.append((time.perf_counter() - started) * 1000)
        if until is None and not reader.is_alive():
            until = time.perf_counter() + AFTER_READS_SECONDS
    reader.join()
    ordered = sorted(latencies)
    return {"probes": len(ordered), "errors": errors, "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
            "max_ms": round(ordered[-1], 2), "reads_s": round(read["seconds"], 2), "reads_ok": read["ok"]}


def loaded_sessions(folder: Path) -> list[dict[str, Any]]:
    """The sessions ``mockserver run --fixtures folder`` would start with."""
    model = SessionModel.from_spec(load_specs(Config().specs).combined)
    return load_fixtures(folder, model).records


def summary(measured: list[dict[str, Any]], shutdown_s: float) -> dict[str, Any]:
    row: dict[str, Any] = {figure: statistics.median(r[figure] for r in measured) for figure in FIGURES}
    row.update(probes=sum(r["probes"] for r in measured), errors=sum(r["errors"] for r in measured),
               reads_ok=all(r["reads_ok"] for r in measured), shutdown_s=shutdown_s)
    return row


def measure(logs: Path) -> dict[str, Any]:
    """Both proxies in front of one mock, in alternating rounds; the medians and their ratios."""
    logs.mkdir(parents=True, exist_ok=True)
    write_upstream_fixtures(logs / "recording-upstream")
    recorded = logs / "recording-recorded"
    shutil.rmtree(recorded, ignore_errors=True)
    python = [sys.executable, "-m", "mockserver"]
    mock = start([*python, "run", "--fixtures", str(logs / "recording-upstream"), "--log-level", "warning"],
                 logs / "recording-upstream.log")
    proxies: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in PROXIES}
    shutdowns: dict[str, float] = {}
    try:
        for name in PROXIES:
            extra = ["--record", str(recorded)] if name.endswith("--record") else []
            proxies[name] = start([*python, "proxy", "--upstream", f"http://127.0.0.1:{mock[1]}", *extra],
                                  logs / f"recording-{name.replace(' --', '-')}.log")
        for _ in range(ROUNDS):
            for name, (_, port) in proxies.items():
                rounds[name].append(probe_while_reading(port))
    finally:
        for name, (process, _) in [*proxies.items(), ("mock", mock)]:
            stopping = time.perf_counter()
            process.terminate()
            process.wait(60)
            shutdowns[name] = round(time.perf_counter() - stopping, 2)
    result: dict[str, Any] = {"sessions": SESSIONS, "rounds": ROUNDS}
    result.update({name: summary(rounds[name], shutdowns[name]) for name in PROXIES})
    result["proxy --record"]["recorded_sessions"] = len(loaded_sessions(recorded))
    upstream_file = json.loads((logs / "recording-upstream" / "large.json").read_text())
    result["session_mb"] = round(len(json.dumps(upstream_file["sessions"][0])) / 1e6, 2)
    plain, recording = result["proxy"], result["proxy --record"]
    result["ratios"] = {f"recording/plain {figure}": round(recording[figure] / plain[figure], 2)
                        for figure in FIGURES if plain[figure]}
    return result


def lines(result: dict[str, Any]) -> list[str]:
    """The measurement as printed: a row per proxy, then the ratios."""
    rows = [f"proxy latency while recording: GET /health while {result['sessions']} sessions of "
            f"{result['session_mb']} MB are read through the proxy (medians of {result['rounds']} rounds)",
            f"  {'':<16}{'probes':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'reads s':>9}{'shutdown s':>12}"]
    for name in PROXIES:
        row = result[name]
        rows.append(f"  {name:<16}{row['probes']:>7}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
                    f"{row['max_ms']:>9.2f}{row['reads_s']:>9.2f}{row['shutdown_s']:>12.2f}")
    recorded = result["proxy --record"]["recorded_sessions"]
    ratios = ", ".join(f"{key} {value}x" for key, value in result["ratios"].items())
    rows.append(f"  recorded {recorded} of {result['sessions']} sessions; {ratios}")
    return rows


if __name__ == "__main__":
    print("\n".join(lines(measure(Path(__file__).resolve().parent / "results" / "logs"))))
