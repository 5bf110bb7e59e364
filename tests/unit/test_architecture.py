"""The import rules of ARCHITECTURE.md, as import-linter contracts in pyproject.toml.

One test runs the contracts on the package; the others plant one forbidden import each in a copy
of the package and show that the contract meant to catch it does (a rule that cannot fail guards
nothing).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the package under ``root`` (in a child process: it reconfigures logging)."""
    linter = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(linter), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


# import-linter runs in a child process, so `make test-fast` leaves this out; run `lint-imports`
# before a commit (DEVELOPERS.md), and `make test` runs it.
@pytest.mark.process
def test_the_import_rules_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_architecture_md_states_every_rule() -> None:
    page = (ROOT / "ARCHITECTURE.md").read_text()
    assert [c["name"] for c in CONTRACTS if c["name"] not in page] == []


UPWARD = "Nothing imports upward"
PROFILE = "The generic layers import no profile"
NO_WEB = "No web code below the server"
REDIS = "Only the stores import redis"
UVICORN = "Only the server imports uvicorn"
# (file in the package, the line planted in it, every contract that must break)
VIOLATIONS = [
    ("core/spec.py", "from mockserver.agentos.handlers import HANDLERS", {UPWARD, PROFILE}),
    ("server/app.py", "from mockserver.agentos import profile", {PROFILE}),
    ("contract/runner.py", "from mockserver.agentos.pins import PinnedSession", {PROFILE}),
    ("engine/inference.py", "import mockserver.agentos.operations", {UPWARD, PROFILE}),
    ("core/schema.py", "import starlette", {NO_WEB}),
    ("agentos/handlers/admin.py", "import uvicorn", {NO_WEB, UVICORN}),
    ("admin/__init__.py", "import starlette", {NO_WEB}),
    ("server/app.py", "import connexion", {"Only server.connexion_adapter imports connexion"}),
    ("contract/runner.py", "import uvicorn", {UVICORN}),
    ("stores/redis_items.py", "import starlette", {NO_WEB}),
    ("engine/items.py", "import redis", {REDIS}),
    ("agentos/redis_store.py", "from mockserver.server import build_mock", {UPWARD, NO_WEB}),
    ("validate/checks.py", "from mockserver.server.app import build_mock",
     {"Outside the server, only what mockserver.server exports is used"}),
    ("validate/checks.py", "from mockserver.contract import runner",
     {UPWARD, "validate and contract do not import each other"}),
]


@pytest.mark.process  # import-linter on a copy of the package, once per violation: seconds in all
@pytest.mark.parametrize(("module", "line", "contracts"), VIOLATIONS,
                         ids=[f"{m}:{line}" for m, line, _ in VIOLATIONS])
def test_a_forbidden_import_breaks_its_contract(tmp_path: Path, module: str, line: str,
                                                contracts: set[str]) -> None:
    shutil.copytree(ROOT / "mockserver", tmp_path / "mockserver", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    planted = tmp_path / "mockserver" / module
    planted.write_text(planted.read_text() + f"\n{line}\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = {line.removesuffix(" BROKEN") for line in result.stdout.splitlines() if line.endswith(" BROKEN")}
    assert broken == contracts
