"""Large documents start and validate in one OpenAPI pass: no second full validation (prance's
resolving parser re-validated a whole document, which on megabytes took minutes), and no value
drawn with Hypothesis at start-up (a document of 1.7 MB had 32 such draws: half a minute).

The documents are the benchmark's (``bench/data/large/``: published API descriptions as published).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import prance
import pytest

from mockserver.config import Config
from mockserver.core import located_validators, spec_checks, spec_loading
from mockserver.engine.answers import StaticAnswers, documented_body
from mockserver.engine.dynamic import DynamicValues
from mockserver.engine.fitting import Fitter
from mockserver.server.app import build_mock
from mockserver.validate.checks import check_documents
from tests.unit.inline_specs import answer, spec_of

ROOT = Path(__file__).resolve().parents[2]
LARGE = ROOT / "bench" / "data" / "large"
PETSTORE = ROOT / "tests" / "data" / "specs" / "petstore.yaml"


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts of full OpenAPI validation passes (over documents other than the mock's own admin
    document), of prance's resolving parser and of Hypothesis draws."""
    counted: Counter[str] = Counter()
    for validator in (located_validators.LocatedV30SpecValidator, located_validators.LocatedV31SpecValidator):
        iter_errors = validator.iter_errors

        def counting(self: Any, *args: Any, _real: Any = iter_errors, **kwargs: Any) -> Any:
            counted["openapi pass"] += self.schema.get("info", {}).get("title") != "mockserver admin API"
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(validator, "iter_errors", counting)

    class CountedParser(prance.ResolvingParser):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            counted["prance"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(prance, "ResolvingParser", CountedParser)
    generate = DynamicValues.generate

    def counting_draws(self: DynamicValues, *args: Any, **kwargs: Any) -> Any:
        counted["draw"] += 1
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(DynamicValues, "generate", counting_draws)
    # a document checked earlier in the session is not checked again (by path, and by text)
    spec_loading._checked_spec.cache_clear()
    spec_checks._problems.clear()
    yield counted
    spec_loading._checked_spec.cache_clear()
    spec_checks._problems.clear()


def test_validate_checks_a_document_in_one_file_in_one_openapi_pass_without_prance(passes: Counter[str]) -> None:
    report = check_documents((PETSTORE,), None)
    assert report.checked["operation"] > 0
    assert passes["openapi pass"] == 1 and passes["prance"] == 0, passes


def test_validate_still_reports_a_local_reference_to_nothing_without_prance(
        tmp_path: Path, passes: Counter[str]) -> None:
    text = PETSTORE.read_text().replace("#/components/schemas/Pet", "#/components/schemas/Nope", 1)
    assert "Nope" in text
    (tmp_path / "petstore.yaml").write_text(text)
    report = check_documents((tmp_path / "petstore.yaml",), None)
    assert any("Nope" in finding.message for finding in report.findings), report.findings
    assert passes["prance"] == 0


def test_an_answer_that_has_to_be_drawn_is_drawn_on_its_first_request_not_when_prepared(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    code = {"type": "object", "required": ["code"],
            "properties": {"code": {"type": "string", "not": {"enum": ["string", ""]}}}}
    document = spec_of({"/codes": {"get": {**answer(code), "operationId": "codes"}}}, {})
    [operation] = document.operations()
    answers, body = StaticAnswers(document, Fitter(document), 2.0), documented_body(document, operation, "200")
    draws: list[Any] = []
    monkeypatch.setattr(answers.dynamic, "generate", lambda schema, seed=None, fits=None: draws.append(seed) or {"code": "ABC"})
    answers.prepare("codes", body)
    assert draws == []  # the built "string" is refused by "not": no value yet, and nothing drawn
    first = asyncio.run(answers.body("codes", body, {}))
    again = asyncio.run(answers.body("codes", body, {}))
    assert first == again == ({"code": "ABC"}, {}) and draws == [0]  # once, with the fixed seed


@pytest.mark.slow
@pytest.mark.parametrize("name", ["twilio_api_v2010.json", "box-openapi.json"])
def test_a_large_document_starts_and_validates_each_in_one_openapi_pass_without_drawing(
        name: str, passes: Counter[str]) -> None:
    document = LARGE / name
    mock = build_mock(Config(specs=(document,)))
    assert mock.app is not None
    assert passes == Counter({"openapi pass": 1}), passes  # start-up: one pass, no draw
    passes.clear()
    report = check_documents((document,), None)
    assert report.checked["operation"] > 100 and report.served
    assert passes == Counter({"openapi pass": 1}), passes  # validate: one pass, no prance, no draw
