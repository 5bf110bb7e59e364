"""prance's verdict on a document is kept for its file as it is, and only for a document whose
references all stay in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mockserver.validate import resolving
from mockserver.validate.resolving import resolution_problem


def document(ref: str) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": ref}}}}}}}},
            "components": {"schemas": {"A": {"type": "string"}}}}


def identity(path: Path) -> tuple[str, int, int]:
    return str(path.resolve()), path.stat().st_mtime_ns, path.stat().st_size


def test_a_verdict_is_kept_for_the_file_as_it_is(tmp_path: Path) -> None:
    resolvable, unresolvable = tmp_path / "a.json", tmp_path / "b.json"
    resolvable.write_text(json.dumps(document("#/components/schemas/A")))
    unresolvable.write_text(json.dumps(document("#/components/schemas/Missing")))
    assert resolution_problem(resolvable, document("#/components/schemas/A")) is None
    problem = resolution_problem(unresolvable, document("#/components/schemas/Missing"))
    assert problem is not None and "Missing" in problem
    assert resolving._verdicts[identity(resolvable)] is None and resolving._verdicts[identity(unresolvable)] == problem
    unresolvable.write_text(json.dumps(document("#/components/schemas/Absent")))  # another size
    assert identity(unresolvable) not in resolving._verdicts


def test_no_verdict_is_kept_for_a_document_referring_to_another_file(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    (tmp_path / "other.json").write_text(json.dumps({"B": {"type": "string"}}))
    path.write_text(json.dumps(document("other.json#/B")))
    assert resolution_problem(path, document("other.json#/B")) is None
    assert identity(path) not in resolving._verdicts
