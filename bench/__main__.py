"""``python -m bench`` (``make bench``): start every target, load them in alternating rounds, report.

Per concurrency level, every target gets a warm-up, then the rounds go A B C A B C ... so that
drift in the machine's speed touches every target alike. Targets on the generated store of 10,000
sessions (``mock-10k``, ``mock-10k-list``) get it written under ``<out>/logs/store-10k/`` first.
Then, unless ``--no-recording``, the proxy's latency while it records (``recording``), unless
``--no-streams``, streamed runs (``streams``), and unless ``--no-large``, start-up, ``validate`` and
memory on large documents beside Prism, and a contract run against the mock serving each, unless
``--no-contract`` (``large``); ``--only recording``, ``--only streams`` or
``--only large`` runs that part alone. The report is printed and written to
``bench/results/latest.json`` and ``latest.png``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import cpu, large, load, payload, prism, recording, redis_server, report, store, streams, targets

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", default=",".join(targets.TARGETS),
                        help="comma-separated, from: %(default)s")
    parser.add_argument("--connections", default="1,16,64", help="concurrency levels (default: %(default)s)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per round (default: 10)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per target and level")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per target and level (default: 3)")
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk if installed (auto), or the Python one")
    parser.add_argument("--no-conformance", action="store_true",
                        help="skip timing the Schemathesis conformance suite")
    parser.add_argument("--no-recording", action="store_true",
                        help="skip the proxy's latency while recording (bench/recording.py, about 40 s)")
    parser.add_argument("--no-streams", action="store_true",
                        help="skip streamed runs (bench/streams.py, about 90 s)")
    parser.add_argument("--no-large", action="store_true",
                        help="skip start-up, validate and memory on large documents beside Prism "
                             "(bench/large.py, about 3 minutes)")
    parser.add_argument("--no-contract", action="store_true",
                        help="skip the contract run per large document (bench/contract.py, about 4 "
                             "minutes each)")
    parser.add_argument("--contract-time", type=int, default=None, metavar="SECONDS",
                        help="--max-time of the contract run per large document (default: its default)")
    parser.add_argument("--large-documents", default=",".join(large.DOCUMENTS),
                        help="documents of bench/data/large to measure (default: %(default)s)")
    parser.add_argument("--only", choices=("recording", "streams", "large"),
                        help="run only this part (no targets, no conformance suite); it replaces "
                             "that part of latest.json and keeps the rest")
    parser.add_argument("--stream-concurrency", default=",".join(map(str, streams.CONCURRENCY)),
                        help="concurrent streams per level (default: %(default)s)")
    parser.add_argument("--open-streams", type=int, default=streams.OPEN_STREAMS,
                        help="streams held open for the memory figure (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder (default: bench/results)")
    args = parser.parse_args(argv)
    args.targets = [name.strip() for name in args.targets.split(",") if name.strip()]
    unknown = sorted(set(args.targets) - set(targets.TARGETS))
    if unknown:
        parser.error(f"unknown targets {', '.join(unknown)}; known: {', '.join(targets.TARGETS)}")
    args.connections = [int(c) for c in args.connections.split(",")]
    args.stream_concurrency = tuple(int(c) for c in args.stream_concurrency.split(","))
    args.large_documents = tuple(name.strip() for name in args.large_documents.split(",") if name.strip())
    missing = [name for name in args.large_documents if not (large.FOLDER / name).is_file()]
    if missing:
        parser.error(f"not in {large.FOLDER}: {', '.join(missing)}")
    if args.only:
        args.targets, args.no_conformance = [], True
        args.no_recording, args.no_streams = args.only != "recording", args.only != "streams"
        args.no_large = args.only != "large"
    if args.load == "auto":
        args.load = "wrk" if load.wrk_available() else "python"
    elif args.load == "wrk" and not load.wrk_available():
        parser.error("wrk is not installed (Debian: apt-get install wrk); use --load python")
    return args


def conformance_seconds() -> dict[str, Any]:
    """Wall time of the Schemathesis conformance suite, run as ``make test`` runs it."""
    started = time.perf_counter()
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/conformance"]
    out = subprocess.run(argv, cwd=targets.ROOT, capture_output=True, text=True)
    last = (out.stdout.strip().splitlines() or ["(no output)"])[-1]
    return {"seconds": round(time.perf_counter() - started, 1), "exit_code": out.returncode, "summary": last}


def per_request(before: float | None, after: float | None, requests: int) -> float | None:
    """Microseconds of CPU per request over a round."""
    if before is None or after is None or requests == 0:
        return None
    return round((after - before) / requests * 1e6, 1)


def redis_cpu(target: targets.RunningTarget, redis: redis_server.BenchRedis | None) -> float | None:
    return cpu.process_cpu_seconds(redis.process.pid) if redis and target.spec.workers else None


def measure(running: dict[str, targets.RunningTarget], args: argparse.Namespace,
            redis: redis_server.BenchRedis | None = None) -> tuple[list[report.Measurement], dict[str, Any]]:
    measurements: list[report.Measurement] = []
    memory: dict[str, Any] = {}
    mock = running.get("mock")
    for conns in args.connections:
        for target in running.values():
            target.requests_sent += load.run(args.load, target.url, conns, args.warmup,
                                             target.spec.request).requests
        if mock is not None and "after_warmup_kib" not in memory:
            memory["after_warmup_kib"] = mock.rss_kib()
        for round_number in range(1, args.rounds + 1):
            for name, target in running.items():
                before, redis_before = target.cpu_seconds(), redis_cpu(target, redis)
                result = load.run(args.load, target.url, conns, args.duration, target.spec.request)
                cpu_us = per_request(before, target.cpu_seconds(), result.requests)
                redis_us = per_request(redis_before, redis_cpu(target, redis), result.requests)
                target.requests_sent += result.requests
                measurements.append(report.Measurement(name, conns, round_number, result, cpu_us, redis_us))
                print(f"bench: {conns:>3} conns, round {round_number}, {name:<18} {result.rps:>8.0f} req/s  "
                      f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms  errors {result.errors}  "
                      f"CPU {'-' if cpu_us is None else f'{cpu_us:.0f}'} us/req", flush=True)
    if mock is not None:
        memory.update(end_kib=mock.rss_kib(), requests=mock.requests_sent)
        start, end = memory.get("after_warmup_kib"), memory.get("end_kib")
        memory["growth_percent"] = round((end / start - 1) * 100, 1) if start and end else None
    return measurements, memory


def request_line(request: payload.Request) -> str:
    """How a target is loaded, e.g. ``GET /sessions?sort_by=updated_at&limit=20``."""
    body = f" {request.body.decode()}" if request.body is not None else ""
    return f"{request.method} {request.path}{body}"


def assemble(args: argparse.Namespace, versions: dict[str, str], cold_starts: dict[str, float],
             measurements: list[report.Measurement], memory: dict[str, Any],
             recorded: dict[str, Any] | None = None, streamed: dict[str, Any] | None = None,
             sized: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the run found, as written to latest.json (without the raw rounds)."""
    summary = report.medians(measurements)
    return {
        "machine": {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                    "platform": platform.platform()},
        "settings": {"load": args.load, "duration_s": args.duration, "warmup_s": args.warmup,
                     "rounds": args.rounds, "connections": args.connections, "targets": args.targets},
        "versions": versions,
        "targets": {name: {"description": targets.TARGETS[name].description,
                           "request": request_line(targets.TARGETS[name].request),
                           "command": " ".join(targets.TARGETS[name].argv(0, args.out / "logs"))}
                    for name in args.targets},
        "cold_start_s": cold_starts, "mock_memory": memory, "summary": summary,
        "ratios": report.ratios(summary), "checks": report.check_targets(summary, cold_starts, memory),
        "conformance": None if args.no_conformance else conformance_seconds(),
        "recording": recorded,
        "streams": streamed,
        "large": sized,
    }


def print_report(result: dict[str, Any]) -> None:
    cold = ", ".join(f"{name} {seconds:.3f} s" for name, seconds in result["cold_start_s"].items())
    print("\n".join([
        *(["", *report.table(result["summary"], result["ratios"]), "",
           f"cold start (process start to first 200): {cold}",
           f"mock memory: {result['mock_memory']}",
           f"conformance suite: {result['conformance'] or 'not run'}",
           "targets (at 16 connections):", *report.target_lines(result["checks"])]
          if result["settings"]["targets"] else [""]),
        *(recording.lines(result["recording"]) if result["recording"] else []),
        *(streams.lines(result["streams"]) if result["streams"] else []),
        *(large.lines(result["large"]) if result["large"] else []),
    ]))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    (args.out / "logs").mkdir(parents=True, exist_ok=True)
    versions: dict[str, str] = {}
    if any(targets.TARGETS[name].needs_prism for name in args.targets):
        try:
            versions["prism"] = prism.ensure_installed()
        except prism.PrismUnavailable as exc:
            print(f"bench: Prism is needed for the comparison but unavailable: {exc}\n"
                  "bench: leave it out with --targets mock,connexion,bare,mock-10k,mock-10k-list",
                  file=sys.stderr)
            return 2
    if any(targets.TARGETS[name].needs_store for name in args.targets):
        started = time.perf_counter()
        folder = store.write_store(args.out / "logs")
        seconds = time.perf_counter() - started
        print(f"bench: wrote {store.STORE_SIZE:,} sessions to {folder} in {seconds:.2f} s", flush=True)
    running: dict[str, targets.RunningTarget] = {}
    redis: redis_server.BenchRedis | None = None
    try:
        if any(targets.TARGETS[name].workers for name in args.targets):
            redis = redis_server.start()
        for name in args.targets:
            running[name] = targets.start(targets.TARGETS[name], args.out / "logs", redis and redis.url)
            print(f"bench: {name} ready in {running[name].cold_start_seconds:.3f} s", flush=True)
        measurements, memory = measure(running, args, redis)
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    finally:
        for target in running.values():
            target.stop()
        if redis is not None:
            redis.stop()
    try:
        recorded = None if args.no_recording else recording.measure(args.out / "logs")
        streamed = None if args.no_streams else streams.measure(
            args.out / "logs", args.duration, args.warmup, args.rounds, args.stream_concurrency,
            args.open_streams)
        sized = None if args.no_large else large.measure(
            args.out / "logs", args.large_documents, args.contract_time, not args.no_contract)
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    cold_starts = {name: round(t.cold_start_seconds, 3) for name, t in running.items()}
    result = assemble(args, versions, cold_starts, measurements, memory, recorded, streamed, sized)
    print_report(result)
    if args.only:  # one part alone: replaces that part of latest.json, keeps the rest and the plot
        report.write_part(args.out / "latest.json", args.only, result[args.only])
        print(f"bench: wrote {args.out / 'latest.json'} ({args.only!r} only)")
        return 0
    report.write_json(args.out / "latest.json", result, measurements)
    report.plot(args.out / "latest.png", result["summary"])
    print(f"bench: wrote {args.out / 'latest.json'} and {args.out / 'latest.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
