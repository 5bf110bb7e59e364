"""A smaller `make fuzz`: generated and hostile requests against a running mock, 0 failures."""

from __future__ import annotations

import pytest

from tests.fuzz import fuzz, status_counts


@pytest.mark.slow
def test_fuzz_finds_nothing() -> None:
    failures, summary = fuzz(min_requests=600, seed=7)
    print(summary)
    assert failures == 0, summary
    assert status_counts(summary).get(413) == 1, summary  # the body over 1 MiB, and nothing else


def test_status_counts_reads_each_count_whole() -> None:
    summary = "fuzz: 5613 requests (5588 generated, 25 hostile bodies), statuses 200: 5580, 413: 10, 422: 23; 0 failures"
    assert status_counts(summary) == {200: 5580, 413: 10, 422: 23}  # 413: 10 is not 413: 1
    assert status_counts(summary + "; RSS 1 KiB after 10k requests, 2 KiB after 100k (+1.0%)")[413] == 10
