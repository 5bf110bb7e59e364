"""Which schemas take a single query value."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.errors import ValidationFailed
from mockserver.server.connexion_adapter.query_repeats import refuse_repeated_single_values, takes_one_value


@pytest.mark.parametrize(("schema", "one"), [
    ({"type": "string"}, True),
    ({"type": "integer", "minimum": 1}, True),
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, True),
    ({"type": "array", "items": {"type": "string"}}, False),
    ({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}, False),
    ({"type": ["string", "array"]}, False),
    ({}, False),  # no declared type: anything, a repeat included
])
def test_only_schemas_that_allow_no_array_take_one_value(schema: dict[str, Any], one: bool) -> None:
    assert takes_one_value(schema) is one


def test_the_first_repeated_single_value_parameter_is_named() -> None:
    parameters = [{"name": "tags", "schema": {"type": "array"}}, {"name": "q", "schema": {"type": "string"}}]
    refuse_repeated_single_values(b"tags=a&tags=b&q=x", parameters)
    with pytest.raises(ValidationFailed, match="'q' takes one value \\(given 3 times\\)"):
        refuse_repeated_single_values(b"tags=a&q=x&q=y&%71=z", parameters)
