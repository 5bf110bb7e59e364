"""Schemathesis against the mock serving the four large real-world documents, reduced into the
repository (tests/data/specs/large: Twilio, Asana, Box; tests/data/specs/digitalocean: DigitalOcean's,
split over files), with the accounting of ``test_real_world_schemathesis``: every check, positive and
negative cases and the stateful phase; a failure is counted instead of raised only when it is
``inherent`` to the document or listed in ``KNOWN`` there, with why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.config._auth import AuthConfig
from schemathesis.core.errors import InvalidStateMachine

from mockserver.config import Config
from mockserver.core.spec_reading import read_sources
from mockserver.server import Mock, build_mock
from tests.conformance.test_real_world_schemathesis import KEY, credentials, stateful_test, stateless_test
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

LARGE = ROOT / "tests" / "data" / "specs" / "large"
DIGITALOCEAN = ROOT / "tests" / "data" / "specs" / "digitalocean" / "specification" / "DigitalOcean-public.v2.yaml"
EXAMPLES = 8  # per operation and per stateful run (25 for the mid-size documents): the module in ~2 min
DOCUMENTS = (*sorted(LARGE.glob("*.yaml")), *sorted(LARGE.glob("*.json")), DIGITALOCEAN)


def served(path: Path) -> tuple[Mock, Any]:
    """The mock serving ``path`` alone, and Schemathesis reading the document as the mock reads it:
    Schemathesis follows no ``$ref`` to a whole operation (DigitalOcean's ``get: {$ref: ...yml}``),
    so it is given the document with its files joined as the mock joins them (each operation in
    its place, as written)."""
    mock = build_mock(Config(specs=(path,), security_key=KEY))
    schema = schemathesis.openapi.from_dict(dict(read_sources(path).document))
    schema.app = mock.app
    schema.config.auth = AuthConfig(openapi=credentials(path))
    return mock, schema


for _path in DOCUMENTS:
    _name = _path.stem.replace("-", "_").replace(".", "_")
    _mock, _schema = served(_path)
    globals()[f"test_{_name}"] = stateless_test(_path.stem, _mock, _schema, EXAMPLES)
    if _path.stem == DIGITALOCEAN.stem:
        continue  # its links name operations it does not have: no stateful phase (test below)
    _stateful = stateful_test(_path.stem, _mock, _schema, EXAMPLES)
    if _stateful is not None:
        globals()[f"TestStateful_{_name}"] = _stateful
del _stateful  # a TestCase under a module name is collected too: the last one would run twice


def test_the_four_large_documents_are_driven() -> None:
    assert [path.name for path in DOCUMENTS] == [
        "asana-projects-tags-portfolios.yaml", "twilio-queues-addresses-applications.yaml",
        "box-webhooks-groups-retention-policies.json", "DigitalOcean-public.v2.yaml"]


def test_digitalocean_has_no_stateful_phase_as_its_links_name_operations_it_does_not_have() -> None:
    """Its links (``resources/ssh_keys/links/``) name ``sshKeys_get_by_id`` and three more operation
    ids; the operations are ``sshKeys_get`` and ``sshKeys_delete``: Schemathesis refuses the links."""
    _, schema = served(DIGITALOCEAN)
    with pytest.raises(InvalidStateMachine, match="Operation 'sshKeys_get_by_id' not found"):
        schema.as_state_machine()
