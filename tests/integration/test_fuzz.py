"""A smaller `make fuzz`: generated and hostile requests against a running mock, 0 failures."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.fuzz import SESSIONS, SPECS, fuzz, status_counts
from tests.fuzz_wider import wider_failures


@pytest.mark.slow
def test_fuzz_finds_nothing() -> None:
    # 25 examples per operation (`make fuzz` draws 2,500): one contract run over the whole AgentOS,
    # a fifth of what 150 took of `make test`'s 30 minutes
    failures, summary = fuzz(min_requests=100, seed=7, wider=False)
    print(summary)
    assert failures == 0, summary
    assert status_counts(summary).get(413) == 1, summary  # the body over 1 MiB, and nothing else


@pytest.mark.slow
def test_the_proxy_and_hostile_targets_give_no_server_error() -> None:
    statuses: Counter[int] = Counter()
    failures = wider_failures(SPECS, SESSIONS, "fuzz-key", examples=10, seed=7, statuses=statuses, documents=[])
    print(dict(statuses))
    assert failures == [] and sum(statuses.values()) > 500
    assert statuses[400] >= 20  # each hostile target of each server is refused, none answered 5xx


def test_status_counts_reads_each_count_whole() -> None:
    summary = "fuzz: 5613 requests (5588 generated, 25 hostile bodies), statuses 200: 5580, 413: 10, 422: 23; 0 failures"
    assert status_counts(summary) == {200: 5580, 413: 10, 422: 23}  # 413: 10 is not 413: 1
    assert status_counts(summary + "; RSS 1 KiB after 10k requests, 2 KiB after 100k (+1.0%)")[413] == 10
