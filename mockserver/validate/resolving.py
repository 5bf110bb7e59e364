"""Resolving a document's references with prance, as ``mockserver validate`` does.

prance takes a third of a second or more even for a small document (it validates the resolved
document again), and a process may check the same file several times (a test session does, over
the bundled documents): its verdict on a file is kept while the file is unchanged (same path,
modification time and size). Only for a document whose references all stay in it: prance reads
the files another one refers to, and a change to those would not be seen.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import prance

VERDICTS_KEPT = 64  # files whose verdict a process keeps
_verdicts: dict[tuple[str, int, int], str | None] = {}


def resolution_problem(path: Path, document: Mapping[str, Any]) -> str | None:
    """What keeps prance from resolving and validating the document at ``path`` (its first line),
    or None."""
    try:
        stat = path.stat()
    except OSError:
        return _resolve(path)
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key in _verdicts:
        return _verdicts[key]
    problem = _resolve(path)
    if all(ref.startswith("#") for ref in _refs(document)):
        if len(_verdicts) >= VERDICTS_KEPT:
            del _verdicts[next(iter(_verdicts))]
        _verdicts[key] = problem
    return problem


def _resolve(path: Path) -> str | None:
    try:
        prance.ResolvingParser(str(path), backend="openapi-spec-validator", strict=False,
                               recursion_limit_handler=_keep_recursive_reference)
    except (prance.ValidationError, prance.util.url.ResolutionError) as exc:
        return str(exc).splitlines()[0]
    return None


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _keep_recursive_reference(limit: int, ref: Any, recursions: Any) -> dict[str, str]:
    """A schema that refers to itself (a tree: ``TraceNode.spans``) is valid; prance stops there.
    ``ref`` is the parsed URL of the reference; the document is one file, so its fragment says it."""
    return {"$ref": "#" + str(getattr(ref, "fragment", ""))}
