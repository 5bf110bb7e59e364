"""``engine.envelopes``: which schemas wrap one item (``{"data": {...}}``, DigitalOcean's
``{"ssh_key": {...}}``) and which are items themselves, even with a single object property."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.engine.envelopes import resource_of, unwrapped, wrapper
from tests.unit.inline_specs import answer, ref, spec_of

KEY = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
LINKS = {"type": "object", "properties": {"pages": {"type": "object"}}}
DOCUMENT: dict[str, Any] = {"components": {"schemas": {"SshKey": KEY}}}


def properties(**named: Any) -> dict[str, Any]:
    return {"type": "object", "properties": named}


@pytest.mark.parametrize(("schema", "resource", "key"), [
    (properties(data=ref("SshKey")), None, "data"),  # named like a wrapper: whatever the path
    (properties(data=ref("SshKey"), meta=LINKS, links=LINKS), "keys", "data"),
    (properties(ssh_key=ref("SshKey")), "keys", "ssh_key"),  # DigitalOcean's /v2/account/keys
    (properties(ssh_key=ref("SshKey"), links=LINKS), "keys", "ssh_key"),
    (properties(domain=KEY), "domains", "domain"),
    (properties(floating_ip=KEY), "floating_ips", "floating_ip"),
    (properties(policy=KEY), "policies", "policy"),
    (properties(app=KEY), "apps", "app"),
], ids=["data", "data with metadata", "ssh_key", "ssh_key with links", "domain", "floating_ip", "policy", "app"])
def test_a_sole_object_named_like_a_wrapper_or_after_its_resource_is_an_envelope(
        schema: dict[str, Any], resource: str | None, key: str) -> None:
    assert wrapper(DOCUMENT, schema, resource) == key


@pytest.mark.parametrize(("schema", "resource"), [
    (properties(preferences=KEY), "settings"),  # a settings item holding one object
    (properties(spec=KEY), "apps"),  # DigitalOcean's create body of an app: the app's spec
    (properties(ssh_key=ref("SshKey")), None),  # no resource to name it after
    (properties(ssh_keys={"type": "array", "items": ref("SshKey")}), "keys"),  # a list: paging's
    (properties(domain={"type": "string"}), "domains"),  # not an object
    (properties(domain=KEY, ttl={"type": "integer"}), "domains"),  # a field beside it: an item
    (properties(id={"type": "integer"}, data=KEY), "keys"),  # an item whose data is its payload
    (properties(data=KEY, result=KEY), None),  # two wrappers: which?
], ids=["one object property", "named otherwise", "no resource", "array", "scalar", "beside a field",
        "data beside an id", "two wrappers"])
def test_an_item_with_a_single_object_property_is_no_envelope_unless_named_for_one(
        schema: dict[str, Any], resource: str | None) -> None:
    assert wrapper(DOCUMENT, schema, resource) is None


@pytest.mark.parametrize(("path", "resource"), [
    ("/v2/account/keys", "keys"), ("/v2/account/keys/{ssh_key_identifier}", "keys"),
    ("/owners/{ownerId}/pets/{petId}", "pets"), ("/Queues/{Sid}.json", "Queues"), ("/{id}", None),
])
def test_the_resource_of_a_path_is_its_last_fixed_segment(path: str, resource: str | None) -> None:
    assert resource_of(path) == resource


def test_unwrapped_gives_the_items_schema_and_the_key_only_for_its_resource() -> None:
    spec = spec_of({"/keys/{id}": {"get": answer(properties(ssh_key=ref("SshKey")))}}, {"SshKey": KEY})
    pointer = "/paths/~1keys~1{id}/get/responses/200/content/application~1json/schema"
    assert unwrapped(spec, pointer, "keys") == (pointer + "/properties/ssh_key", "ssh_key")
    assert unwrapped(spec, pointer, "settings") == (pointer, None)
    assert unwrapped(spec, None, "keys") == (None, None)
