"""What the engine is asked and what it answers, in plain data (no web types)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    path_params: Mapping[str, str]
    query: Mapping[str, str]  # the first value of each query parameter
    body: Any  # the JSON body as parsed (None without one, or for another media type)
    preferences: Mapping[str, str] = field(default_factory=dict)  # Prefer: name=value


@dataclass
class Answer:
    status: int
    body: Any = None  # JSON data; None for no body
    media_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    stored: Any = None  # the item the request read, created, changed or removed (not sent)
