"""`mockserver contract --max-time`: a run ends within its time budget, says what the budget cut,
goes once through every phase however much time is left, and the budget is a setting like others;
several documents are read once for all the runs of a contract run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockserver import cli
from mockserver.config import Config
from mockserver.server.app import build_mock
from mockserver.server.serving import BackgroundServer, serve_in_thread
from tests.conftest import SESSION_SPECS, SPECS

ROOT = Path(__file__).resolve().parents[2]
LARGE = ROOT / "bench" / "data" / "large" / "twilio_api_v2010.json"  # 197 operations
KEY = "budget-key"


@pytest.fixture
def serving() -> Iterator[list[BackgroundServer]]:
    running: list[BackgroundServer] = []
    yield running
    for server in running:
        server.stop()


def serve(running: list[BackgroundServer], config: Config) -> str:
    mock = build_mock(config)
    mock.state.prepare(config)
    running.append(serve_in_thread(mock.app))
    return running[-1].url


@pytest.mark.slow
@pytest.mark.server
def test_a_run_over_a_large_document_ends_within_its_budget_and_says_what_it_cut(
        serving: list[BackgroundServer]) -> None:
    from mockserver.contract.report import summary_lines
    from mockserver.contract.runner import run_contract

    url = serve(serving, Config(specs=(LARGE,)))
    started = time.monotonic()
    report = run_contract((LARGE,), url, None, [], max_examples=100, seed=1, max_time=20)
    took = time.monotonic() - started
    # The budget, plus reading the document twice and the cases in flight when it ran out.
    assert took < 20 + 25, took
    budget = report.budget
    assert budget is not None and budget.run_seconds.keys() == {"random ids"}
    assert sum(budget.out_of_time.values()) + budget.fuzzed_short > 0  # 197 operations do not fit in 20 s
    lines = list(summary_lines(report))
    assert any(line.startswith("time: ") and "of a 20 s budget (--max-time): random ids " in line for line in lines)
    assert any("got no case for want of time" in line or "drew fewer than 100 cases" in line for line in lines)


@pytest.mark.slow
@pytest.mark.server
def test_a_budget_is_not_spent_repeating_fuzzing_and_the_stateful_phase(serving: list[BackgroundServer]) -> None:
    from mockserver.contract.runner import run_contract

    url = serve(serving, Config(specs=SPECS, security_key=KEY))
    bounded = run_contract(SESSION_SPECS, url, KEY, [], max_examples=5, seed=7, max_time=90)
    unbounded = run_contract(SESSION_SPECS, url, KEY, [], max_examples=5, seed=7)
    assert bounded.budget is not None and unbounded.budget is not None
    # Schemathesis, given a time budget, repeats fuzzing (each pass a scenario per operation) until
    # it is spent: the run stops after one pass, as the unbounded one does.
    assert bounded.budget.operations["fuzzing"] == unbounded.budget.operations["fuzzing"] > 0
    assert bounded.budget.run_seconds["random ids"] < 60
    assert bounded.ok and unbounded.ok, [f.title for f in (bounded.failures | unbounded.failures).values()]


@pytest.mark.slow
@pytest.mark.parametrize(("argv", "environment", "expected"), [
    ([], {}, Config().max_time),
    (["--max-time", "30"], {}, 30),
    ([], {"MOCKSERVER_MAX_TIME": "45"}, 45),
    (["--max-time", "0"], {"MOCKSERVER_MAX_TIME": "45"}, None),  # 0: no bound; the flag wins
])
def test_the_time_budget_comes_from_the_flag_the_environment_or_the_default(
        argv: list[str], environment: dict[str, str], expected: int | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mockserver.contract import command

    seen: list[Any] = []
    monkeypatch.setattr(command, "contract", lambda config, options: seen.append(options) or 0)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["contract", *argv]) == 0
    assert seen[0].max_time == expected


@pytest.mark.slow
def test_several_documents_are_read_and_combined_once_and_each_run_gets_its_own_copy(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mockserver.contract import runner

    combined = runner.combined_document(SESSION_SPECS)
    assert combined is not None and runner.combined_document(SESSION_SPECS[:1]) is None
    monkeypatch.setattr(runner, "read_document", lambda path: pytest.fail(f"{path} read again"))
    first, second = (runner.contract_schema(SESSION_SPECS, combined) for _ in range(2))
    assert first.raw_schema == second.raw_schema == combined
    assert first.raw_schema is not combined and second.raw_schema is not first.raw_schema


def test_the_default_budget_leaves_a_default_run_within_five_minutes() -> None:
    assert 0 < Config().max_time <= 270  # the rest of 300 s: loading the document, the last cases
