"""A streamed answer: what a handler returns to answer with a body sent in parts (an event stream).

No web code: the server renders a ``Streamed`` (``server.connexion_adapter.streaming``), pausing
``delay`` seconds before every part but the first, and the network faults act in the middle of it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field

# The headers of an answer that is JSON where the operation documents a stream too (Connexion
# needs to be told which of the documented media types an answer has).
JSON: Mapping[str, str] = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Streamed:
    """A 200 (or ``status``) whose body is ``parts``, each sent as it comes."""

    parts: AsyncGenerator[bytes, None]
    media_type: str = "text/event-stream"
    delay: float = 0.0  # seconds before each part after the first
    size_hint: int | None = None  # how many parts there will be, if known (where a fault cuts)
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
