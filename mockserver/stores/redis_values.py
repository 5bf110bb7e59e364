"""Values as stored on Redis: JSON by orjson, or by the standard library where orjson cannot hold
them (integers past 64 bits, marked), and text read back from bytes."""

from __future__ import annotations

import json
from typing import Any

import orjson

WIDE = b"W"  # marks a value written by the standard library: orjson reads integers past 64 bits as floats


def dumps(value: Any) -> bytes:
    """A value as stored: JSON, by orjson; one holding integers past 64 bits (which JSON allows and
    orjson refuses) by the standard library, behind ``WIDE``."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return WIDE + json.dumps(value, separators=(",", ":")).encode()


def loads(raw: Any) -> Any:
    """A stored value (bytes from Redis), or None for a missing key."""
    if raw is None:
        return None
    return json.loads(raw[1:]) if raw[:1] == WIDE else orjson.loads(raw)


def text(raw: Any) -> str:
    return raw.decode() if isinstance(raw, bytes) else str(raw)
