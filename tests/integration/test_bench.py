"""`make bench` end to end on a tiny load: it runs, measures every target, writes its report.

No timing is asserted: the numbers of a run this short mean nothing. Timing lives in bench/.
The Python-generator run includes the two targets on the generated 10,000-session store, one of
them loaded with ``GET /sessions``, at 16 connections so that their check line gets a value.
Streamed runs (``bench/streams.py``) run after the targets in that test, and alone (``--only
streams``) in their own, at 1 and 4 concurrent streams and with 30 streams held open. The large
documents' part (``bench/large.py``) runs alone (``--only large``) on one of them, its contract
run (``bench/contract.py``) given a 10 s budget.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.process, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--connections", "1,2", "--duration", "1", "--warmup", "0.2", "--rounds", "2", "--no-conformance",
        "--no-recording", "--no-large", "--stream-concurrency", "1,4", "--open-streams", "30"]


def run_bench(out: Path, *args: str, streams: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -m bench`` on a tiny load; streamed runs only when ``streams`` (or ``--only streams``)."""
    argv = [sys.executable, "-m", "bench", *TINY, "--out", str(out), *args, *([] if streams else ["--no-streams"])]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)


def check_report(out: Path, targets: set[str], stdout: str, levels: tuple[str, ...] = ("1", "2")) -> dict:
    report = json.loads((out / "latest.json").read_text())
    for conns in levels:
        assert set(report["summary"][conns]) == targets
        for name, row in report["summary"][conns].items():
            assert row["rps"] > 0 and row["p99_ms"] >= row["p50_ms"] > 0, (name, row)
            assert row["errors"] == 0, (name, row)
    assert len(report["rounds"]) == len(targets) * len(levels) * 2  # targets x levels x rounds
    assert set(report["cold_start_s"]) == targets and all(s > 0 for s in report["cold_start_s"].values())
    assert (out / "latest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "targets (at 16 connections):" in stdout and "ratios: " in stdout
    return report


def test_the_benchmark_runs_mock_ceilings_and_the_10k_store_with_the_python_load_generator(
        tmp_path: Path) -> None:
    names = {"mock", "connexion", "bare", "mock-10k", "mock-10k-list"}
    out = run_bench(tmp_path, "--targets", "mock,connexion,bare,mock-10k,mock-10k-list", "--load", "python",
                    "--connections", "1,16", streams=True)
    assert out.returncode == 0, out.stdout + out.stderr
    report = check_report(tmp_path, names, out.stdout, levels=("1", "16"))
    assert report["settings"]["load"] == "python" and "ratios: mock/" in out.stdout
    assert report["mock_memory"]["end_kib"] > 0 and report["mock_memory"]["requests"] > 0
    assert {c["target"].split(" ")[0] for c in report["checks"]} >= {"throughput", "p99", "cost", "mock", "GET"}
    # The store was generated, both 10k targets started on it, and the list target got only 200s.
    store = json.loads((tmp_path / "logs" / "store-10k" / "sessions.json").read_text())
    assert store["db_id"] == "main-db" and store["default"] is True and len(store["sessions"]) == 10_000
    assert "agent-research-001" in {s["session_id"] for s in store["sessions"]}
    assert report["targets"]["mock-10k-list"]["request"] == "GET /sessions?sort_by=updated_at&limit=20"
    assert report["targets"]["mock-10k"]["request"].startswith("PATCH /sessions/agent-research-001 ")
    for name in ("mock-10k", "mock-10k-list"):
        assert "--fixtures " + str(tmp_path / "logs" / "store-10k") in report["targets"][name]["command"]
    log = (tmp_path / "logs" / "mock-10k-list.log").read_text()
    assert '"GET /sessions?sort_by=updated_at&limit=20 HTTP/1.1" 200' in log
    for conns in ("1", "16"):
        assert report["summary"][conns]["mock-10k-list"]["errors"] == 0
        assert report["ratios"][conns]["list/patch p99"] > 0
    (line,) = [c for c in report["checks"] if c["target"].startswith("GET /sessions p99")]
    assert line["target"] == "GET /sessions p99 at 16 connections <= 2x PATCH's, over 10,000 sessions"
    assert line["value"] > 0 and line["met"] in (True, False)  # measured; whether met is a timing
    assert "GET /sessions p99 at 16 connections <= 2x PATCH's" in out.stdout
    # Streamed runs come after the targets, into the same report (their figures: the test below).
    assert set(report["streams"]["levels"]) == {"1", "4"} and report["streams"]["open_streams"]["held_open"] == 30
    assert "streamed runs: POST /agents/writer-agent/runs" in out.stdout


@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("wrk") is None,
                    reason="needs node/npm (to install Prism) and wrk; `make bench` says how to get them")
def test_the_benchmark_runs_prism_under_wrk(tmp_path: Path) -> None:
    out = run_bench(tmp_path, "--targets", "mock,prism", "--load", "wrk")
    assert out.returncode == 0, out.stdout + out.stderr
    report = check_report(tmp_path, {"mock", "prism"}, out.stdout)
    assert report["versions"]["prism"] == "5.14.2"
    assert report["ratios"]["2"]["mock/prism req/s"] > 0


def test_the_benchmark_measures_cpu_per_request_and_the_redis_targets(tmp_path: Path) -> None:
    names = {"mock", "mock-redis", "mock-redis-2w"}
    out = run_bench(tmp_path, "--targets", ",".join(sorted(names)), "--load", "python", "--connections", "1,16")
    assert out.returncode == 0, out.stdout + out.stderr
    report = check_report(tmp_path, names, out.stdout, levels=("1", "16"))
    for conns in ("1", "16"):
        row = report["summary"][conns]
        assert all(row[name]["cpu_us"] > 0 for name in names)  # from /proc, the workers included
        assert row["mock-redis"]["redis_cpu_us"] > 0 and row["mock"]["redis_cpu_us"] is None
        assert report["ratios"][conns]["redis/memory cpu/req"] > 0
        assert report["ratios"][conns]["2 workers/1 req/s"] > 0
    assert "--workers 2" in report["targets"]["mock-redis-2w"]["command"]
    (line,) = [c for c in report["checks"] if c["target"].startswith("Redis store CPU per request")]
    assert line["value"] > 0 and line["met"] in (True, False)  # measured; whether met is a timing


def test_the_proxy_latency_while_recording_compares_both_proxies_and_records_every_session(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import recording

    for name, small in (("SESSIONS", 2), ("NOTES", 2_000), ("ROUNDS", 1), ("AFTER_READS_SECONDS", 0.2)):
        monkeypatch.setattr(recording, name, small)
    result = recording.measure(tmp_path)
    for name in recording.PROXIES:
        row = result[name]
        assert row["reads_ok"] and row["errors"] == 0 and row["probes"] > 0, (name, row)
        assert row["max_ms"] >= row["p99_ms"] >= row["p50_ms"] > 0 and row["shutdown_s"] > 0, (name, row)
    assert result["proxy --record"]["recorded_sessions"] == 2 and result["session_mb"] > 0.2
    assert set(result["ratios"]) == {f"recording/plain {figure}" for figure in recording.FIGURES}
    assert recording.lines(result)[0].startswith("proxy latency while recording: GET /health while 2 sessions")


def test_the_benchmark_measures_streamed_runs_alone_and_holds_streams_open(tmp_path: Path) -> None:
    (tmp_path / "latest.json").write_text('{"summary": {"16": {}}, "streams": null}')  # an earlier run's
    out = run_bench(tmp_path, "--only", "streams", streams=True)
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads((tmp_path / "latest.json").read_text())
    assert set(report) == {"summary", "streams"} and report["summary"] == {"16": {}}  # the rest kept
    result = report["streams"]
    assert set(result["levels"]) == {"1", "4"}
    for level, row in result["levels"].items():
        assert row["runs"] > 0 and row["errors"] == 0, (level, row)
        assert row["events_per_run"] == 12  # RunStarted, nine words, RunContentCompleted, RunCompleted
        assert row["last_p50_ms"] >= row["first_p50_ms"] > 0 and row["cpu_ms_per_run"] > 0, (level, row)
        assert len(row["rounds"]) == 2
    held = result["open_streams"]
    assert held["held_open"] == 30 and held["failures"] == [], held
    assert held["open_rss_kib"] > 0 and held["idle_rss_kib"] > 0
    assert "--stream-delay 10000" in result["commands"]["mock-streams-held"]
    assert "streamed runs: POST /agents/writer-agent/runs" in out.stdout
    assert "30 of 30 held open" in out.stdout and "load average before: " in out.stdout
    assert result["settings"]["concurrency"] == [1, 4] and len(result["machine"]["load_average_after"]) == 3
    assert not (tmp_path / "latest.png").exists()  # no targets ran, so no plot of them


def test_the_benchmark_measures_start_up_validate_and_memory_on_a_large_document_beside_prism(
        tmp_path: Path) -> None:
    (tmp_path / "latest.json").write_text('{"summary": {"16": {}}, "large": null}')  # an earlier run's
    out = run_bench(tmp_path, "--only", "large", "--large-documents", "twilio_api_v2010.json",
                    "--contract-time", "10")
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads((tmp_path / "latest.json").read_text())
    assert set(report) == {"summary", "large"} and report["summary"] == {"16": {}}  # the rest kept
    result = report["large"]
    (row,) = result["documents"].values()
    assert set(result["documents"]) == {"twilio_api_v2010.json"} and row["size_mb"] > 1
    assert row["probe"].startswith("GET /2010-04-01/") and "{" not in row["probe"]
    start, checked = row["mock_start"], row["mock_validate"]
    assert start["seconds"] > 0 and start["cpu_s"] > 0 and start["peak_rss_mb"] > 0 and start["status"] < 500, start
    assert checked["seconds"] > 0 and checked["cpu_s"] > 0 and checked["peak_rss_mb"] > 0, checked
    assert checked["exit_code"] in (0, 1), checked  # 1: the document's examples have findings
    assert "197 operations" in checked["summary"]
    assert "large documents: start-up (spawn to first answer), validate, peak RSS; beside Prism" in out.stdout
    # A contract run against the mock serving the document, bounded by the budget given.
    contracted = row["contract"]
    assert contracted["seconds"] > 0 and contracted["cpu_s"] > 0 and contracted["mock_cpu_s"] > 0, contracted
    assert contracted["exit_code"] in (0, 1) and contracted["cases"] > 0 and contracted["checks"] > 0, contracted
    assert contracted["budget_s"] == 10 and contracted["time_line"].startswith("time: ")
    assert "of a 10 s budget (--max-time)" in contracted["time_line"]
    assert "contract (--max-time 10): " in out.stdout
    if shutil.which("npm") is None:  # Prism cannot be installed: said, and the mock's figures kept
        assert result["prism"] is None and result["prism_unavailable"] and row["prism_start"] is None
        return
    peer = row["prism_start"]
    assert result["prism"] == "5.14.2" and peer["seconds"] > 0 and peer["peak_rss_mb"] > 0, peer
    assert all(value > 0 for value in row["ratios"].values()), row["ratios"]
    assert set(row["ratios"]) == {"start mock/prism", "start CPU mock/prism", "validate mock/prism start",
                                  "start RSS mock/prism", "validate RSS mock/prism"}
