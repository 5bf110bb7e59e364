"""A whole life (create, read, update, list, delete, read again, list again) on every collection of
the six real-world documents (tests/data/specs/real-world) and of DigitalOcean's split copy
(tests/data/specs/digitalocean), as a client of each API writes it: its base path, credentials,
required headers and query parameters, envelopes. (The three large extracts' lives are in
test_engine_real_shapes.py.)

Collections per document, as each document has them: readme-api 3 (changelogs, custom pages,
versions); google-tasks 2 (task lists, and tasks within one); xero-files 2 whole (folders, files)
and one without read or update (a file's associations); DigitalOcean's copy 2 (SSH keys, and
domains, which it gives no update), its whole description (bench/data/large) 4 (SSH keys, VPCs,
projects, and tags, which it gives no update); dotnet-eshop-catalog, redocly-museum and scalar-galaxy 1 each.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.core.spec_loading import load_spec
from tests.conftest import ROOT, shared_mock
from tests.inline_client import InlineClient

SPECS = ROOT / "tests" / "data" / "specs"
BEARER = {"Authorization": "Bearer any-token"}
BASIC = {"Authorization": "Basic " + base64.b64encode(b"user:any-password").decode()}
XERO = {**BEARER, "xero-tenant-id": "tenant-1"}
DIGITALOCEAN = "digitalocean/specification/DigitalOcean-public.v2.yaml"
# DigitalOcean's whole description, as published over 2,907 files (bench/data/large/digitalocean)
WHOLE = ROOT / "bench" / "data" / "large"
WHOLE_DIGITALOCEAN = str(WHOLE / DIGITALOCEAN)
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockKeyOnlyForTests test@example.com"


def bare(body: Any) -> Any:
    return body


def under(key: str) -> Callable[[Any], Any]:
    return lambda body: body[key]


@dataclass(frozen=True)
class Life:
    """One collection's life: where it is (below the document's base path), what is sent, how
    items and lists are wrapped (``item``, ``listed``: the item or the list out of a body; ``None``
    where the document gives the answer no body), and what the requests must also carry."""

    document: str
    collection: str
    create: dict[str, Any]  # keyword arguments of the create request
    change: dict[str, Any] | None  # of the update (None: the document has none)
    update: str = "put"
    item: Callable[[Any], Any] | None = bare
    listed: Callable[[Any], Any] | None = bare
    headers: dict[str, str] = field(default_factory=lambda: dict(BEARER))
    params: dict[str, str] = field(default_factory=dict)
    kept: dict[str, Any] | None = None  # what a read shows of the create (default: the fields sent)

    def __str__(self) -> str:
        whole = "whole " if self.document.startswith(str(WHOLE)) else ""
        return f"{whole}{self.document.split('/')[-1].split('.')[0]} {self.collection}"


LIVES = [
    Life("real-world/dotnet-eshop-catalog.yaml", "/api/catalog/items", {"json": {"name": "Mug", "price": 3.5}},
         {"json": {"name": "Cup", "price": 4}}, listed=under("data"), params={"api-version": "2.0"}),
    Life("real-world/google-tasks.yaml", "/tasks/v1/users/@me/lists", {"json": {"title": "Home"}},
         {"json": {"title": "Work"}}, update="patch", listed=under("items")),
    Life("real-world/google-tasks.yaml", "/tasks/v1/lists/list-7/tasks", {"json": {"title": "Call", "notes": "n"}},
         {"json": {"title": "Call back"}}, listed=under("items")),
    Life("real-world/readme-api.yaml", "/changelogs", {"json": {"title": "v1", "body": "first"}},
         {"json": {"title": "v1.1", "body": "second"}}, item=None, listed=None, headers=BASIC),
    Life("real-world/readme-api.yaml", "/custompages", {"json": {"title": "About"}},
         {"json": {"title": "About us"}}, item=None, listed=None, headers=BASIC),
    Life("real-world/readme-api.yaml", "/version", {"json": {"version": "1.1", "from": "1.0"}},
         {"json": {"version": "1.2", "from": "1.0"}}, item=None, listed=None, headers=BASIC),
    Life("real-world/redocly-museum.yaml", "/special-events",
         {"json": {"name": "Night", "location": "Hall", "eventDescription": "Late opening",
                   "dates": ["2026-01-01"], "price": 5}},
         {"json": {"price": 7}}, update="patch", headers=BASIC),
    Life("real-world/scalar-galaxy.yaml", "/planets", {"json": {"name": "Mars"}}, {"json": {"name": "Ares"}},
         listed=under("data")),
    Life("real-world/xero-files.yaml", "/Folders", {"json": {"Name": "Bills", "name": "Bills"}},
         {"json": {"Name": "Receipts", "name": "Receipts"}}, headers=XERO),
    Life("real-world/xero-files.yaml", "/Files",
         {"files": {"body": ("a.txt", b"hello", "text/plain")}, "data": {"name": "a.txt", "filename": "a.txt"}},
         {"json": {"Name": "b.txt", "id": "1", "name": "b.txt", "manufacturer": "m", "releaseDate": "2026-01-01"}},
         listed=under("Items"), headers=XERO, kept={"name": "a.txt", "filename": "a.txt"}),
    # One item wrapped in a property named after its resource: {"ssh_key": {...}} at /v2/account/keys
    Life(DIGITALOCEAN, "/v2/account/keys", {"json": {"name": "laptop", "public_key": SSH_KEY}},
         {"json": {"name": "desktop"}}, item=under("ssh_key"), listed=under("ssh_keys")),
    # ... and read by a natural key the client chooses: a domain's name ({domain_name})
    Life(DIGITALOCEAN, "/v2/domains", {"json": {"name": "example.com"}}, None,
         item=under("domain"), listed=under("domains")),
    # Four collections of the whole description (659 operations)
    Life(WHOLE_DIGITALOCEAN, "/v2/account/keys", {"json": {"name": "laptop", "public_key": SSH_KEY}},
         {"json": {"name": "desktop", "public_key": SSH_KEY}}, item=under("ssh_key"), listed=under("ssh_keys")),
    Life(WHOLE_DIGITALOCEAN, "/v2/vpcs", {"json": {"name": "net", "region": "nyc1"}},
         {"json": {"name": "net-2", "region": "nyc1"}}, item=under("vpc"), listed=under("vpcs")),
    Life(WHOLE_DIGITALOCEAN, "/v2/projects", {"json": {"name": "site", "purpose": "Web Application"}},
         {"json": {"name": "shop", "description": "the shop", "purpose": "Web Application",
                   "environment": "Production", "is_default": False}},
         item=under("project"), listed=under("projects")),
    # ... and a tag, read by the name it was created with at /v2/tags/{tag_id}
    Life(WHOLE_DIGITALOCEAN, "/v2/tags", {"json": {"name": "awesome"}}, None, item=under("tag"), listed=under("tags")),
]


def sent(arguments: dict[str, Any]) -> dict[str, Any]:
    """The fields a request sends (a JSON body, or a form's text fields)."""
    return dict(arguments.get("json") or arguments.get("data") or {})


@pytest.mark.parametrize("life", [  # building the whole DigitalOcean takes seconds
    pytest.param(life, marks=pytest.mark.slow) if life.document == WHOLE_DIGITALOCEAN else life for life in LIVES],
    ids=str)
def test_a_collection_lives_and_dies_as_its_document_says(life: Life) -> None:
    path = SPECS / life.document
    client = InlineClient(shared_mock(Config(specs=(path,))).app)
    url = load_spec(path).base_path + life.collection
    ask: dict[str, Any] = {"headers": life.headers, "params": life.params}

    created = client.post(url, **life.create, **ask)
    assert created.status_code in (200, 201), created.text
    location = created.headers["location"].removeprefix("http://testserver")
    assert location.startswith(url + "/")
    item_id = location.removeprefix(url + "/")
    read = client.get(location, **ask)
    assert read.status_code == 200, read.text
    if life.item is not None:
        kept = sent(life.create) if life.kept is None else life.kept
        assert life.item(read.json()).items() >= kept.items()
        assert not created.content or life.item(read.json()) == life.item(created.json())
    if life.change is not None:
        updated = client.request(life.update.upper(), location, **life.change, **ask)
        assert updated.status_code in (200, 201), updated.text  # eShop documents its update's 201
        if life.item is not None:
            now = life.item(client.get(location, **ask).json())
            assert now.items() >= sent(life.change).items()
            assert not updated.content or life.item(updated.json()) == now
    listed = client.get(url, **ask)
    assert listed.status_code == 200, listed.text
    if life.listed is not None and life.item is not None:
        assert life.listed(listed.json()) == [life.item(client.get(location, **ask).json())]
    assert client.delete(location, **ask).status_code in (200, 204)
    gone = client.get(location, **ask)
    assert gone.status_code == 404, gone.text
    assert item_id in gone.text or not gone.content
    if life.listed is not None:
        assert life.listed(client.get(url, **ask).json()) == []


@pytest.mark.slow  # building the whole DigitalOcean takes seconds
def test_a_tag_is_read_by_the_name_it_was_created_with() -> None:
    # DigitalOcean's {tag_id} is "The name of the tag", constrained as the tag's name is
    client = InlineClient(shared_mock(Config(specs=(SPECS / WHOLE_DIGITALOCEAN,))).app)
    created = client.post("/v2/tags", json={"name": "awesome"}, headers=BEARER)
    assert created.status_code == 201 and created.headers["location"].endswith("/v2/tags/awesome")
    assert client.get("/v2/tags/awesome", headers=BEARER).json() == {"tag": {"name": "awesome"}}
    for hostile in ("../awesome", "a/b", "..", "%2e%2e", ""):  # a name that would be another path
        refused = client.post("/v2/tags", json={"name": hostile}, headers=BEARER)
        assert refused.status_code in (400, 422), refused.text
    assert [tag["name"] for tag in client.get("/v2/tags", headers=BEARER).json()["tags"]] == ["awesome"]


@pytest.mark.slow  # building the whole DigitalOcean takes seconds
def test_a_reserved_ipv6_address_is_read_by_the_address_assigned_to_it() -> None:
    # {reserved_ipv6} is an IPv6 address, as the item's ip is: the id assigned is an address
    client = InlineClient(shared_mock(Config(specs=(SPECS / WHOLE_DIGITALOCEAN,))).app)
    created = client.post("/v2/reserved_ipv6", json={"region_slug": "nyc3"}, headers=BEARER)
    assert created.status_code == 201, created.text
    address = created.json()["reserved_ipv6"]["ip"]
    assert ipaddress.IPv6Address(address) in ipaddress.IPv6Network("2001:db8::/32")
    read = client.get(f"/v2/reserved_ipv6/{address}", headers=BEARER)
    assert read.status_code == 200 and read.json()["reserved_ipv6"]["ip"] == address


def test_a_count_in_an_object_made_of_all_of_parts_counts_the_items() -> None:
    # DigitalOcean's list meta is `allOf: [{$ref: meta_properties.yml}, {required: [total]}]`.
    path = SPECS / DIGITALOCEAN
    client = InlineClient(shared_mock(Config(specs=(path,))).app)
    assert client.get("/v2/account/keys", headers=BEARER).json()["meta"] == {"total": 0}
    created = client.post("/v2/account/keys", json={"name": "laptop", "public_key": SSH_KEY}, headers=BEARER)
    assert client.get("/v2/account/keys", headers=BEARER).json()["meta"] == {"total": 1}
    client.delete(created.headers["location"], headers=BEARER)
    assert client.get("/v2/account/keys", headers=BEARER).json()["meta"] == {"total": 0}


def test_a_natural_key_chosen_twice_is_a_conflict_and_the_first_item_is_kept() -> None:
    client = InlineClient(shared_mock(Config(specs=(SPECS / DIGITALOCEAN,))).app)
    first = client.post("/v2/domains", json={"name": "twice.example"}, headers=BEARER)
    assert first.status_code == 201 and first.headers["location"].endswith("/v2/domains/twice.example")
    again = client.post("/v2/domains", json={"name": "twice.example", "ip_address": "192.0.2.9"}, headers=BEARER)
    assert again.status_code == 409 and "twice.example" in again.text
    assert [domain["name"] for domain in client.get("/v2/domains", headers=BEARER).json()["domains"]] == [
        "twice.example"]
    assert client.delete("/v2/domains/twice.example", headers=BEARER).status_code == 204
