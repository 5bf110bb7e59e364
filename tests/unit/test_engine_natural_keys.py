"""``engine.naming.natural_key``: the id a client chooses in a create body (DigitalOcean's domain
``name``, read at ``/v2/domains/{domain_name}``) is the item's id where the id property is a
natural key; ids named like assigned ones (``id``, ``memory_id``, ``sid``...), typed as numbers or
uuids, or read-only, stay the server's to assign."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.engine.naming import natural_key

TEXT = {"type": "string"}


@pytest.mark.parametrize(("name", "schema", "body", "key"), [
    ("name", TEXT, {"name": "example.com"}, "example.com"),  # DigitalOcean's domains
    ("slug", TEXT, {"slug": "getting-started", "title": "Getting started"}, "getting-started"),
    ("regionCode", {}, {"regionCode": "CA"}, "CA"),
    ("name", {"type": ["string", "null"]}, {"name": "a b?c"}, "a b?c"),  # quoted in the item's URL
])
def test_a_natural_key_the_client_sends_is_the_id(name: str, schema: dict[str, Any], body: dict[str, Any],
                                                  key: str) -> None:
    assert natural_key(name, schema, body) == key


@pytest.mark.parametrize(("name", "schema", "body"), [
    ("id", TEXT, {"id": "mine"}),
    ("memory_id", TEXT, {"memory_id": "mine"}),
    ("eventId", TEXT, {"eventId": "mine"}),
    ("sid", TEXT, {"sid": "AC01"}),
    ("number", {"type": "integer"}, {"number": 7}),  # a number: the next one is the server's
    ("key", {"type": "string", "format": "uuid"}, {"key": "00000000-0000-4000-8000-000000000001"}),
    ("name", {"type": "string", "readOnly": True}, {"name": "example.com"}),
    ("name", TEXT, {"title": "no name sent"}),
    ("name", TEXT, {"name": ""}),
    ("name", TEXT, {"name": "a/b"}),  # no single path segment holds it
    ("name", TEXT, {"name": ".."}),
    ("name", TEXT, {"name": 7}),
], ids=["id", "memory_id", "eventId", "sid", "integer", "uuid", "read-only", "not sent", "empty", "slash",
        "dot segment", "not text"])
def test_other_ids_stay_the_servers_to_assign(name: str, schema: dict[str, Any], body: dict[str, Any]) -> None:
    assert natural_key(name, schema, body) is None
