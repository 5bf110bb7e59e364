"""The ids the engine assigns fit the id's schema, the same in every run (engine.ids)."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from mockserver.engine.ids import matching, new_id


@pytest.mark.parametrize(("schema", "number", "expected"), [
    ({"type": "integer"}, 3, 3),
    ({"type": "integer", "minimum": 1000}, 3, 1002),
    ({"type": "string", "format": "uuid"}, 255, "00000000-0000-4000-8000-0000000000ff"),
    ({"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$"}, 12, "AC" + "12".rjust(32, "0")),
    ({"type": "string", "pattern": "^(ord|inv)_[a-z0-9]{8,}$"}, 7, "ord_00000007"),
    ({"type": "string", "pattern": "^[a-z]{3}$"}, 28, "abc"),
    ({"type": "string", "minLength": 4}, 7, "0007"),
    ({"type": "string"}, 7, "7"),
    ({"type": "string", "format": "ipv6"}, 70000, "2001:db8::1:1170"),
    ({"type": "string", "format": "ipv4"}, 70000, "10.1.17.112"),
    ({"type": "string", "format": "email"}, 7, "item7@example.com"),
    ({"type": "string", "format": "hostname"}, 7, "item7.example.com"),
])
def test_an_assigned_id_fits_its_schema(schema: dict, number: int, expected: object) -> None:
    assert new_id(schema, number) == expected
    if "pattern" in schema:
        assert re.search(schema["pattern"], str(expected))
    if "format" in schema:
        checker = Draft202012Validator.FORMAT_CHECKER
        assert checker.conforms(expected, schema["format"]) or schema["format"] not in checker.checkers


@pytest.mark.parametrize("pattern", [r"^(a)\1$", r"^[a-z]$", r"(?<=x)y", "["])
def test_a_pattern_that_cannot_hold_the_number_gives_none(pattern: str) -> None:
    assert matching(pattern, 5) is None
