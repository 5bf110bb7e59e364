"""Pattern matching with a bound on time: a document's ``pattern`` never costs seconds per value.

Published patterns backtrack: BeezUP's URL pattern ``^(https?:\\/\\/)?([\\da-z\\.-]+)\\.([a-z\\.]{2,6})
([\\/\\w \\.-]*)*\\/?$`` takes Python's ``re`` minutes on a 40-character example, and any request may
send such a value. Every ``pattern`` and ``patternProperties`` check of the mock goes through
``search``, which runs the ``regex`` module with a timeout: a match not decided within it is left
undecided (the value unchecked) and said once per pattern in the log, as a pattern ``re`` cannot
read is. Patterns arrive in ``re`` terms (``core.ecma_regex``), which ``regex`` reads alike.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import regex

BOUND_SECONDS = 0.05  # per value; a pattern written to be matched takes microseconds
LOG = logging.getLogger("mockserver.patterns")
_said: set[str] = set()


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> Any:
    """``pattern`` compiled by ``regex``, or None when it cannot read it."""
    try:
        return regex.compile(pattern, regex.VERSION0)
    except (regex.error, OverflowError, RecursionError, ValueError):
        return None


def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text``; None when that was not decided within
    ``BOUND_SECONDS`` (or ``regex`` cannot read the pattern)."""
    compiled = _compiled(pattern)
    if compiled is None:
        return None
    try:
        return compiled.search(text, timeout=BOUND_SECONDS) is not None
    except TimeoutError:
        if pattern not in _said:
            _said.add(pattern)
            LOG.warning("the pattern %.80r was not decided within %d ms on a value of %d characters: "
                        "such values are left unchecked", pattern, BOUND_SECONDS * 1000, len(text))
        return None


def matches(pattern: str, text: str) -> bool:
    """Whether ``text`` is known to match ``pattern`` (an undecided match is not)."""
    return search(pattern, text) is True


def refuses(pattern: str, text: str) -> bool:
    """Whether ``text`` is known not to match ``pattern`` (an undecided match is not refused)."""
    return search(pattern, text) is False
