"""Streamed runs (issue 21): ``POST /agents/writer-agent/runs`` with ``stream=true``, its reply of
nine words streamed word by word (12 events: ``RunStarted``, nine ``RunContent``,
``RunContentCompleted``, ``RunCompleted``), each run creating a session as a frontend's would.

- Latency and CPU: a mock as ``make run`` starts it (no stream delay), loaded by ``N`` keep-alive
  connections each running streams back to back, for each ``N`` of ``CONCURRENCY``: a warm-up,
  then rounds; per round the time from writing the request to the first event and to the last
  (``RunCompleted``), p50 and p99, runs per second, and the mock's CPU per streamed run (its
  process group, from /proc). The report gives the medians of the rounds.
- Memory: a second mock with ``--stream-delay HOLD_DELAY_MS``: after a few runs, its resident
  memory, then ``OPEN_STREAMS`` streams opened at once and held (each has its ``RunStarted`` and
  none its end), the memory again, and the streams dropped.

``python -m bench.streams`` runs it alone; ``python -m bench --only streams`` too, into
``latest.json``; ``python -m bench`` runs it after the targets unless given ``--no-streams``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import targets
from bench.payload import KEY
from bench.stream_client import StreamConnection, StreamedRun, run_request

AGENT, MESSAGE = "writer-agent", "Write a line about agents"
CONCURRENCY = (1, 64)
OPEN_STREAMS = 1_000
HOLD_DELAY_MS = 10_000  # per chunk: a held stream's first RunContent comes 10 s after its RunStarted
WARMUP_RUNS = 20  # before the idle memory is read
OPEN_DEADLINE_SECONDS = 60.0
LATENCY = targets.TargetSpec("mock-streams", "the mock as `make run` starts it, loaded with streamed runs",
                             stream_delay_ms=0)
HOLDING = targets.TargetSpec("mock-streams-held", f"the same with --stream-delay {HOLD_DELAY_MS}, "
                             "holding streams open", stream_delay_ms=HOLD_DELAY_MS)


async def load(port: int, concurrency: int, seconds: float) -> list[StreamedRun]:
    """``concurrency`` connections running streams back to back until ``seconds`` have passed."""
    deadline = time.perf_counter() + seconds
    request = run_request(AGENT, MESSAGE, KEY, port)

    async def worker() -> list[StreamedRun]:
        connection, runs = StreamConnection(port, request), []
        while time.perf_counter() < deadline:
            runs.append(await connection.run())
        connection.close()
        return runs

    return [run for runs in await asyncio.gather(*(worker() for _ in range(concurrency))) for run in runs]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def round_figures(runs: list[StreamedRun], seconds: float, cpu_s: float | None) -> dict[str, Any]:
    done = [run for run in runs if run.complete]
    first = [run.first_event_s for run in done if run.first_event_s is not None]
    last = [run.last_event_s for run in done if run.last_event_s is not None]
    return {"runs": len(done), "errors": len(runs) - len(done), "runs_per_s": len(done) / seconds,
            "events_per_run": statistics.median(len(run.events) for run in done) if done else 0,
            "first_p50_ms": percentile(first, 0.5), "first_p99_ms": percentile(first, 0.99),
            "last_p50_ms": percentile(last, 0.5), "last_p99_ms": percentile(last, 0.99),
            "cpu_ms_per_run": cpu_s / len(done) * 1000 if cpu_s is not None and done else None}


def measure_level(target: targets.RunningTarget, concurrency: int, duration: float, warmup: float,
                  rounds: int) -> dict[str, Any]:
    asyncio.run(load(target.port, concurrency, warmup))
    measured = []
    for number in range(1, rounds + 1):
        before, started = target.cpu_seconds(), time.perf_counter()
        runs = asyncio.run(load(target.port, concurrency, duration))
        elapsed, after = time.perf_counter() - started, target.cpu_seconds()
        figures = round_figures(runs, elapsed, None if before is None or after is None else after - before)
        measured.append(figures)
        print(f"bench: streams {concurrency:>3}, round {number}: {figures['runs_per_s']:7.1f} runs/s  "
              f"first p50 {figures['first_p50_ms']:.2f} ms  last p50 {figures['last_p50_ms']:.2f} ms  "
              f"errors {figures['errors']}", flush=True)
    medians = {key: round(statistics.median(m[key] for m in measured), 2) for key in measured[0]
               if key not in ("runs", "errors", "cpu_ms_per_run")}
    cpu = [m["cpu_ms_per_run"] for m in measured if m["cpu_ms_per_run"] is not None]
    return {**medians, "runs": sum(m["runs"] for m in measured), "errors": sum(m["errors"] for m in measured),
            "cpu_ms_per_run": round(statistics.median(cpu), 3) if cpu else None, "rounds": measured}


async def hold_open(target: targets.RunningTarget, count: int) -> dict[str, Any]:
    """Open ``count`` streams at once, read each to its first event, and read the mock's memory."""
    request = run_request(AGENT, MESSAGE, KEY, target.port)
    for _ in range(WARMUP_RUNS):  # the idle figure is read after the code paths ran once
        connection = StreamConnection(target.port, request)
        started = await connection.start(StreamedRun())
        await connection.read_events(StreamedRun(), started, until_first=True)
        connection.close()
    idle_kib = target.rss_kib()
    connections = [StreamConnection(target.port, request) for _ in range(count)]
    runs = [StreamedRun() for _ in range(count)]

    async def open_one(connection: StreamConnection, run: StreamedRun) -> None:
        await connection.read_events(run, await connection.start(run), until_first=True)

    started = time.perf_counter()
    opening = asyncio.gather(*map(open_one, connections, runs), return_exceptions=True)
    outcomes = await asyncio.wait_for(opening, OPEN_DEADLINE_SECONDS)
    open_s = time.perf_counter() - started
    open_kib = target.rss_kib()
    held = sum(1 for run, outcome in zip(runs, outcomes, strict=True)
               if outcome is None and run.events == ["RunStarted"])
    for connection in connections:
        connection.close()
    per_stream = (open_kib - idle_kib) / held if open_kib and idle_kib and held else None
    return {"streams": count, "held_open": held, "stream_delay_ms": HOLD_DELAY_MS, "open_s": round(open_s, 2),
            "idle_rss_kib": idle_kib, "open_rss_kib": open_kib,
            "kib_per_stream": None if per_stream is None else round(per_stream, 1),
            "failures": sorted({repr(o)[:120] for o in outcomes if o is not None})[:5]}


def measure(logs: Path, duration: float = 10.0, warmup: float = 3.0, rounds: int = 3,
            concurrency: tuple[int, ...] = CONCURRENCY, open_streams: int = OPEN_STREAMS) -> dict[str, Any]:
    result: dict[str, Any] = {
        "request": f"POST /agents/{AGENT}/runs message={MESSAGE!r} stream=true (urlencoded, bearer key)",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {"duration_s": duration, "warmup_s": warmup, "rounds": rounds,
                     "concurrency": list(concurrency), "open_streams": open_streams},
        "machine": {"cpus": len(os.sched_getaffinity(0)), "load_average_before": os.getloadavg()},
        "levels": {}, "commands": {}}
    for spec in (LATENCY, HOLDING):
        result["commands"][spec.name] = " ".join(spec.argv(0, logs))
        running = targets.start(spec, logs)
        try:
            if spec is LATENCY:
                for level in concurrency:
                    result["levels"][str(level)] = measure_level(running, level, duration, warmup, rounds)
            else:
                result["open_streams"] = asyncio.run(hold_open(running, open_streams))
        finally:
            running.stop()
    result["machine"]["load_average_after"] = os.getloadavg()  # the machine may be shared
    return result


def lines(result: dict[str, Any]) -> list[str]:
    load = ", ".join(f"{figure:.2f}" for figure in result["machine"]["load_average_before"])
    out = [f"streamed runs: {result['request']}, no stream delay (medians of the rounds; "
           f"load average before: {load})",
           f"  {'streams':>7} {'runs/s':>8} {'events':>6} {'first p50':>10} {'first p99':>10} "
           f"{'last p50':>9} {'last p99':>9} {'CPU ms/run':>10} {'errors':>6}"]
    for level, row in result["levels"].items():
        cpu = "-" if row["cpu_ms_per_run"] is None else f"{row['cpu_ms_per_run']:.2f}"
        out.append(f"  {level:>7} {row['runs_per_s']:>8.1f} {row['events_per_run']:>6g} "
                   f"{row['first_p50_ms']:>10.2f} {row['first_p99_ms']:>10.2f} "
                   f"{row['last_p50_ms']:>9.2f} {row['last_p99_ms']:>9.2f} "
                   f"{cpu:>10} {row['errors']:>6}")
    held = result.get("open_streams")
    if held:
        out.append(f"  open streams (--stream-delay {held['stream_delay_ms']}): {held['held_open']} of "
                   f"{held['streams']} held open in {held['open_s']} s; mock RSS "
                   f"{held['idle_rss_kib']} KiB idle, {held['open_rss_kib']} KiB with them open "
                   f"({held['kib_per_stream']} KiB per stream)")
    return out


if __name__ == "__main__":
    folder = targets.ROOT / "bench" / "results" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    print("\n".join(lines(measure(folder))))
    sys.exit(0)
