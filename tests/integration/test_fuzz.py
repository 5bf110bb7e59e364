"""A smaller `make fuzz`: generated and hostile requests against a running mock, 0 failures."""

from __future__ import annotations

from tests.fuzz import fuzz


def test_fuzz_finds_nothing() -> None:
    failures, summary = fuzz(min_requests=600, seed=7)
    print(summary)
    assert failures == 0, summary
    assert "413: 1" in summary  # the body over 1 MiB
