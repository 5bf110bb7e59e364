"""A seeded sample of the APIs-guru directory (tests/data/specs/corpus/apis-guru: 14 documents drawn
with seed 22 from those under 100 KB with a licence that allows copying, and AWS STS for its
``\\p{L}`` patterns), each served by ``mockserver run`` as a user starts it: it starts, or it is
refused with one line naming the file and the place; never a traceback. ``make corpus`` does the
same over the whole directory, beside Prism."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.processes import ServerProcess

pytestmark = [pytest.mark.process, pytest.mark.slow]

SAMPLE = sorted((ROOT / "tests" / "data" / "specs" / "corpus" / "apis-guru").glob("*.json"))
DEADLINE_SECONDS = 60  # a loaded machine with two cores; they start in 2 to 10 s


def outcome(document: Path) -> tuple[bool, str]:
    """Whether the mock started on ``document``, and all it printed."""
    server = ServerProcess([sys.executable, "-m", "mockserver", "run", "--spec", str(document), "--port", "0",
                            "--profile", "none", "--no-admin", "--log-level", "warning"],
                           r"listening on (http://127\.0\.0\.1:\d+)")
    try:
        started = server.ready.wait(DEADLINE_SECONDS) and server.url is not None
        assert server.ready.is_set(), f"{document.name}: no banner and no refusal within {DEADLINE_SECONDS}s"
    finally:
        server.stop()
    return started, server.output()


def test_the_sample_is_the_documented_one() -> None:
    readme = (ROOT / "tests" / "data" / "specs" / "corpus" / "README.md").read_text()
    assert len(SAMPLE) == 15 and all(f"`{document.name}`" in readme for document in SAMPLE)


@pytest.mark.parametrize("document", SAMPLE, ids=[document.stem for document in SAMPLE])
def test_each_document_starts_or_is_refused_in_one_located_line(document: Path) -> None:
    started, output = outcome(document)
    assert "Traceback" not in output, output[-3000:]
    if not started:
        refusal = [line for line in output.splitlines() if line.startswith("mockserver: error:")]
        assert len(refusal) == 1 and re.match(rf"mockserver: error: {re.escape(str(document))}: /\S*: .+$",
                                              refusal[0]), output[-3000:]
