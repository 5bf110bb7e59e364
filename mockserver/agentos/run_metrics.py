"""A run's metrics, derived from the reply alone (docs/run-scripts.md, "Metrics"): tokens are a
quarter of the characters, rounded up; every streamed part takes the stream's delay, and at least
``NOMINAL_SECONDS``. No web imports.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.agentos.replies import RunInput, Told

NOMINAL_SECONDS = 0.01  # what one streamed part takes at the least, for durations


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def metrics(run: RunInput, told: Told) -> dict[str, Any]:
    """agno's run metrics, zero values left out: tokens from the message and the text, times from
    the parts streamed (each the stream's delay, at least ``NOMINAL_SECONDS``)."""
    step = max(run.delay, NOMINAL_SECONDS)
    first = told.first_text if told.first_text is not None else len(told.events)
    counted = told.status == "COMPLETED"  # a run that failed, paused or was cancelled counts no tokens
    found: dict[str, Any] = {"input_tokens": tokens(run.message) if counted else 0,
                             "output_tokens": tokens(told.text) if counted else 0}
    found["total_tokens"] = found["input_tokens"] + found["output_tokens"]
    found.update(time_to_first_token=round(step * max(first, 1), 6),
                 duration=round(step * len(told.events), 6))
    return {name: value for name, value in found.items() if value}
