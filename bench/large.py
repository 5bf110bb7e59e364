"""Large documents (``bench/data/large/``): the mock's start-up, ``validate`` and memory beside Prism's,
and a default ``mockserver contract`` run against the mock serving each (``bench.contract``).

Per document, one after the other (never two at once, so neither shares the machine with the
other): ``mockserver run`` started on it until it answers a first request, ``mockserver validate``
on it to its end, and ``prism mock`` on it until it answers a first request. Start-up is the time
from spawning the process to its first HTTP answer (any status: the server is up and routes) to
``GET`` of the document's first path without parameters; memory is the peak resident set (VmHWM
of the process group's processes by then; for ``validate``, its last reading before it exits,
polled every ``POLL_PAUSE_SECONDS``). Beside each time, the CPU seconds the process used: on a
machine shared with other work, wall times stretch with the load, CPU times much less. Every wait
is bounded (``DEADLINE_SECONDS``); a run that does not finish in time is
reported as such, its figure missing. Ratios are the mock's over Prism's.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import contract, cpu, prism

FOLDER = Path(__file__).resolve().parent / "data" / "large"
DOCUMENTS = ("asana_oas.yaml", "box-openapi.json", "twilio_api_v2010.json",
             "digitalocean/specification/DigitalOcean-public.v2.yaml")
DEADLINE_SECONDS = 300.0
POLL_PAUSE_SECONDS = 0.05
METHODS = ("get", "put", "post", "delete", "patch")


def document_size(document: Path) -> int:
    """Bytes of ``document``, or of all its folder's files for one written over many (a folder of
    its own in ``FOLDER``, as DigitalOcean's 2,907 files are)."""
    parts = document.relative_to(FOLDER).parts if document.is_relative_to(FOLDER) else (document.name,)
    if len(parts) == 1:
        return document.stat().st_size
    return sum(path.stat().st_size for path in (FOLDER / parts[0]).rglob("*") if path.is_file())


def probe_path(document: Path) -> str:
    """The first ``GET`` path of ``document`` without a path parameter, after the path of its first
    server's URL (where the mock serves it); ``/`` when there is none."""
    from urllib.parse import urlsplit

    from mockserver.core.data_files import parse_data

    parsed = parse_data(document, document.read_text(encoding="utf-8"), RuntimeError)
    base = urlsplit(str(((parsed.get("servers") or [{}])[0]).get("url", ""))).path.rstrip("/")
    for path, item in (parsed.get("paths") or {}).items():
        if "{" not in path and isinstance(item, dict) and "get" in item:
            return base + path
    return base + "/"


def _group_peak_kib(group: int) -> int | None:
    """The sum of the peak resident sets (VmHWM) of the live processes in process group ``group``."""
    total, found = 0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) != group:
                continue
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total, found = total + int(line.split()[1]), True
    return total if found else None


def _answer(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def start_up(argv: list[str], port: int, path: str, log: Path) -> dict[str, Any]:
    """Spawn ``argv`` (a server on ``port``), wait for its first answer to ``GET path``, stop it:
    seconds to that answer, its status, the peak RSS by then."""
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    try:
        while time.perf_counter() - started < DEADLINE_SECONDS and process.poll() is None:
            try:
                status = _answer(port, path)
            except OSError:
                time.sleep(POLL_PAUSE_SECONDS)
                continue
            seconds = time.perf_counter() - started
            peak, used = _group_peak_kib(process.pid), cpu.group_cpu_seconds(process.pid)
            return {"seconds": round(seconds, 2), "cpu_s": round(used, 2) if used is not None else None,
                    "status": status, "peak_rss_mb": round(peak / 1024, 1) if peak else None}
        ended = "exited" if process.poll() is not None else f"no answer within {DEADLINE_SECONDS:g} s"
        return {"seconds": None, "error": f"{ended}: {log.read_text(errors='replace')[-300:].strip()}"}
    finally:
        _stop(process)


def validate(document: Path, log: Path) -> dict[str, Any]:
    """``mockserver validate`` on ``document``: seconds, exit code, peak RSS, its summary line."""
    argv = [sys.executable, "-m", "mockserver", "validate", str(document)]
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    peak = None  # the child's ru_maxrss would count the bench's own memory, which it forked from
    while time.perf_counter() - started < DEADLINE_SECONDS:
        peak = _group_peak_kib(process.pid) or peak
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            last = (log.read_text(errors="replace").strip().splitlines() or [""])[-1]
            return {"seconds": round(time.perf_counter() - started, 2),
                    "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "exit_code": process.returncode,
                    "peak_rss_mb": round(peak / 1024, 1) if peak else None, "summary": last[-200:]}
        time.sleep(POLL_PAUSE_SECONDS)
    _stop(process)
    return {"seconds": None, "error": f"not finished within {DEADLINE_SECONDS:g} s"}


def _ratio(mock: Any, peer: Any) -> float | None:
    measured = isinstance(mock, (int, float)) and isinstance(peer, (int, float)) and peer
    return round(mock / peer, 2) if measured else None


def measure_document(document: Path, logs: Path, with_prism: bool, contract_time: int | None = None,
                     with_contract: bool = True) -> dict[str, Any]:
    from bench.targets import free_port

    path = probe_path(document)
    port = free_port()
    mock = start_up([sys.executable, "-m", "mockserver", "run", "--port", str(port), "--spec", str(document)],
                    port, path, logs / f"large-mock-{document.stem}.log")
    checked = validate(document, logs / f"large-validate-{document.stem}.log")
    contracted = contract.measure(document, logs, path, contract_time) if with_contract else None
    peer: dict[str, Any] | None = None
    if with_prism:
        port = free_port()
        peer = start_up([str(prism.executable()), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "silent",
                         str(document)], port, path, logs / f"large-prism-{document.stem}.log")
    prism_seconds, prism_rss = (peer or {}).get("seconds"), (peer or {}).get("peak_rss_mb")
    return {
        "size_mb": round(document_size(document) / 1e6, 2), "probe": f"GET {path}",
        "mock_start": mock, "mock_validate": checked, "prism_start": peer, "contract": contracted,
        "ratios": {"start mock/prism": _ratio(mock.get("seconds"), prism_seconds),
                   "start CPU mock/prism": _ratio(mock.get("cpu_s"), (peer or {}).get("cpu_s")),
                   "validate mock/prism start": _ratio(checked.get("seconds"), prism_seconds),
                   "start RSS mock/prism": _ratio(mock.get("peak_rss_mb"), prism_rss),
                   "validate RSS mock/prism": _ratio(checked.get("peak_rss_mb"), prism_rss)},
    }


def measure(logs: Path, documents: tuple[str, ...] = DOCUMENTS, contract_time: int | None = None,
            with_contract: bool = True) -> dict[str, Any]:
    """Every document in turn; Prism's figures when Prism is (or can be) installed; a contract run
    per document unless not ``with_contract`` (``contract_time``: its --max-time, None: the default)."""
    try:
        version: str | None = prism.ensure_installed()
        reason = None
    except prism.PrismUnavailable as exc:
        version, reason = None, str(exc)
    results = {}
    for name in documents:
        print(f"bench: large document {name}", flush=True)
        results[name] = measure_document(FOLDER / name, logs, with_prism=version is not None,
                                         contract_time=contract_time, with_contract=with_contract)
    return {"prism": version, "prism_unavailable": reason, "deadline_s": DEADLINE_SECONDS,
            "documents": results}


def _figure(run: dict[str, Any] | None, key: str) -> str:
    if run is None:
        return "-"
    value = run.get(key)
    return f"{value:g}" if value is not None else "failed"


COLUMNS = (("mock start", "mock_start", "seconds"), ("CPU", "mock_start", "cpu_s"),
           ("RSS", "mock_start", "peak_rss_mb"), ("validate", "mock_validate", "seconds"),
           ("CPU", "mock_validate", "cpu_s"), ("RSS", "mock_validate", "peak_rss_mb"),
           ("prism start", "prism_start", "seconds"), ("CPU", "prism_start", "cpu_s"),
           ("RSS", "prism_start", "peak_rss_mb"))


def _width(title: str) -> int:
    return max(len(title) + 2, 8)


def lines(result: dict[str, Any]) -> list[str]:
    """The measurement as printed: a row per document (seconds, CPU seconds, MB), then its ratios."""
    peer = result["prism"] or "unavailable: " + str(result["prism_unavailable"])
    titles = "".join(f"{title:>{_width(title)}}" for title, _, _ in COLUMNS)
    rows = [f"large documents: start-up (spawn to first answer), validate, peak RSS; beside Prism {peer}",
            f"  {'(s, CPU s, MB)':<24}{'MB':>5}{titles}"]
    for name, row in result["documents"].items():
        rows.append(f"  {name:<24}{row['size_mb']:>5}" + "".join(
            f"{_figure(row[run], key):>{_width(title)}}" for title, run, key in COLUMNS))
        ratios = ", ".join(f"{key} {value}x" for key, value in row["ratios"].items() if value is not None)
        rows.append(f"  {'':<24}ratios: {ratios or 'none measured'}")
        for what, run in (("mock start", row["mock_start"]), ("validate", row["mock_validate"]),
                          ("prism start", row["prism_start"])):
            if run is not None and run.get("error"):
                rows.append(f"  {'':<24}{what}: {run['error'][:200]}")
        rows.extend(contract_lines(row.get("contract")))
    return rows


def contract_lines(run: dict[str, Any] | None) -> list[str]:
    """A document's contract run, as printed under its row."""
    if run is None:
        return []
    if run.get("seconds") is None:
        return [f"  {'':<24}contract: {run.get('error', 'failed')[:200]}"]
    budget = f"--max-time {run['budget_s']}" if run["budget_s"] is not None else "default --max-time"
    return [f"  {'':<24}contract ({budget}): {run['seconds']:g} s, CPU {run['cpu_s']:g} s (mock "
            f"{run['mock_cpu_s']:g} s), exit {run['exit_code']}, {run['cases']} cases, "
            f"{run['checks']} checks",
            *([f"  {'':<24}  {run['time_line']}"] if run.get("time_line") else [])]


if __name__ == "__main__":
    chosen = tuple(sys.argv[1:]) or DOCUMENTS
    out = Path(__file__).resolve().parent / "results" / "logs"
    out.mkdir(parents=True, exist_ok=True)
    measured = measure(out, chosen)
    print("\n".join(lines(measured)))
    print(json.dumps(measured, indent=2))
