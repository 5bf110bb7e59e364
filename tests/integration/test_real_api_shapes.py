"""Documents written the way published real APIs write them (tests/data/specs/shapes, a few lines
each): security requirements naming several schemes, YAML integer response codes, literal ``@``
in paths, deepObject query parameters, undeclared methods, ids with their own schema."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from mockserver import cli
from mockserver.config import Config
from tests.conftest import ROOT, shared_mock

SHAPES = ROOT / "tests" / "data" / "specs" / "shapes"
KEY = "the-key"


def client_for(document: str, **settings: Any) -> TestClient:
    return TestClient(shared_mock(Config(specs=(SHAPES / document,), **settings)).app)


def test_an_and_security_requirement_accepts_the_right_bearer_token() -> None:
    client = client_for("and-security.yaml", security_key=KEY)
    assert client.get("/lists", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert client.get("/lists", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/lists").status_code == 401


def test_yaml_integer_response_codes_are_served() -> None:
    client = client_for("integer-codes.yaml")
    response = client.get("/things")
    assert (response.status_code, response.json()) == (200, ["a", "b"])
    assert client.get("/things", headers={"Prefer": "code=404"}).status_code == 404
    assert cli.main(["validate", "--no-fixtures", str(SHAPES / "integer-codes.yaml")]) == 0
