"""The fields of a documented error shape that carry the mock's reason, its status and its code,
at any depth (Asana's ``{"errors": [{"message": ...}]}``), filled so that the body still fits.

Every field is filled at once where that fits; else one at a time, each value kept only where the
body still fits (Box's ``code`` is an enum: ``not_found`` fits where ``NOT_FOUND`` does not). A
body that cannot hold the reason in a message field is none.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from mockserver.engine.reading import normal_name
from mockserver.errors import error_code

MESSAGE_FIELDS = {"detail", "message", "title", "error", "errormessage", "description", "msg", "reason"}
STATUS_FIELDS = {"status", "statuscode", "code", "httpstatus"}
CODE_FIELDS = {"errorcode", "code", "errortype"}
MAX_DEPTH = 3  # error shapes nest their message a level or two down

Slot = tuple[Any, Any, str]  # container, key in it, kind of field


def _slots(value: Any, depth: int = 0) -> Iterator[Slot]:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        for member in value:
            yield from _slots(member, depth + 1)
        return
    if not isinstance(value, dict):
        return
    for name, current in value.items():
        kind = normal_name(str(name))
        if kind in MESSAGE_FIELDS and isinstance(current, str):
            yield value, name, "message"
        elif kind in STATUS_FIELDS and isinstance(current, int) and not isinstance(current, bool):
            yield value, name, "status"
        elif kind in CODE_FIELDS and isinstance(current, str):
            yield value, name, "code"
        elif isinstance(current, dict | list):
            yield from _slots(current, depth + 1)


def _candidates(kind: str, detail: str, status: int) -> list[Any]:
    if kind == "message":
        return [detail]
    if kind == "status":
        return [status]
    return [error_code(status), error_code(status).lower()]


def filled(built: Any, detail: str, status: int, fits: Callable[[Any], bool]) -> Any | None:
    """``built`` (a value that fits the error schema) carrying ``detail``, ``status`` and its code
    where it has fields for them; None where ``detail`` finds no message field it fits in."""
    whole = copy.deepcopy(built)
    for container, key, kind in list(_slots(whole)):
        container[key] = _candidates(kind, detail, status)[0]
    if fits(whole):
        return whole
    one_by_one, placed = copy.deepcopy(built), False
    for container, key, kind in list(_slots(one_by_one)):
        before = container[key]
        for candidate in _candidates(kind, detail, status):
            container[key] = candidate
            if fits(one_by_one):
                placed = placed or kind == "message"
                break
        else:
            container[key] = before
    return one_by_one if placed else None
