"""A schema's ``type`` reads as the set of names it gives, whichever way the document writes it."""

from __future__ import annotations

import pytest

from mockserver.core.type_keyword import type_names


@pytest.mark.parametrize(("schema", "names"), [
    ({"type": "integer"}, {"integer"}),  # 3.0: one name
    ({"type": ["string", "null"]}, {"string", "null"}),  # 3.1: a list
    ({}, set()),  # no type: any
    ({"type": {"type": "string"}}, set()),  # a mapping where a property was meant (Codat): any
    ({"type": ["integer", 7]}, {"integer"}),  # what is no name is no type
])
def test_the_type_keyword_reads_as_the_names_it_gives(schema: dict[str, object], names: set[str]) -> None:
    assert type_names(schema) == names
