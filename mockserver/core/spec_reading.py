"""An OpenAPI document read from disk as one mapping: YAML or JSON parsed once per text, the files
its ``$ref``s name read into it (``core.split_documents``); a ``SpecError`` with line and column,
or file and pointer, where it cannot be read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockserver.core.data_files import parsed_once, read_text
from mockserver.core.sources import Sources
from mockserver.core.split_documents import read_split
from mockserver.errors import SpecError


def read_document(path: Path) -> dict[str, Any]:
    """Parse a YAML or JSON file into a mapping, with the files its ``$ref``s name read into it
    (``core.split_documents``); ``SpecError`` with line and column, or file and pointer, otherwise."""
    return refused(read_sources(path)).document


def read_sources(path: Path, text: str | None = None) -> Sources:
    """The document at ``path`` (whose ``text`` may be read already) and the files it refers to,
    read as one; what keeps them from being read is in its ``problems``."""
    text = read_text(path, SpecError, "OpenAPI document") if text is None else text
    return read_split(path, _as_document(path, text), text)


def refused(sources: Sources) -> Sources:
    """``sources``, or a ``SpecError`` at its first problem (a ``$ref`` that cannot be followed)."""
    if sources.problems:
        others = len(sources.problems) - 1
        raise SpecError(f"{sources.problems[0]}" + (f" (and {others} more)" if others else ""))
    return sources


def _as_document(path: Path, text: str) -> dict[str, Any]:
    document = parsed_once(path, text, SpecError)
    if not isinstance(document, dict):
        raise SpecError(f"{path}: an OpenAPI document is a mapping at the top level")
    return document
