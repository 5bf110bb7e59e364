"""A checked OpenAPI document in the form it is served: the paths a server cannot route left out
(``core.served_paths``), its patterns (ECMA-262) in Python's terms (``core.ecma_regex``), a 3.0
document's schemas in 2020-12 terms (``core.openapi30``); what is left out or unchecked, a warning
naming where it is written."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockserver.core.openapi30 import as_2020_12
from mockserver.core.pointers import pointer
from mockserver.core.schema_patterns import with_python_patterns
from mockserver.core.served_paths import served_paths
from mockserver.core.sources import Sources
from mockserver.core.spec_checks import located


def is_openapi_30(document: Mapping[str, Any]) -> bool:
    return str(document.get("openapi", "")).startswith("3.0.")


def served_form(path: Path, document: Mapping[str, Any], sources: Sources | None = None
                ) -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """``document`` as served, and a warning for each path left out and each pattern Python's
    ``re`` cannot read (left unchecked)."""
    unreadable: list[tuple[Any, ...]] = []
    servable, left_out = served_paths(document)
    read = with_python_patterns(servable, unreadable)
    warnings = tuple(f"{located(path, pointer('paths', key), sources)}: not served: {reason}"
                     for key, reason in left_out)
    warnings += tuple(f"{located(path, pointer(*where), sources)}: a pattern Python's re cannot read, "
                      "left unchecked" for where in unreadable)
    return (as_2020_12(read) if is_openapi_30(read) else read), warnings
