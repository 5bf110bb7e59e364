"""The paths a document serves: the path items under keys that start with ``/``, each naming a
template parameter once. Extensions (``x-...``, as Apicurio's ``x-codegen-contextRoot``) are not
paths; any other key or value under ``paths`` (a path without its ``/``, a template naming
``{location}`` twice, as an Azure document does) is left out, each with the reason, for a warning:
the rest of the document is served."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TEMPLATE_PARAMETER = re.compile(r"\{([^{}/]+)\}")


def served_paths(document: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[tuple[str, str]]]:
    """``document`` with only the paths it can serve (itself when that is all of them), and the
    key and reason of each other path it writes (extensions aside)."""
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return document, []
    kept: dict[str, Any] = {}
    left_out: list[tuple[str, str]] = []
    for key, item in paths.items():
        reason = _unservable(key, item)
        if reason is None:
            kept[key] = item
        elif not str(key).startswith("x-"):
            left_out.append((str(key), reason))
    if len(kept) == len(paths):
        return document, []
    return {**document, "paths": kept}, left_out


def _unservable(key: Any, item: Any) -> str | None:
    if not isinstance(key, str) or not key.startswith("/"):
        return "a path starts with '/'"
    if not isinstance(item, Mapping):
        return "a path item is a mapping"
    names = TEMPLATE_PARAMETER.findall(key)
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        return f"the path names {', '.join('{' + name + '}' for name in twice)} more than once"
    return None
