"""``core.bounded_regex`` and ``core.pattern_keywords``: a backtracking ``pattern`` is matched
with a bound on time, an undecided value is left unchecked, and every decided one is checked as
jsonschema checks it."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mockserver.core.bounded_regex import matches, refuses, search
from mockserver.core.schema import make_validator

# BeezUP's URL pattern: minutes for Python's re on ALMOST, microseconds for the regex module
BEEZUP = r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$"
# one that backtracks in the regex module too: alternatives that overlap, repeated
BACKTRACKING = r"^([a-z0-9]|[a-z0-9]{2})+$"
ALMOST = "a" * 60 + "!"


def test_a_backtracking_match_is_left_undecided_instead_of_holding_the_caller() -> None:
    assert search(BACKTRACKING, ALMOST) is None
    assert not matches(BACKTRACKING, ALMOST) and not refuses(BACKTRACKING, ALMOST)


def test_decided_matches_are_answered_either_way() -> None:
    assert search(BACKTRACKING, "abc") is True
    assert search(BACKTRACKING, "a!") is False
    assert search(BEEZUP, "http://www.example.com/path") is True
    assert search(BEEZUP, "http://www.example.com/" + "a" * 60 + "!") is False


def test_a_pattern_the_regex_module_cannot_read_is_undecided() -> None:
    assert search("(unclosed", "anything") is None


def test_a_value_whose_pattern_is_undecided_is_left_unchecked_by_validation() -> None:
    validator = make_validator({"type": "string", "pattern": BACKTRACKING})
    assert validator.is_valid(ALMOST)
    assert not validator.is_valid("a!")


@pytest.mark.parametrize(("schema", "instance"), [
    ({"type": "string", "pattern": "^[a-z]+$"}, "abc"),
    ({"type": "string", "pattern": "^[a-z]+$"}, "ABC"),
    ({"patternProperties": {"^x-": {"type": "integer"}}}, {"x-a": "one", "y": 1}),
    ({"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": False}, {"x-a": 1, "y": 1}),
    ({"properties": {"a": {}}, "additionalProperties": False}, {"a": 1, "b": 2, "c": 3}),
    ({"properties": {"a": {}}, "additionalProperties": {"type": "string"}}, {"a": 1, "b": 2}),
])
def test_decided_checks_say_what_jsonschema_says(schema: dict[str, Any], instance: Any) -> None:
    ours = sorted(error.message for error in make_validator(schema).iter_errors(instance))
    theirs = sorted(error.message for error in Draft202012Validator(schema).iter_errors(instance))
    assert ours == theirs


def test_a_property_name_whose_match_is_undecided_is_neither_checked_nor_refused() -> None:
    schema = {"patternProperties": {BACKTRACKING: {"type": "integer"}}, "additionalProperties": False}
    assert make_validator(schema).is_valid({ALMOST: "not an integer"})
    assert not make_validator(schema).is_valid({"a!": 1})
