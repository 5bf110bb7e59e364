"""A query parameter that takes one value is refused when given several times; a list is not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.server.app import Mock
from tests.conftest import ROOT, shared_mock
from tests.inline_client import InlineClient

PETSTORE = ROOT / "tests" / "data" / "specs" / "petstore.yaml"


def test_a_single_value_parameter_given_twice_is_422_naming_it(make_mock: Callable[..., Mock]) -> None:
    with InlineClient(make_mock().app) as client:
        response = client.get("/sessions?type=agent&limit=1&limit=2")
    assert response.status_code == 422
    assert response.json() == {"detail": "query parameter 'limit' takes one value (given 2 times)",
                               "error_code": "VALIDATION_ERROR"}


@pytest.mark.parametrize("query", ["user_id=a&user_id=b", "user_id=a&user%5Fid=b", "user_id=&user_id="])
def test_a_repeat_cannot_hide_behind_its_spelling(make_mock: Callable[..., Mock], query: str) -> None:
    with InlineClient(make_mock().app) as client:
        response = client.get(f"/sessions?{query}")
    assert response.status_code == 422
    assert "'user_id' takes one value" in response.json()["detail"]


def test_a_list_parameter_takes_repeats(make_mock: Callable[..., Mock]) -> None:
    with InlineClient(make_mock().app) as client:
        response = client.get("/memories?topics=a&topics=b")
    assert response.status_code == 200


def test_one_value_per_parameter_is_still_served(make_mock: Callable[..., Mock]) -> None:
    with InlineClient(make_mock().app) as client:
        response = client.get("/sessions?type=team&limit=1")
    assert response.status_code == 200
    assert len(response.json()["data"]) == 1


def test_any_document_refuses_a_repeated_single_value() -> None:
    mock = shared_mock(Config(specs=(PETSTORE,)))
    with InlineClient(mock.app) as client:
        repeated: Any = client.get("/pets?limit=1&limit=2")
        single: Any = client.get("/pets?limit=1")
    assert repeated.status_code == 422
    assert "'limit' takes one value" in repeated.text
    assert single.status_code == 200
