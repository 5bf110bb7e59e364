"""The documents mockserver ships are known valid by their digest, so a start-up on them skips
openapi-spec-validator; the list must name exactly the shipped documents, each of them valid, and
a changed copy of one is validated in full."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mockserver.core import spec_loading
from mockserver.core.shipped_documents import KNOWN_VALID, digest
from mockserver.core.spec_checks import check_references
from mockserver.core.spec_loading import load_spec
from mockserver.core.spec_problems import openapi_problems
from mockserver.core.spec_reading import read_document
from mockserver.errors import SpecError
from tests.conftest import ROOT, SPEC_PATH

SHIPPED = sorted((ROOT / "openapi").glob("*.yaml"))


def test_the_known_valid_documents_are_exactly_the_shipped_ones() -> None:
    assert len(SHIPPED) == 3
    assert {digest(path.read_text(encoding="utf-8")) for path in SHIPPED} == KNOWN_VALID


def test_a_shipped_document_is_loaded_without_openapi_spec_validator(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(spec_loading, "check_openapi", refused)
    copy = tmp_path / SPEC_PATH.name  # the same text at another path: not a document loaded before
    copy.write_text(SPEC_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_spec(copy).raw["info"] == read_document(SPEC_PATH)["info"]


@pytest.mark.slow
@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_known_valid_document_is_valid(path: Path) -> None:
    document = read_document(path)
    assert list(openapi_problems(document)) == []
    check_references(path, document)


@pytest.mark.slow
def test_a_changed_copy_of_a_shipped_document_is_validated(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC_PATH.read_text())
    del document["info"]["title"]
    copy = tmp_path / SPEC_PATH.name
    copy.write_text(yaml.safe_dump(document, sort_keys=False))
    with pytest.raises(SpecError, match='/info: "title" is a required property'):
        load_spec(copy)
