"""`make bench` end to end on a tiny load: it runs, measures every target, writes its report.

No timing is asserted: the numbers of a run this short mean nothing. Timing lives in bench/.
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
TINY = ["--connections", "1,2", "--duration", "1", "--warmup", "0.2", "--rounds", "2", "--no-conformance"]


def run_bench(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "bench", *TINY, "--out", str(out), *args]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)


def check_report(out: Path, targets: set[str], stdout: str) -> dict:
    report = json.loads((out / "latest.json").read_text())
    for conns in ("1", "2"):
        assert set(report["summary"][conns]) == targets
        for name, row in report["summary"][conns].items():
            assert row["rps"] > 0 and row["p99_ms"] >= row["p50_ms"] > 0, (name, row)
            assert row["errors"] == 0, (name, row)
    assert len(report["rounds"]) == len(targets) * 2 * 2  # targets x levels x rounds
    assert set(report["cold_start_s"]) == targets and all(s > 0 for s in report["cold_start_s"].values())
    assert (out / "latest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "targets (at 16 connections):" in stdout and "ratios: mock/" in stdout
    return report


def test_the_benchmark_runs_mock_and_ceilings_with_the_python_load_generator(tmp_path: Path) -> None:
    out = run_bench(tmp_path, "--targets", "mock,connexion,bare", "--load", "python")
    assert out.returncode == 0, out.stdout + out.stderr
    report = check_report(tmp_path, {"mock", "connexion", "bare"}, out.stdout)
    assert report["settings"]["load"] == "python"
    assert report["mock_memory"]["end_kib"] > 0 and report["mock_memory"]["requests"] > 0
    assert {c["target"].split(" ")[0] for c in report["checks"]} >= {"throughput", "p99", "cost", "mock"}


@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("wrk") is None,
                    reason="needs node/npm (to install Prism) and wrk; `make bench` says how to get them")
def test_the_benchmark_runs_prism_under_wrk(tmp_path: Path) -> None:
    out = run_bench(tmp_path, "--targets", "mock,prism", "--load", "wrk")
    assert out.returncode == 0, out.stdout + out.stderr
    report = check_report(tmp_path, {"mock", "prism"}, out.stdout)
    assert report["versions"]["prism"] == "5.14.2"
    assert report["ratios"]["2"]["mock/prism req/s"] > 0
