"""Load generators: wrk (Debian's package) when present, else a bounded Python one.

Both keep ``connections`` keep-alive connections busy for ``seconds`` with the benchmark's PATCH
and report requests per second, p50 and p99 latency, and how many answers were not 2xx. The
Python generator is slower than the servers it measures at high rates (it shares the machine), so
the report names the generator used.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.payload import BODY, HEADERS, PATH

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass(frozen=True)
class LoadResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx answers and socket errors


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua() -> str:
    headers = "".join(f'wrk.headers["{name}"] = "{value}"\n' for name, value in HEADERS.items())
    return f'wrk.method = "PATCH"\nwrk.body = [[{BODY.decode()}]]\n{headers}'


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"no {pattern!r} in:\n{text}")
    return match.group(1)


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    """wrk's ``--latency`` report as a ``LoadResult`` (ValueError when it is not one)."""
    requests = int(_find(r"(\d+) requests in", output))
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", output))
    p50 = _milliseconds(_find(r"\s50%\s+(\S+)", output))
    p99 = _milliseconds(_find(r"\s99%\s+(\S+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return LoadResult(requests, rps, p50, p99, errors)


def run_wrk(url: str, connections: int, seconds: float) -> LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "patch.lua")
        script.write_text(_lua())
        argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                "-s", str(script), url]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed (exit {out.returncode}): {out.stderr.strip()}")
    return parse_wrk(out.stdout)


def _request(host: str, port: int) -> bytes:
    head = [f"PATCH {PATH} HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(BODY)}"]
    head += [f"{name}: {value}" for name, value in HEADERS.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + BODY


async def _client(host: str, port: int, deadline: float, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
    request = _request(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            if length is None:  # the generator reads only Content-Length bodies
                errors.append(1)
                return
            await asyncio.wait_for(reader.readexactly(int(length.group(1))), 10)
            latencies.append(time.perf_counter() - started)
            if not head.startswith(b"HTTP/1.1 2"):
                errors.append(1)
    finally:
        writer.close()


async def _python_load(host: str, port: int, connections: int, seconds: float) -> LoadResult:
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(_client(host, port, started + seconds, latencies, errors) for _ in range(connections)),
        return_exceptions=True,
    )
    elapsed = time.perf_counter() - started
    errors += [1 for outcome in outcomes if isinstance(outcome, BaseException)]
    ordered = sorted(latencies) or [float("nan")]

    def percentile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    count = len(latencies)
    return LoadResult(count, count / elapsed, percentile(0.50), percentile(0.99), len(errors))


def run_python(url: str, connections: int, seconds: float) -> LoadResult:
    host, port = _find(r"http://([^/]+)", url).rsplit(":", 1)
    return asyncio.run(_python_load(host, int(port), connections, seconds))


def run(generator: str, url: str, connections: int, seconds: float) -> LoadResult:
    return run_wrk(url, connections, seconds) if generator == "wrk" else run_python(url, connections, seconds)
