"""Resources as three large public APIs shape them, each a reduced extract in
``tests/data/specs/large/``: Twilio's collections end in ``.json`` under an account, take form
bodies named unlike their items and update by ``POST`` on the item path; Asana wraps every body in
``{"data": ...}`` and names ids ``gid``; Box's errors are an object whose ``code`` is an enum. On
each, a whole life (create, read, update, list, delete, read again) holds on three collections,
and every error the mock makes fits the operation's documented error schema."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.config import Config
from mockserver.core.spec_loading import load_spec
from mockserver.engine import reading
from mockserver.engine.fitting import Fitter
from mockserver.validate.checks import check_documents
from tests.conftest import ROOT, shared_mock
from tests.inline_client import InlineClient

LARGE = ROOT / "tests" / "data" / "specs" / "large"
TWILIO = LARGE / "twilio-queues-addresses-applications.yaml"
ASANA = LARGE / "asana-projects-tags-portfolios.yaml"
BOX = LARGE / "box-webhooks-groups-retention-policies.json"
ACCOUNT = "/2010-04-01/Accounts/AC" + "0" * 31 + "7"
BASIC = ("ACuser", "token")  # Twilio's documented HTTP basic scheme (any credentials without a key)
BEARER = {"Authorization": "Bearer any-token"}


def client_for(document: Any) -> InlineClient:
    return InlineClient(shared_mock(Config(specs=(document,))).app)


def fits_documented(document: Any, key: str, status: int, body: Any) -> bool:
    """Whether ``body`` fits the schema operation ``key`` documents for ``status`` (else by default)."""
    spec = load_spec(document)
    [operation] = [op for op in spec.operations() if op.key == key]
    documented = str(status) if str(status) in operation.definition["responses"] else "default"
    pointer = reading.response_schema_pointer(spec, operation, documented)
    return pointer is not None and Fitter(spec).fits(pointer, body)


@pytest.mark.parametrize(("resource", "prefix", "fields", "change", "listed"), [
    ("Queues", "QU", {"FriendlyName": "support", "MaxSize": "5"}, {"FriendlyName": "sales"}, "queues"),
    ("Addresses", "AD", {"FriendlyName": "home", "CustomerName": "Ann", "Street": "1 Main St", "City": "Oslo",
                         "Region": "Oslo", "PostalCode": "0150", "IsoCountry": "NO"}, {"City": "Bergen"},
     "addresses"),
    ("Applications", "AP", {"FriendlyName": "dialer"}, {"FriendlyName": "pager"}, "applications"),
])
def test_twilio_collections_ending_in_json_live_and_die_with_form_bodies_and_post_updates(
        resource: str, prefix: str, fields: dict[str, str], change: dict[str, str], listed: str) -> None:
    client = client_for(TWILIO)
    created = client.post(f"{ACCOUNT}/{resource}.json", data=fields, auth=BASIC)
    assert created.status_code == 201
    item = created.json()
    sid = prefix + "0" * 31 + "1"  # the pattern's own shape: ^QU[0-9a-fA-F]{32}$
    assert (item["sid"], item["friendly_name"], item["account_sid"]) == (sid, fields["FriendlyName"], ACCOUNT[-34:])
    item_url = f"{ACCOUNT}/{resource}/{sid}.json"
    assert client.get(item_url, auth=BASIC).json() == item
    updated = client.post(item_url, data=change, auth=BASIC)
    [(name, value)] = change.items()
    snake = {"FriendlyName": "friendly_name", "City": "city"}[name]
    assert (updated.status_code, updated.json()[snake]) == (200, value)
    assert client.get(item_url, auth=BASIC).json() == updated.json()
    page = client.get(f"{ACCOUNT}/{resource}.json", auth=BASIC).json()
    assert [entry["sid"] for entry in page[listed]] == [sid]
    assert client.delete(item_url, auth=BASIC).status_code == 204
    assert client.get(item_url, auth=BASIC).status_code == 404
    assert client.get(f"{ACCOUNT}/{resource}.json", auth=BASIC).json()[listed] == []


def test_twilio_items_are_kept_apart_per_account() -> None:
    client = client_for(TWILIO)
    client.post(f"{ACCOUNT}/Queues.json", data={"FriendlyName": "mine"}, auth=BASIC)
    other = "/2010-04-01/Accounts/AC" + "0" * 31 + "8"
    assert client.get(f"{other}/Queues.json", auth=BASIC).json()["queues"] == []


@pytest.mark.parametrize(("collection", "sent", "change"), [
    ("projects", {"name": "Launch", "notes": "by Friday"}, {"name": "Launch v2"}),
    ("tags", {"name": "urgent", "color": "dark-red"}, {"name": "later"}),
    ("portfolios", {"name": "Roadmap", "color": "light-green"}, {"name": "Roadmap 2027"}),
])
def test_asana_collections_take_and_answer_items_wrapped_in_data(
        collection: str, sent: dict[str, str], change: dict[str, str]) -> None:
    client = client_for(ASANA)
    url = f"/api/1.0/{collection}"
    created = client.post(url, json={"data": sent}, headers=BEARER)
    assert created.status_code == 201
    assert created.json() == {"data": {**sent, "gid": "1"}}  # what was sent is kept; the id is gid
    assert client.get(f"{url}/1", headers=BEARER).json() == {"data": {**sent, "gid": "1"}}
    updated = client.put(f"{url}/1", json={"data": change}, headers=BEARER)
    assert (updated.status_code, updated.json()["data"]["name"]) == (200, change["name"])
    query = {"workspace": "1"} if collection == "portfolios" else {}
    listed = client.get(url, params=query, headers=BEARER).json()
    assert listed == {"data": [updated.json()["data"]]}  # one envelope: no data inside data
    removed = client.delete(f"{url}/1", headers=BEARER)
    assert (removed.status_code, removed.json()) == (200, {"data": {}})
    gone = client.get(f"{url}/1", headers=BEARER)
    assert gone.status_code == 404
    assert gone.json()["errors"][0]["message"] == f"No item with gid '1' in /{collection}"
    assert fits_documented(ASANA, "getProject" if collection == "projects" else {
        "tags": "getTag", "portfolios": "getPortfolio"}[collection], 404, gone.json())


@pytest.mark.parametrize(("collection", "sent", "change"), [
    ("webhooks", {"target": {"id": "12", "type": "file"}, "address": "https://example.com/hook",
                  "triggers": ["FILE.UPLOADED"]}, {"address": "https://example.com/other"}),
    ("groups", {"name": "Engineering"}, {"name": "Platform"}),
    ("retention_policies", {"policy_name": "Keep", "policy_type": "indefinite", "retention_type": "modifiable",
                            "disposition_action": "remove_retention"}, {"policy_name": "Keep all"}),
])
def test_box_collections_live_and_die(collection: str, sent: dict[str, Any], change: dict[str, str]) -> None:
    client = client_for(BOX)
    url = f"/2.0/{collection}"
    created = client.post(url, json=sent, headers=BEARER)
    assert created.status_code == 201
    assert created.json().items() >= {**sent, "id": "1"}.items()
    assert client.get(f"{url}/1", headers=BEARER).json() == created.json()
    updated = client.put(f"{url}/1", json=change, headers=BEARER)
    assert updated.json().items() >= change.items()
    assert [entry["id"] for entry in client.get(url, headers=BEARER).json()["entries"]] == ["1"]
    assert client.delete(f"{url}/1", headers=BEARER).status_code == 204
    assert client.get(f"{url}/1", headers=BEARER).status_code == 404


def test_box_errors_made_by_the_mock_fit_the_documented_client_error_and_carry_the_reason() -> None:
    client = client_for(BOX)
    missing = client.get("/2.0/webhooks/9", headers=BEARER)
    assert (missing.status_code, missing.json()["code"], missing.json()["message"]) == (
        404, "not_found", "No item with id '9' in /webhooks")
    assert fits_documented(BOX, "get_webhooks_id", 404, missing.json())
    refused = client.request("TRACE", "/2.0/webhooks/9", headers=BEARER)
    assert (refused.status_code, refused.json()["code"]) == (405, "method_not_allowed")
    assert refused.json()["message"].startswith("Method TRACE is not allowed on /2.0/webhooks/9")
    assert fits_documented(BOX, "get_webhooks_id", 405, refused.json())  # by its documented default


def test_asana_refusals_carry_their_reason_in_the_documented_errors_list() -> None:
    client = client_for(ASANA)
    unsupported = client.post("/api/1.0/projects", content=b"name=x", headers={
        **BEARER, "Content-Type": "text/plain"})  # a 415, documented by Asana as a 400
    invalid = client.post("/api/1.0/projects", json={"data": {"name": 5}}, headers=BEARER)  # a 422, as 400
    for refused in (unsupported, invalid):
        assert refused.status_code == 400 and fits_documented(ASANA, "createProject", 400, refused.json())
    assert unsupported.json()["errors"][0]["message"].startswith("Invalid Content-type (text/plain)")
    assert invalid.json()["errors"][0]["message"] == (
        "field 'data.name' of the request body must be of type string (got integer)")


def test_validate_explains_each_id_guess_and_envelope() -> None:
    served = [finding.message for document in (ASANA, TWILIO)
              for finding in check_documents((document,), None).served]
    assert ("GET /projects/{project_gid}: read in collection /projects (id 'gid': the path parameter "
            "{project_gid} names it after projects; items wrapped in {'data': ...})") in served
    assert ("POST /2010-04-01/Accounts/{AccountSid}/Queues/{Sid}.json: update in collection "
            "/2010-04-01/Accounts/{AccountSid}/Queues.json (id 'sid': the path parameter {Sid} names it)") in served


def test_an_optional_form_body_left_out_is_not_validated_as_an_empty_form() -> None:
    # Twilio's create bodies are not `required`: a create without one is valid (its FriendlyName
    # required only inside the form), as a JSON body left out is.
    client = client_for(TWILIO)
    created = client.post(f"{ACCOUNT}/Queues.json", headers={"Content-Type": "application/x-www-form-urlencoded"},
                          auth=BASIC)
    assert created.status_code == 201, created.text
    assert created.json()["sid"] == "QU" + "0" * 31 + "1"
    refused = client.post(f"{ACCOUNT}/Queues.json", data={"MaxSize": "5"}, auth=BASIC)
    assert refused.status_code == 422 and "'FriendlyName'" in refused.text
