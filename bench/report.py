"""The benchmark's report: medians of the rounds, ratios, the issue's targets, JSON and a plot.

Every number comes from this run; ratios compare targets measured side by side, alternating, on
the same machine, so the machine's own speed cancels out.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.load import LoadResult

TARGET_CONNECTIONS = 16  # where the targets are read
MIN_REQUESTS_FOR_MEMORY = 100_000
MAX_LIST_OVER_PATCH_P99 = 2.0  # GET /sessions's p99 over PATCH's, both over the 10,000-session store


@dataclass(frozen=True)
class Measurement:
    target: str
    connections: int
    round: int
    result: LoadResult
    cpu_us: float | None = None  # the server's CPU time per request, microseconds
    redis_cpu_us: float | None = None  # redis-server's, for the Redis targets


def medians(measurements: list[Measurement]) -> dict[int, dict[str, dict[str, float]]]:
    """connections -> target -> median req/s, p50, p99 and the summed errors of its rounds."""
    grouped: dict[int, dict[str, list[LoadResult]]] = {}
    grouped_m: dict[int, dict[str, list[Measurement]]] = {}
    for m in measurements:
        grouped.setdefault(m.connections, {}).setdefault(m.target, []).append(m.result)
        grouped_m.setdefault(m.connections, {}).setdefault(m.target, []).append(m)
    return {
        conns: {name: {"rps": statistics.median(r.rps for r in results),
                       "p50_ms": statistics.median(r.p50_ms for r in results),
                       "p99_ms": statistics.median(r.p99_ms for r in results),
                       "errors": sum(r.errors for r in results),
                       "cpu_us": _median([m.cpu_us for m in grouped_m[conns][name]]),
                       "redis_cpu_us": _median([m.redis_cpu_us for m in grouped_m[conns][name]])}
                for name, results in by_target.items()}
        for conns, by_target in grouped.items()
    }


def _median(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 1) if known else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def ratios(summary: dict[int, dict[str, dict[str, float]]]) -> dict[int, dict[str, float | None]]:
    """Per level: the mock against each peer, the engine against the PATCH handler, and over the
    10,000-session store the list against the PATCH."""
    out: dict[int, dict[str, float | None]] = {}
    for conns, row in summary.items():
        mock = row.get("mock", {})
        entry: dict[str, float | None] = {}
        for peer in ("prism", "prism-silent", "connexion", "bare"):
            if peer in row and mock:
                entry[f"mock/{peer} req/s"] = _ratio(mock["rps"], row[peer]["rps"])
                entry[f"{peer}/mock p99"] = _ratio(row[peer]["p99_ms"], mock["p99_ms"])
        patch, listing = row.get("mock-10k"), row.get("mock-10k-list")
        if patch and listing:
            entry["list/patch req/s"] = _ratio(listing["rps"], patch["rps"])
            entry["list/patch p99"] = _ratio(listing["p99_ms"], patch["p99_ms"])
        for engine in ("mock-engine-read", "mock-engine-create"):
            if engine in row and mock:
                entry[f"{engine.removeprefix('mock-')}/patch req/s"] = _ratio(row[engine]["rps"], mock["rps"])
        if "prism-silent" in row and mock:
            entry["mock/prism-silent cpu/req"] = _ratio(mock.get("cpu_us"), row["prism-silent"].get("cpu_us"))
        if "mock-redis" in row and mock:
            entry["redis/memory cpu/req"] = _ratio(row["mock-redis"].get("cpu_us"), mock.get("cpu_us"))
        if "proxy" in row and mock:
            entry["proxy/mock p50"] = _ratio(row["proxy"]["p50_ms"], mock["p50_ms"])
            entry["proxy/mock p99"] = _ratio(row["proxy"]["p99_ms"], mock["p99_ms"])
        if "mock-redis" in row and "mock-redis-2w" in row:
            entry["2 workers/1 req/s"] = _ratio(row["mock-redis-2w"]["rps"], row["mock-redis"]["rps"])
        out[conns] = entry
    return out


def check_targets(summary: dict, cold_starts: dict[str, float], memory: dict[str, Any]
                  ) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured value and whether it is met (None: not measured)."""
    row = summary.get(TARGET_CONNECTIONS, {})
    mock, prism, connexion = row.get("mock"), row.get("prism"), row.get("connexion")
    checks: list[dict[str, Any]] = []

    def check(name: str, value: float | None, met: bool | None, unit: str = "") -> None:
        checks.append({"target": name, "value": value, "unit": unit, "met": met})

    throughput = _ratio(mock and mock["rps"], prism and prism["rps"])
    check("throughput at 16 connections >= 3x Prism's", throughput, None if throughput is None
          else throughput >= 3, "x")
    p99 = _ratio(prism and prism["p99_ms"], mock and mock["p99_ms"])
    check("p99 at 16 connections <= 1/4 of Prism's", p99, None if p99 is None else p99 >= 4, "x lower")
    cost = round((connexion["rps"] / mock["rps"] - 1) * 100, 1) if mock and connexion else None
    check("cost on top of the Connexion-alone ceiling <= 15 %", cost,
          None if cost is None else cost <= 15, "%")
    cold = cold_starts.get("mock")
    check("mock cold start (process start to first 200) <= 1.5 s", cold and round(cold, 3),
          None if cold is None else cold <= 1.5, "s")
    growth = memory.get("growth_percent")
    enough = memory.get("requests", 0) >= MIN_REQUESTS_FOR_MEMORY
    check(f"mock memory stable over >= {MIN_REQUESTS_FOR_MEMORY:,} requests (growth <= 10 %)", growth,
          None if growth is None or not enough else growth <= 10, "%")
    patch, listing = row.get("mock-10k"), row.get("mock-10k-list")
    list_p99 = _ratio(listing and listing["p99_ms"], patch and patch["p99_ms"])
    check("GET /sessions p99 at 16 connections <= 2x PATCH's, over 10,000 sessions", list_p99,
          None if list_p99 is None else list_p99 <= MAX_LIST_OVER_PATCH_P99, "x")
    silent, on_redis = row.get("prism-silent"), row.get("mock-redis")
    cpu = _ratio(mock and mock.get("cpu_us"), silent and silent.get("cpu_us"))
    check("mock CPU per request <= prism-silent's", cpu, None if cpu is None else cpu <= 1, "x")
    redis_cpu = _ratio(on_redis and on_redis.get("cpu_us"), mock and mock.get("cpu_us"))
    check("Redis store CPU per request <= 1.35x the memory store's", redis_cpu,
          None if redis_cpu is None else redis_cpu <= 1.35, "x")
    for engine in ("mock-engine-read", "mock-engine-create"):
        measured = row.get(engine)
        share = _ratio(measured and measured["rps"], mock and mock["rps"])
        check(f"{engine.removeprefix('mock-')} throughput within 15 % of the PATCH handler's", share,
              None if share is None else share >= 0.85, "x")
    return checks


def table(summary: dict[int, dict[str, dict[str, float]]], ratio_rows: dict[int, dict[str, float | None]]
          ) -> list[str]:
    lines = [f"{'conns':>5}  {'target':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
             f"{'CPU us/req':>10} {'redis us/req':>12}"]
    for conns in sorted(summary):
        for name, row in summary[conns].items():
            cpu_us, redis_us = row.get("cpu_us"), row.get("redis_cpu_us")
            lines.append(f"{conns:>5}  {name:<18} {row['rps']:>9.0f} {row['p50_ms']:>8.2f} "
                         f"{row['p99_ms']:>8.2f} {row['errors']:>7} {'-' if cpu_us is None else cpu_us:>10} "
                         f"{'-' if redis_us is None else redis_us:>12}")
        shown = ", ".join(f"{k} {v}x" for k, v in ratio_rows.get(conns, {}).items() if v is not None)
        lines.append(f"{'':>5}  ratios: {shown or 'none (no pair of targets to compare measured)'}")
    return lines


def target_lines(checks: list[dict[str, Any]]) -> list[str]:
    verdict = {True: "met", False: "NOT MET", None: "not measured"}
    return [f"  {verdict[c['met']]:<12} {c['target']}: "
            f"{'-' if c['value'] is None else c['value']}{c['unit'] and ' ' + c['unit']}" for c in checks]


def write_json(path: Path, report: dict[str, Any], measurements: list[Measurement]) -> None:
    raw = [{**asdict(m.result), "target": m.target, "connections": m.connections, "round": m.round,
            "cpu_us": m.cpu_us, "redis_cpu_us": m.redis_cpu_us} for m in measurements]
    path.write_text(json.dumps({**report, "rounds": raw}, indent=2, default=str) + "\n")


def write_part(path: Path, part: str, value: dict[str, Any] | None) -> None:
    """Replace one part of an earlier run's report (``streams``, ``recording``), keeping the rest."""
    earlier = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**earlier, part: value}, indent=2, default=str) + "\n")


def plot(path: Path, summary: dict[int, dict[str, dict[str, float]]]) -> None:
    """Throughput and p99 per target and concurrency, side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    conns = sorted(summary)
    names = list(dict.fromkeys(name for c in conns for name in summary[c]))
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        xs = [c_index + i * width for c_index in range(len(conns))]
        left.bar(xs, [summary[c].get(name, {}).get("rps", 0) for c in conns], width, label=name)
        right.bar(xs, [summary[c].get(name, {}).get("p99_ms", 0) for c in conns], width, label=name)
    for axis, title, unit in ((left, "throughput", "requests/s"), (right, "p99 latency", "ms (log)")):
        axis.set_xticks([c_index + width * (len(names) - 1) / 2 for c_index in range(len(conns))])
        axis.set_xticklabels([f"{c} conn" for c in conns])
        axis.set_title(title)
        axis.set_ylabel(unit)
    left.set_yscale("log")
    right.set_yscale("log")
    left.legend(fontsize="small")
    figure.suptitle("PATCH /sessions/{id} (mock-10k-list: GET /sessions, page of 20): "
                    "medians of alternating rounds")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
