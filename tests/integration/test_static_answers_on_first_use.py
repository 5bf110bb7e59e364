"""Static answers are built at start-up within a bound of time (``engine.PREPARE_SECONDS``); those
not built by then are built on first use and are the same answers (Microsoft Graph's thousands of
operations took start-up past five minutes when all were built first)."""

from __future__ import annotations

import pytest

from mockserver import engine
from mockserver.config import Config
from mockserver.engine import answers
from mockserver.server import build_mock
from tests.conftest import ROOT
from tests.inline_client import InlineClient

PETSTORE = ROOT / "tests" / "data" / "specs" / "petstore.yaml"


def test_an_answer_not_built_at_start_up_is_built_on_first_use_and_is_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers, "_kept", {})  # no answer kept from an earlier mock of the document
    built_first = InlineClient(build_mock(Config(specs=(PETSTORE,))).app).get("/store/inventory")
    monkeypatch.setattr(answers, "_kept", {})
    monkeypatch.setattr(engine, "PREPARE_SECONDS", -1.0)
    mock = build_mock(Config(specs=(PETSTORE,)))
    assert mock.engine.static._default == {}  # nothing was built at start-up
    on_first_use = InlineClient(mock.app).get("/store/inventory")
    assert on_first_use.status_code == built_first.status_code == 200
    assert on_first_use.json() == built_first.json()
    assert mock.engine.static._default != {}
