"""``make corpus``'s table: each outcome classed (a refusal by its first line, a traceback, a
timeout) and counted per server."""

from __future__ import annotations

from bench.corpus import summary, table
from bench.corpus_runs import error_class


def test_a_traceback_is_classed_as_one_whatever_comes_first() -> None:
    output = "mockserver: warning: x\nTraceback (most recent call last):\n  File ...\nValueError: bad\n"
    assert error_class(output) == "traceback"


def test_a_refusal_is_classed_by_its_first_line_past_warnings_and_prism_log_lines() -> None:
    mock = "mockserver: warning: FILE: /a: odd\nmockserver: error: FILE: /paths: bad\nmore\n"
    assert error_class(mock) == "mockserver: error: FILE: /paths: bad"
    prism = ("[10:51:15 AM] \u203a [CLI] …  awaiting  Starting Prism…\n"  # as Prism 5.14 prints them
             "[10:51:16 AM] \u203a [CLI] ✖  fatal     No operations found in the current file.\nprism mock <document>\n")
    assert error_class(prism) == "No operations found in the current file."
    assert error_class("") == "exited without a message"


def test_the_summary_counts_what_prism_starts_and_the_mock_does_not() -> None:
    rows = [{"document": "a.json", "mock": {"started": True, "seconds": 1.0, "error": ""},
             "prism": {"started": True, "seconds": 3.0, "error": ""}},
            {"document": "b.json", "mock": {"started": False, "seconds": 60.0, "error": "timeout"},
             "prism": {"started": True, "seconds": 5.0, "error": ""}},
            {"document": "c|d.json", "mock": {"started": False, "seconds": 2.0, "error": "traceback"},
             "prism": {"started": False, "seconds": 1.0, "error": "Unable to parse"}}]
    assert summary(rows, ["mock", "prism"]) == (
        "3 documents; mock: 1 started, median start 1.0 s, 1 tracebacks, 1 timeouts; "
        "prism: 2 started, median start 4.0 s, 0 tracebacks, 0 timeouts; 1 started by Prism and not by the mock")
    written = table(rows, ["mock", "prism"], "sample")
    assert "| 1 | timeout |" in written and "| c\\|d.json | no | 2.00 | traceback | no | 1.00 | Unable to parse |" in written
