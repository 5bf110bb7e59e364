"""Load generators: wrk (Debian's package) when present, else a bounded Python one.

Both keep ``connections`` keep-alive connections busy for ``seconds`` with one request (a
``payload.Request``: the benchmark's PATCH unless told otherwise; the URL carries its path and
query) and report requests per second, p50 and p99 latency, and how many answers were not 2xx. The
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

from bench.payload import PATCH_REQUEST, Request

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


def _lua_string(text: str | bytes) -> str:
    """``text`` as a Lua string literal: printable ASCII as is (quote and backslash escaped), any
    other byte as a decimal escape."""
    data = text.encode() if isinstance(text, str) else text
    escaped = "".join("\\" + chr(b) if chr(b) in '"\\' else chr(b) if 32 <= b < 127 else f"\\{b:03d}"
                      for b in data)
    return f'"{escaped}"'


def _lua(request: Request) -> str:
    """The wrk script sending ``request``: method, body when there is one, headers."""
    lines = [f"wrk.method = {_lua_string(request.method)}"]
    if request.body is not None:
        lines.append(f"wrk.body = {_lua_string(request.body)}")
    lines += [f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}"
              for name, value in request.headers.items()]
    return "\n".join(lines) + "\n"


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


def run_wrk(url: str, connections: int, seconds: float, request: Request = PATCH_REQUEST) -> LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "request.lua")
        script.write_text(_lua(request))
        argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                "-s", str(script), url]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed (exit {out.returncode}): {out.stderr.strip()}")
    return parse_wrk(out.stdout)


def _request(host: str, port: int, request: Request) -> bytes:
    """``request`` as HTTP/1.1 bytes (Content-Length only when there is a body)."""
    head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host}:{port}"]
    if request.body is not None:
        head.append(f"Content-Length: {len(request.body)}")
    head += [f"{name}: {value}" for name, value in request.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + (request.body or b"")


async def _client(host: str, port: int, request: Request, deadline: float, latencies: list[float],
                  errors: list[int]) -> None:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
    raw = _request(host, port, request)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(raw)
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


async def _python_load(host: str, port: int, request: Request, connections: int, seconds: float
                       ) -> LoadResult:
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(_client(host, port, request, started + seconds, latencies, errors) for _ in range(connections)),
        return_exceptions=True,
    )
    elapsed = time.perf_counter() - started
    errors += [1 for outcome in outcomes if isinstance(outcome, BaseException)]
    ordered = sorted(latencies) or [float("nan")]

    def percentile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    count = len(latencies)
    return LoadResult(count, count / elapsed, percentile(0.50), percentile(0.99), len(errors))


def run_python(url: str, connections: int, seconds: float, request: Request = PATCH_REQUEST) -> LoadResult:
    host, port = _find(r"http://([^/]+)", url).rsplit(":", 1)
    return asyncio.run(_python_load(host, int(port), request, connections, seconds))


def run(generator: str, url: str, connections: int, seconds: float, request: Request = PATCH_REQUEST
        ) -> LoadResult:
    """Load ``url`` (which carries ``request``'s path and query) with ``request``."""
    if generator == "wrk":
        return run_wrk(url, connections, seconds, request)
    return run_python(url, connections, seconds, request)
