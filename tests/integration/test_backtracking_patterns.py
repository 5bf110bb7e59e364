"""Documents whose ``pattern`` backtracks (tests/data/specs/shapes/backtracking-pattern.yaml) start,
and a request carrying a value that makes a pattern backtrack is answered at once: decided where
the ``regex`` module decides it in time (BeezUP's URL pattern held the server for minutes under
``re``), left unchecked where it cannot."""

from __future__ import annotations

from mockserver.config import Config
from tests.conftest import ROOT, shared_mock
from tests.inline_client import InlineClient

DOCUMENT = ROOT / "tests" / "data" / "specs" / "shapes" / "backtracking-pattern.yaml"


def client() -> InlineClient:
    return InlineClient(shared_mock(Config(specs=(DOCUMENT,))).app)


def test_a_value_that_backtracked_for_minutes_is_refused_in_time_naming_its_field() -> None:
    refused = client().post("/links", json={"url": "http://www.example.com/" + "a" * 60 + "!"})
    assert refused.status_code == 422
    assert "url" in refused.text


def test_a_value_whose_match_is_undecided_is_stored_unchecked_and_read_back() -> None:
    mock = client()
    slug = "a" * 60 + "!"
    created = mock.post("/links", json={"url": "http://example.com/x", "slug": slug})
    assert created.status_code == 201, created.text
    assert mock.get(f"/links/{created.json()['id']}").json()["slug"] == slug


def test_a_value_the_pattern_refuses_in_time_is_still_refused() -> None:
    refused = client().post("/links", json={"url": "http://example.com/x", "slug": "a!"})
    assert refused.status_code == 422
    assert "slug" in refused.text
