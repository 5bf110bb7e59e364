"""The mock's reading of a document (its files joined by ``core.split_documents``, every ``$ref``
then resolved as Connexion does) is prance's, an independent resolver, on every document of the
suite prance can resolve, but for two ways in which prance is wrong:

- it drops the siblings of a ``$ref`` (``description``, ``default``), which OpenAPI 3.1 keeps;
- it reads an unquoted date-time as a timestamp and writes it back with six digits of fraction
  (Xero's ``2020-12-03T19:04:58.6970000`` becomes ``...58.697000``); the mock keeps the text.
Two documents prance cannot resolve (a schema that contains itself: "Recursion reached limit") are
left out, and the test says which, so that one prance resolves later joins in.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import prance
import pytest

from mockserver.core.spec_reading import read_sources
from mockserver.server.connexion_adapter.prepared import resolve_refs

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "tests" / "data" / "specs"
DOCUMENTS = sorted([*(SPECS / "real-world").glob("*.yaml"), *(SPECS / "large").glob("*.yaml"),
                    *(SPECS / "large").glob("*.json"),
                    SPECS / "digitalocean" / "specification" / "DigitalOcean-public.v2.yaml",
                    *(ROOT / "openapi").glob("*.yaml")])
RECURSIVE = {"scalar-galaxy.yaml", "agentos-2.3.16.yaml"}  # prance: "Recursion reached limit of 1"
SIBLINGS = {"description", "default", "summary"}


def same_date_time(ours: Any, theirs: Any) -> bool:
    try:
        return datetime.fromisoformat(ours[:26]) == datetime.fromisoformat(theirs)
    except (TypeError, ValueError):
        return False


def differences(ours: Any, theirs: Any, at: str = "") -> list[str]:
    """Where ``ours`` and ``theirs`` differ, but for what prance drops or rewrites."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        found = [f"{at}/{key}: only prance's" for key in set(theirs) - set(ours)]
        found += [f"{at}/{key}: only ours" for key in set(ours) - set(theirs) - SIBLINGS]
        for key in set(ours) & set(theirs):
            found += differences(ours[key], theirs[key], f"{at}/{key}")
        return found
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        pairs = enumerate(zip(ours, theirs, strict=True))
        return [found for index, pair in pairs for found in differences(*pair, f"{at}/{index}")]
    if (ours == theirs and type(ours) is type(theirs)) or same_date_time(ours, theirs):
        return []
    return [f"{at}: {ours!r:.60} / prance: {theirs!r:.60}"]


@pytest.mark.slow  # prance takes a second or more on the larger ones
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_the_mock_reads_each_document_as_prance_resolves_it(document: Path) -> None:
    ours = resolve_refs(read_sources(document).document)
    try:
        theirs = prance.ResolvingParser(str(document), backend="openapi-spec-validator", strict=False).specification
    except prance.util.url.ResolutionError as exc:
        assert document.name in RECURSIVE and "Recursion reached limit" in str(exc), exc
        return
    assert document.name not in RECURSIVE, "prance resolves it now: take it out of RECURSIVE"
    assert differences(ours, theirs) == []


def test_a_difference_prance_does_not_excuse_is_found() -> None:
    assert differences({"a": {"b": "18:00", "description": "x"}}, {"a": {"b": 1080}}) == ["/a/b: '18:00' / prance: 1080"]
    assert differences({"t": "2020-12-03T19:04:58.6970000"}, {"t": "2020-12-03T19:04:58.697000"}) == []
    assert differences({"a": [1, 2]}, {"a": [1, 3]}) == ["/a/1: 2 / prance: 3"]
