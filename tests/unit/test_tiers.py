"""``make test-fast`` runs tests/unit and tests/integration only (the other directories build mocks
or start browsers at import): each test module elsewhere must mark all of its tests with a tier
that ``test-fast`` leaves out, or a test there would run in no inner loop unnoticed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = re.search(r'-m "([^"]+)"', (ROOT / "Makefile").read_text().split("\ntest-fast:", 1)[1])
MARKED_TIERS = ("conformance", "agentos", "browser")


def module_marks(path: Path) -> set[str]:
    """The marks a test module's ``pytestmark`` gives every test in it."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pytestmark" for t in node.targets):
            return {n.attr for n in ast.walk(node.value) if isinstance(n, ast.Attribute)} - {"mark"}
    return set()


def test_test_fast_names_the_marks_it_leaves_out() -> None:
    assert LEFT_OUT is not None
    assert set(re.findall(r"not (\w+)", LEFT_OUT.group(1))) == {"slow", "process", "server", "browser", "agentos"}


def test_every_module_outside_the_inner_loops_directories_is_marked_out_of_it() -> None:
    assert LEFT_OUT is not None
    left_out = set(re.findall(r"not (\w+)", LEFT_OUT.group(1)))
    modules = sorted(path for tier in MARKED_TIERS for path in (ROOT / "tests" / tier).glob("test_*.py"))
    assert len(modules) >= len(MARKED_TIERS)
    assert {path.name: module_marks(path) for path in modules if not module_marks(path) & left_out} == {}
