"""YAML documents and fixtures are read as JSON data written in YAML 1.2 (what OpenAPI recommends:
the JSON schema ruleset), not with YAML 1.1's extra implicit types."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.core.data_files import parse_data
from mockserver.errors import SpecError

WRITTEN = Path("written.yaml")


def parsed(text: str) -> object:
    return parse_data(WRITTEN, text, SpecError)


@pytest.mark.parametrize(("written", "value"), [
    ("18:00", "18:00"),  # YAML 1.1: 1080 (base 60): Redocly's museum documents closing hours so
    ("190:20:30", "190:20:30"),
    ("NO", "NO"), ("no", "no"), ("yes", "yes"), ("on", "on"), ("Off", "Off"), ("y", "y"),  # 1.1: booleans
    ("1_000", "1_000"), ("0b101", "0b101"), ("1_0.5", "1_0.5"),  # 1.1: 1000, 5, 10.5
    ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"), ("2020-12-03", "2020-12-03"),
])
def test_a_plain_scalar_yaml_1_1_would_convert_stays_the_string_it_is_in_yaml_1_2(written: str, value: str) -> None:
    assert parsed(f"a: {written}\n") == {"a": value}


@pytest.mark.parametrize(("written", "value"), [
    ("true", True), ("False", False), ("TRUE", True), ("null", None), ("~", None), ("", None),
    ("42", 42), ("-7", -7), ("+3", 3), ("014", 14), ("0o14", 12), ("0x1F", 31),
    ("1.5", 1.5), ("1e3", 1000.0), ("-2.5E-1", -0.25), (".5", 0.5),
])
def test_yaml_1_2_core_scalars_keep_their_types(written: str, value: object) -> None:
    read = parsed(f"a: {written}\n")
    assert read == {"a": value} and type(read["a"]) is type(value)  # type: ignore[index]


def test_infinity_and_not_a_number_are_floats() -> None:
    read = parsed("a: .inf\nb: -.Inf\nc: .NaN\n")
    assert read["a"] == float("inf") and read["b"] == float("-inf") and read["c"] != read["c"]  # type: ignore[index]


def test_a_key_is_the_text_written() -> None:
    assert parsed("200: ok\nno: x\n18:00: y\n") == {"200": "ok", "no": "x", "18:00": "y"}


def test_merge_keys_still_merge() -> None:
    assert parsed("base: &b {type: string}\nname:\n  <<: *b\n  maxLength: 3\n")["name"] == {  # type: ignore[index]
        "type": "string", "maxLength": 3}
