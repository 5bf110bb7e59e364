"""A request body read as strict UTF-8 JSON: invalid UTF-8, NaN, infinite numbers, integers too
long for ``int`` and pathological nesting are ``ValidationFailed`` (422s, not 500s), in plain
words."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from mockserver.errors import ValidationFailed
from mockserver.server.middleware.limits import nesting_depth


def finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"number {text} is out of range")
    return number


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


MAX_DIGITS = sys.get_int_max_str_digits() or 4300  # int() refuses longer text (and would be slow)


class NumberTooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(f"The request body holds a number of {digits} digits; the mock reads numbers "
                         f"of at most {MAX_DIGITS} digits")


def _integer(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > MAX_DIGITS:
        raise NumberTooLong(digits)
    return int(text)


# One decoder for all requests: json.loads with hooks builds a new JSONDecoder on every call.
STRICT_JSON = json.JSONDecoder(parse_float=finite, parse_int=_integer, parse_constant=_no_constants)


def parse_json_body(raw: bytes, max_depth: int) -> Any:
    """Decode a request body as strict UTF-8 JSON, raising ``ValidationFailed`` otherwise.

    A ``charset`` parameter is ignored: RFC 8259 defines none for application/json.
    """
    if nesting_depth(raw, max_depth) > max_depth:
        raise ValidationFailed(f"The request body is nested deeper than {max_depth} levels")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"The request body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return STRICT_JSON.decode(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except NumberTooLong as exc:
        raise ValidationFailed(str(exc)) from None
    except ValueError as exc:
        raise ValidationFailed(f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValidationFailed("The request body is not valid JSON: it is nested too deeply") from None
