"""The suite's own lint: a test that reads test data from outside the repository fails at the read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.outside_reads import OutsideRead, is_read

# Outside every place the hook allows wherever the clone lives (a clone in the temporary directory
# may read its neighbours there: the hook allows the temporary directory for the tests' own files).
ELSEWHERE = Path("/mockserver-elsewhere")


def test_a_read_beside_the_repository_fails_naming_the_file() -> None:
    outside = ELSEWHERE / "shared" / "seed" / "update-session.md"
    with pytest.raises(OutsideRead, match=f"{outside}: a test read a file outside the repository"):
        outside.read_bytes()


def test_a_read_through_a_link_out_of_the_repository_fails(tmp_path: Path) -> None:
    link = tmp_path / "data.yaml"
    link.symlink_to(ELSEWHERE / "data.yaml")
    with pytest.raises(OutsideRead):
        link.read_text()


def test_files_of_the_repository_and_of_the_test_itself_are_read() -> None:
    assert (ROOT / "openapi" / "agentos-sessions.yaml").read_bytes()


@pytest.mark.parametrize(("mode", "flags", "read"), [
    ("r", None, True), ("rb", None, True), ("w", None, False), ("a", None, False), ("r+", None, False),
    (None, 0, True), (None, 1, False),
])
def test_only_reads_are_judged(mode: str | None, flags: int | None, read: bool) -> None:
    assert is_read(mode, flags) is read
