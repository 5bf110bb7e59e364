"""ECMA-262 patterns, the dialect JSON Schema names, read by Python's ``re`` as JavaScript reads them."""

from __future__ import annotations

import re

import pytest

from mockserver.core.ecma_regex import is_valid, python_pattern
from mockserver.core.schema_patterns import with_python_patterns


def matches(pattern: str, text: str) -> bool:
    return re.fullmatch(python_pattern(pattern), text) is not None


def test_unicode_properties_match_their_characters_in_any_script() -> None:
    aws_tag = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
    assert all(matches(aws_tag, text) for text in ("héllo wörld", "東京_1", "Ωmega:42", "a/b=c+d-e@f"))
    assert not any(matches(aws_tag, text) for text in ("a!b", "semi;colon", "tab\tkey"))
    assert matches(r"\p{Lu}\p{Ll}+", "Émile") and not matches(r"\p{Lu}\p{Ll}+", "émile")
    assert matches(r"\P{L}+", "12 3") and not matches(r"\P{L}+", "1a")


def test_scripts_match_their_own_letters_only() -> None:
    names = r"^[A-Za-z \p{Han}\p{Katakana}\p{Hiragana}\p{Hangul}-]*$"  # Amadeus's hotel guest names
    assert all(matches(names, text) for text in ("Tanaka 田中", "タナカ", "たなか", "김민준", "Smith-Jones"))
    assert not matches(names, "Müller") and not matches(names, "Иван")
    assert matches(r"\p{Latin}+", "Müller") and not matches(r"\p{Greek}+", "Müller")


def test_javascript_only_syntax_is_rewritten() -> None:
    assert matches(r"(?<year>\d{4})-\k<year>", "2024-2024") and not matches(r"(?<year>\d{4})-\k<year>", "2024-2025")
    assert matches(r"[^]+", "any\nthing") and not matches(r"a[]", "a")
    assert matches(r"\i\d", "i7")  # an identity escape of a letter is the letter
    assert matches(r"\cJ", "\n")


@pytest.mark.parametrize("pattern", [r"^[a-z]+$", r"\d{3}-\d{4}", r"^\w+@\w+\.\w{2,}$", r"[\[\]]", "plain"])
def test_patterns_python_reads_alike_are_left_as_they_are(pattern: str) -> None:
    assert python_pattern(pattern) == pattern


def test_only_broken_patterns_are_invalid() -> None:
    assert is_valid(r"[\p{L}]+") and is_valid(r"(?<n>a)\k<n>")
    assert not any(is_valid(pattern) for pattern in ("(", "[a-", "a{2,1}", "*a"))


def test_schemas_are_rewritten_and_values_left_alone() -> None:
    document = {"components": {"schemas": {
        "Tag": {"type": "string", "pattern": r"\p{L}+", "example": {"pattern": r"\p{L}"}},
        "Map": {"type": "object", "patternProperties": {r"^\p{Lu}": {"type": "string"}}},
        "Plain": {"type": "string", "pattern": "^[a-z]+$"}}}}
    rewritten = with_python_patterns(document)["components"]["schemas"]
    assert re.fullmatch(rewritten["Tag"]["pattern"], "żółw")
    assert rewritten["Tag"]["example"] == {"pattern": r"\p{L}"}
    assert all(re.match(key, "Ärger") for key in rewritten["Map"]["patternProperties"])
    assert rewritten["Plain"] is document["components"]["schemas"]["Plain"]
    unchanged = {"paths": {}, "components": {"schemas": {"Plain": {"pattern": "^a$"}}}}
    assert with_python_patterns(unchanged) is unchanged


def test_a_hyphen_beside_a_class_escape_in_a_set_is_a_hyphen() -> None:
    email = r"^[\w-.+]+@[\w-.+]+$"  # AWS CodeStar's email pattern: Python's re refuses the range
    assert matches(email, "jane.doe-x+1@example-mail.com") and not matches(email, "a b@c")
    assert matches(r"[.-\d]+", "1-2.3") and not matches(r"[.-\d]+", "a")
    assert matches(r"[\p{L}-9]+", "é-9") and not matches(r"[\p{L}-9]+", "5")
    assert is_valid(email) and python_pattern(r"[\w-]") == r"[\w-]"


def test_a_property_named_like_a_value_keyword_keeps_its_schema_rewritten() -> None:
    schema = {"type": "object", "properties": {"default": {"type": "string", "pattern": r"\p{L}+"}},
              "default": {"pattern": r"\p{L}"}}
    rewritten = with_python_patterns(schema)
    assert re.fullmatch(rewritten["properties"]["default"]["pattern"], "żółw")
    assert rewritten["default"] == {"pattern": r"\p{L}"}
