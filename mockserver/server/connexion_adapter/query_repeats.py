"""A query parameter that takes one value, given several times, is refused.

``team_id=a&team_id=b`` where ``team_id`` is a string is not a value the document describes:
Connexion keeps the last one silently (as FastAPI does), so a client that sends a list where the
document takes one value never learns of its mistake. Only parameters whose schema allows no array
count; a parameter without a declared type takes anything, a repeat included. Names are compared
after percent-decoding, so ``team%5Fid`` repeats ``team_id``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from mockserver.core.pointers import pointer
from mockserver.errors import ValidationFailed
from mockserver.server.connexion_adapter.deep_objects import types_of


def refuse_repeated_single_values(query_string: bytes, parameters: Iterable[Mapping[str, Any]]) -> None:
    """Raise ``ValidationFailed`` for the first of ``parameters`` given more than once in
    ``query_string`` whose schema takes a single value."""
    if not query_string:
        return
    counts = Counter(name for name, _ in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
    for param in parameters:
        name, times = param["name"], counts.get(param["name"], 0)
        if times > 1 and takes_one_value(param.get("schema", {})):
            raise ValidationFailed(f"query parameter {name!r} takes one value (given {times} times)",
                                   pointer=pointer("query", name))


def takes_one_value(schema: Any) -> bool:
    """Whether ``schema`` declares its types and none of them is an array."""
    types = types_of(schema)
    return bool(types) and "array" not in types
