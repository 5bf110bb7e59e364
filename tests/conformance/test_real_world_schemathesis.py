"""Schemathesis against the mock serving public real-world API documents (tests/data/specs/real-world,
see its README): every check, positive and negative cases, and the stateful phase, whose
``use_after_free`` and ``ensure_resource_availability`` checks need created items to be readable
and deleted ones gone.

Each document is served alone by the generic engine, with a security key; Schemathesis sends the
matching credential for each scheme the document declares (a bearer token, basic credentials or
an API key), so that ``ignored_auth`` can tell a valid credential from an invalid one. State is
reset before each case and each stateful run.

Two kinds of failure are counted (reported at the end of the run) instead of raised, each for a
stated reason; any other failure fails the test:

- ``inherent``: an undocumented 4xx where the operation documents no status that means the same.
  A check demands a refusal (401 without credentials, 4xx for invalid data), and the document gives
  no status for it: no answer conforms. Google Tasks, for one, documents only its 200s. A 401 to a
  request that carries the valid credential is never inherent: it is the mock's fault.
- ``KNOWN``: what the mock does not do yet, by document, check and operation, with why.
"""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import settings
from schemathesis.config._auth import AuthConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.openapi.checks import RejectedPositiveData, UndefinedStatusCode

from mockserver.config import Config
from mockserver.contract.report import files_as_text
from mockserver.core.spec_loading import load_spec
from mockserver.engine.error_bodies import ALTERNATIVES
from mockserver.server import Mock, build_mock
from tests.conftest import AGENTOS_SPEC_PATH, RESIDUE, ROOT, STATUSES

pytestmark = pytest.mark.slow

REAL_WORLD = ROOT / "tests" / "data" / "specs" / "real-world"
KEY = "real-world-key"


def credential(scheme: dict[str, Any]) -> dict[str, str] | None:
    """Schemathesis' auth setting carrying ``KEY`` for one security scheme."""
    kind, http = scheme.get("type"), str(scheme.get("scheme", "")).lower()
    if kind in ("oauth2", "openIdConnect") or (kind == "http" and http == "bearer"):
        return {"bearer": KEY}
    if kind == "http" and http == "basic":
        return {"username": "user", "password": KEY}
    if kind == "apiKey":
        return {"api_key": KEY}
    return None


def credentials(path: Path) -> dict[str, dict[str, str]]:
    """A valid credential for every scheme, declared as explicit auth: ``ignored_auth`` then
    probes each scheme alone, without and with an invalid value, and expects a 401."""
    schemes = (load_spec(path).raw.get("components") or {}).get("securitySchemes") or {}
    return {name: found for name, scheme in schemes.items() if (found := credential(scheme)) is not None}


def served(path: Path, config: Config | None = None) -> tuple[Mock, Any]:
    """The mock serving ``path`` alone (or as ``config`` says), and Schemathesis reading ``path``."""
    mock = build_mock(config or Config(specs=(path,), security_key=KEY))
    schema = schemathesis.openapi.from_path(str(path))
    schema.app = mock.app
    schema.config.auth = AuthConfig(openapi=credentials(path))
    return mock, schema


@dataclass(frozen=True)
class Known:
    """A failure the mock does not avoid yet: on which document, check and operations, recognised
    by a phrase of Schemathesis' message (and the request's media type, if given), and why."""

    document: str
    title: str
    operations: tuple[str, ...]
    phrases: tuple[str, ...]  # any of them
    reason: str
    media_type: str | None = None

    def matches(self, name: str, failure: Failure, case: Any) -> bool:
        return (name == self.document and failure.title == self.title
                and case.operation.label in self.operations
                and any(phrase in str(failure) for phrase in self.phrases)
                and (self.media_type is None or case.media_type == self.media_type))


ACCEPTED = "Schema-violating request accepted"
KNOWN = (
    Known("dotnet-eshop-catalog", ACCEPTED,
          ("GET /api/catalog/items/withsemanticrelevance", "GET /api/catalog/items/by", "GET /api/catalog/items"),
          ("in query",), "an [integer, string] parameter with a pattern: a long number is valid as text (the "
          "string branch; int32 and minimum constrain numbers only), which the mock accepts; Schemathesis "
          "reads it as an integer"),
    Known("agentos-2.3.16", ACCEPTED, ("POST /agents/{agent_id}/runs", "POST /teams/{team_id}/runs",
                                       "POST /knowledge/content"),
          ("in body - file", "violates `type`", "violates `anyOf`"),
          "a multipart field holds text: a value Schemathesis mutated to a number, boolean or object is "
          "sent as its text, wire-identical to a valid text (or file: it sends the files of these "
          "anyOf-wrapped fields as text parts too)", media_type="multipart/form-data"),
    Known("agentos-2.3.16", ACCEPTED, ("GET /memories",), ("parameter `topics` in query - violates `anyOf`",),
          "a query array of strings (anyOf with null): a value Schemathesis mutated to a boolean or number "
          "is sent as its text (`topics=false`), wire-identical to the valid one-item array ['false']"),
    Known("scalar-galaxy", ACCEPTED, ("POST /planets", "PUT /planets/{planetId}"), ("Incorrect type",),
          "an empty XML element: <tags></tags> is what both a mutated non-array and the valid [''] are "
          "written as", media_type="application/xml"),
    Known("scalar-galaxy", ACCEPTED, ("POST /planets", "PUT /planets/{planetId}"),
          ("violates `additionalProperties` at /properties/atmosphere/items",),
          "XML text: an atmosphere entry's extra values are strings (additionalProperties: string), and a "
          "value mutated to null, [] or {} is written <element/>, as the valid '' is; one mutated to a "
          "number or boolean is its text, a valid string too (CI's case: <atmosphere><percentage>-6.2e+16"
          "</percentage><element/></atmosphere>, checked by hand). One with child elements is refused "
          "(tests/unit/test_xml_values.py)", media_type="application/xml"),
    Known("scalar-galaxy", ACCEPTED, ("POST /celestial-bodies",), ("violates `enum`",),
          "a oneOf of Planet and Satellite: a `type` mutated out of one branch's enum ('terrestrial') "
          "is the other branch's, and the body is then a valid Planet (its readOnly, required `id` is "
          "not required in a request); checked by hand against the document's schemas"),
    # tests/conformance/test_large_schemathesis.py
    Known("asana-projects-tags-portfolios", ACCEPTED, ("POST /projects",),
          ("data -> icon: Incorrect type",),
          "a 3.0.0 schema `{type: string, nullable: true, enum: [list, board, ...]}` (ProjectRequest's "
          "`icon`): OpenAPI 3.0.0 says nullable 'allows sending a null value', which the mock reads as "
          "admitting null (core/openapi30.py); Schemathesis follows 3.0.3's later wording, where an enum "
          "without null refuses it. `{\"data\": {\"icon\": null}}` is refused by one reading and "
          "accepted by the other: no server satisfies both"),
)


def carries_the_key(request: Any) -> bool:
    """Whether ``request`` (a prepared request) carries ``KEY``, in a header (a bearer token, basic
    credentials, an API key) or its URL."""
    values = [str(value) for value in request.headers.values()]
    basic = [base64.b64decode(value[6:]).decode("latin1", "replace") for value in values
             if value.lower().startswith("basic ")]
    return any(KEY in value for value in (*values, *basic, str(request.url)))


def inherent(failure: Failure, response: Any) -> bool:
    """An undocumented 4xx where the operation documents no status that means the same, and no
    401 to a request with the valid credential."""
    if not isinstance(failure, UndefinedStatusCode) or not 400 <= failure.status_code < 500:
        return False
    if failure.status_code == 401 and carries_the_key(response.request):
        return False
    documented = {str(code) for code in failure.defined_status_codes}
    return not documented & {str(failure.status_code), *map(str, ALTERNATIVES.get(failure.status_code, ())),
                             "4XX", "default"}


def validate(name: str, case: Any, response: Any) -> None:
    """Every check on ``response``; failures ``inherent`` to the document are counted, not raised."""
    try:
        case.validate_response(response)
    except (FailureGroup, Failure) as raised:
        failures = list(raised.exceptions) if isinstance(raised, FailureGroup) else [raised]
        real = []
        for failure in failures:
            if inherent(failure, response):
                RESIDUE[name][f"inherent: {failure.title} ({failure.status_code})"] += 1
            elif isinstance(failure, RejectedPositiveData) and files_as_text(case):
                # Schemathesis sends files declared inside anyOf as text parts, refused as FastAPI does.
                RESIDUE[name][f"files as text parts: {failure.title} on {case.operation.label}"] += 1
            elif known := next((k for k in KNOWN if k.matches(name, failure, case)), None):
                RESIDUE[name][f"known: {failure.title} on {case.operation.label}: {known.reason}"] += 1
            else:
                real.append(failure)
        if len(real) == len(failures):
            raise  # as Schemathesis reports it, with the response and a curl line
        if real:
            raise FailureGroup(real) from None


def stateless_test(name: str, mock: Mock, schema: Any, examples: int = 25) -> Any:
    @schema.parametrize()
    @settings(max_examples=examples, deadline=None, derandomize=True)  # the same cases in every run
    def test(case: Any) -> None:
        asyncio.run(mock.reset())
        response = case.call()
        STATUSES[f"{name} {case.operation.label}"][response.status_code] += 1
        validate(name, case, response)

    return test


def stateful_test(name: str, mock: Mock, schema: Any, examples: int = 25) -> Any:
    class Stateful(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            asyncio.run(mock.reset())

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            validate(name, case, response)

    if not Stateful.bundles:  # Schemathesis finds no links between operations (ReadMe's have no schemas)
        return None
    test = Stateful.TestCase
    test.settings = settings(max_examples=examples, stateful_step_count=6, deadline=None, derandomize=True)
    return test


DOCUMENTS = sorted(REAL_WORLD.glob("*.yaml"))
# The rest of AgentOS as `make run` serves it (the whole API, its fixtures), driven from its document.
AGENTOS = (AGENTOS_SPEC_PATH, Config(security_key=KEY))
for _path, _config in [*((path, None) for path in DOCUMENTS), AGENTOS]:
    _name = _path.stem.replace("-", "_").replace(".", "_")
    _mock, _schema = served(_path, _config)
    globals()[f"test_{_name}"] = stateless_test(_path.stem, _mock, _schema)
    _stateful = stateful_test(_path.stem, _mock, _schema)
    if _stateful is not None:
        globals()[f"TestStateful_{_name}"] = _stateful
del _stateful  # a TestCase under a module name is collected too: the last one would run twice


def test_every_document_is_served_by_the_engine() -> None:
    assert len(DOCUMENTS) == 6
    counts = Counter(route.verb for path in DOCUMENTS for route in build_mock(Config(specs=(path,))).engine.routes.values())
    assert counts["create"] >= 6 and counts["read"] >= 6 and counts["static"] > 0
