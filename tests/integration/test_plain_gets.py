"""The answers of plain GETs validate against their documented schemas, on the ten real documents of
the suite (the six in tests/data/specs/real-world, the three large extracts, DigitalOcean's split
copy) and the four large documents whole (bench/data/large; DigitalOcean's over 2,907 files): one
item is created in each collection first, then every GET operation whose path ids are known (from
the created items' locations) and whose required parameters have a documented example is sent, up
to 20, and each answer must have a documented success status and a body that fits the schema the
operation documents for it."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.core.spec_loading import load_spec
from mockserver.engine import reading
from mockserver.engine.fitting import Fitter
from tests.conftest import ROOT, shared_mock
from tests.inline_client import InlineClient
from tests.integration.test_collection_lives import BEARER, DIGITALOCEAN, LIVES, SPECS, WHOLE_DIGITALOCEAN
from tests.integration.test_engine_real_shapes import ACCOUNT, BASIC, TWILIO

pytestmark = pytest.mark.slow

TWILIO_AUTH = {"Authorization": "Basic " + base64.b64encode(":".join(BASIC).encode()).decode()}
ASANA = "large/asana-projects-tags-portfolios.yaml"
BOX = "large/box-webhooks-groups-retention-policies.json"
# Creates for the large extracts (their lives are in test_engine_real_shapes.py), with the headers.
LARGE_CREATES: dict[str, tuple[dict[str, str], list[tuple[str, dict[str, Any]]]]] = {
    f"large/{TWILIO.name}": (TWILIO_AUTH, [(f"{ACCOUNT}/{resource}.json", {"data": fields}) for resource, fields in (
        ("Queues", {"FriendlyName": "support"}), ("Applications", {"FriendlyName": "dialer"}),
        ("Addresses", {"FriendlyName": "home", "CustomerName": "Ann", "Street": "1 Main St", "City": "Oslo",
                       "Region": "Oslo", "PostalCode": "0150", "IsoCountry": "NO"}))]),
    ASANA: (BEARER, [(f"/{name}", {"json": {"data": {"name": name}}}) for name in ("projects", "tags")]
            + [("/portfolios", {"json": {"data": {"name": "Roadmap", "workspace": "1"}}})]),
    BOX: (BEARER, [("/groups", {"json": {"name": "Engineering"}}),
                   ("/webhooks", {"json": {"target": {"id": "12", "type": "file"},
                                               "address": "https://example.com/hook", "triggers": ["FILE.UPLOADED"]}}),
                   ("/retention_policies", {"json": {"policy_name": "Keep", "policy_type": "indefinite",
                                                         "retention_type": "modifiable",
                                                         "disposition_action": "remove_retention"}})]),
}
SENT = {  # GETs sent per document (every GET it has whose ids and required values are known)
    "real-world/dotnet-eshop-catalog.yaml": 5, "real-world/google-tasks.yaml": 4, "real-world/readme-api.yaml": 9,
    "real-world/redocly-museum.yaml": 3, "real-world/scalar-galaxy.yaml": 3, "real-world/xero-files.yaml": 7,
    f"large/{TWILIO.name}": 6, ASANA: 6, BOX: 6, "digitalocean/specification/DigitalOcean-public.v2.yaml": 4,
}


def creates(document: str) -> tuple[dict[str, str], dict[str, str], list[tuple[str, dict[str, Any]]]]:
    """The headers, query and creates (path below the base path, request arguments) for ``document``."""
    if document in LARGE_CREATES:
        headers, made = LARGE_CREATES[document]
        return headers, {}, made
    lives = [life for life in LIVES if life.document == document]
    return lives[0].headers, lives[0].params, [(life.collection, life.create) for life in lives]


def example_of(spec: Spec, parameter: Any) -> Any:
    """A documented value of a parameter: its example, its schema's example, default or first enum."""
    schema = follow_refs(spec.raw, parameter.get("schema") or {})
    for found in (parameter.get("example"), schema.get("example"), schema.get("default"),
                  (schema.get("enum") or [None])[0]):
        if found is not None:
            return ",".join(map(str, found)) if isinstance(found, list) else str(found).lower() \
                if isinstance(found, bool) else str(found)
    return None


def template(path: str) -> re.Pattern[str]:
    """A path template as a pattern matching a whole path or a path's leading segments."""
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+?)", re.escape(path)) + r"(?=/|\.json$|$)")


def filled(path: str, locations: list[str]) -> str | None:
    """``path`` with its ids from the created items' locations: one it matches, or one whose leading
    segments its part up to an id matches (``/Files/{FileId}/Associations`` after ``/Files/1``,
    ``/Accounts/{AccountSid}/Queues.json`` after ``/Accounts/AC1/Queues/QU1.json``); None when no
    id is known."""
    if "{" not in path:
        return path
    for cut in (len(path), *sorted((found.end() for found in re.finditer(r"\}", path)), reverse=True)):
        for location in locations:
            if "{" not in path[cut:] and (found := template(path[:cut]).match(location)):
                return found.group(0) + path[cut:]
    return None


def gets(spec: Spec, locations: list[str]) -> list[tuple[Any, str, dict[str, str], dict[str, str]]]:
    """The GET operations that can be sent (up to 20): each with its path, query and headers."""
    sendable = []
    for operation in spec.operations():
        path = filled(operation.path, locations) if operation.method == "get" else None
        if path is None:
            continue
        query: dict[str, str] = {}
        headers: dict[str, str] = {}
        for parameter in reading.parameters(spec, operation):
            if parameter.get("required") and parameter["in"] in ("query", "header"):
                value = example_of(spec, parameter)
                if value is None:
                    break
                (query if parameter["in"] == "query" else headers)[parameter["name"]] = value
        else:
            sendable.append((operation, path, query, headers))
    return sendable[:20]


# Scalar Galaxy's list answer is PaginatedResource<Planet>: a `$dynamicRef` into a schema with its own
# `$id`, bound by a `$dynamicAnchor` (core/schema_registry.py).
@pytest.mark.parametrize("document", sorted(SENT))
def test_the_answers_of_plain_gets_fit_their_documented_schemas(document: str) -> None:
    path = SPECS / document
    spec, client = load_spec(path), InlineClient(shared_mock(Config(specs=(path,))).app)
    fitter = Fitter(spec)
    headers, params, made = creates(document)
    locations = []
    for collection, arguments in made:
        created = client.post(spec.base_path + collection, headers=headers, params=params, **arguments)
        assert created.status_code in (200, 201), created.text
        locations.append(created.headers["location"].removeprefix("http://testserver" + spec.base_path))
    sent = 0
    for operation, url, query, required_headers in gets(spec, locations):
        answer = client.get(spec.base_path + url, params={**params, **query}, headers={**headers, **required_headers})
        sent += 1
        documented = [status for status in operation.definition["responses"] if str(status).startswith("2")]
        assert str(answer.status_code) in map(str, documented), (operation.key, answer.status_code, answer.text)
        pointer = reading.response_schema_pointer(spec, operation, str(answer.status_code))
        if pointer is not None:
            assert fitter.fits(pointer, answer.json()), (operation.key, url, answer.text[:500])
    assert sent == SENT[document]


WHOLE = ROOT / "bench" / "data" / "large"
# The whole documents the extracts come from, with the extracts' creates (DigitalOcean's: its
# lives'); Twilio's account is created first, and its collections are made under it.
WHOLE_CREATES = {"asana_oas.yaml": ASANA, "box-openapi.json": BOX, "twilio_api_v2010.json": f"large/{TWILIO.name}",
                 DIGITALOCEAN: WHOLE_DIGITALOCEAN}
PARENTS = {"twilio_api_v2010.json": ("/2010-04-01/Accounts.json", {"data": {"FriendlyName": "main"}}, ACCOUNT)}


@pytest.mark.parametrize("name", sorted(WHOLE_CREATES))
def test_twenty_plain_gets_on_each_whole_large_document_fit_their_documented_schemas(name: str) -> None:
    path = WHOLE / name
    spec, client = load_spec(path), InlineClient(shared_mock(Config(specs=(path,))).app)
    fitter = Fitter(spec)
    headers, _, made = creates(WHOLE_CREATES[name])
    if name in PARENTS:
        collection, arguments, placeholder = PARENTS[name]
        parent = client.post(spec.base_path + collection, headers=headers, **arguments)
        assert parent.status_code == 201, parent.text
        located = parent.headers["location"].removeprefix("http://testserver" + spec.base_path).removesuffix(".json")
        made = [(collection.replace(placeholder, located), arguments) for collection, arguments in made]
    locations = []
    for collection, arguments in made:
        created = client.post(spec.base_path + collection, headers=headers, **arguments)
        assert created.status_code in (200, 201), created.text
        locations.append(created.headers["location"].removeprefix("http://testserver" + spec.base_path))
    sendable = gets(spec, locations)
    assert len(sendable) == 20
    for operation, url, query, required_headers in sendable:
        # a path with a # (Box's /shared_items#folders) is sent as a client must, the # escaped
        answer = client.get(spec.base_path + url.replace("#", "%23"), params=query,
                            headers={**headers, **required_headers})
        documented = [status for status in operation.definition["responses"] if str(status).startswith("2")]
        assert str(answer.status_code) in map(str, documented), (operation.key, answer.status_code, answer.text)
        pointer = reading.response_schema_pointer(spec, operation, str(answer.status_code))
        if pointer is not None:
            assert fitter.fits(pointer, answer.json()), (operation.key, url, answer.text[:500])
