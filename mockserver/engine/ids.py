"""The ids the engine assigns, each the ``number``-th of a collection, fitting the id's schema and
the same in every run: integers (from ``minimum``), UUIDs (``format: uuid``, the number in the
last group), addresses, e-mail addresses and host names in the ranges and names kept for examples
(``format: ipv6`` gives ``2001:db8::0:1``), strings that match the id's ``pattern`` (Twilio's
``^AC[0-9a-fA-F]{32}$`` gives ``AC00…01``: the number written into the first repeated class, in
decimal where it allows digits, else in its own letters), else the number as text, padded to
``minLength``.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Mapping
from typing import Any

from mockserver.core.bounded_regex import matches
from mockserver.core.type_keyword import type_names

# The standard library's own regular expression parser (untyped; sre_parse before Python 3.11).
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

MAX_REPEAT = 64  # an unbounded repeat ({2,}, +) written out at most this long
DIGITS = "0123456789"
WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
FORMATTED = {  # the number-th id of a format, in the ranges and names kept for examples
    "ipv4": lambda n: f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
    "ipv6": lambda n: f"2001:db8::{n >> 16 & 0xFFFF:x}:{n & 0xFFFF:x}",
    "email": lambda n: f"item{n}@example.com",
    "hostname": lambda n: f"item{n}.example.com",
}


def new_id(schema: Mapping[str, Any], number: int) -> Any:
    """The ``number``-th id (from 1) of a collection whose ids ``schema`` describes."""
    types = type_names(schema)
    if "integer" in types or "number" in types:
        minimum = schema.get("minimum")
        start = math.ceil(minimum) if isinstance(minimum, (int, float)) and minimum > 1 else 1
        return start + number - 1
    if schema.get("format") == "uuid":
        return f"00000000-0000-4000-8000-{number % 16**12:012x}"
    if schema.get("format") in FORMATTED:  # DigitalOcean reads a reserved IPv6 address by itself
        return FORMATTED[schema["format"]](number)
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        found = matching(pattern, number)
        if found is not None:
            return found
    length = schema.get("minLength")
    return str(number).zfill(length if isinstance(length, int) and 0 < length <= MAX_REPEAT else 1)


def matching(pattern: str, number: int | None = None) -> str | None:
    """A string ``pattern`` matches, ``number`` (if given) written into it; None where the pattern
    is beyond this (back references, lookarounds) or cannot hold the number."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    for in_digits in (True, False):  # decimal digits where the pattern has room for them
        writer = _Writer(number, in_digits)
        try:
            text = writer.write(list(parsed))
        except (_Unsupported, RecursionError):
            return None
        if writer.number is None:
            return text if matches(pattern, text) else None
    return None


class _Unsupported(Exception):
    pass


class _Writer:
    def __init__(self, number: int | None, in_digits: bool) -> None:
        self.number: int | None = number  # written once, into the first repeated class that can hold it
        self.in_digits = in_digits  # only into a class that allows digits

    def write(self, nodes: list[Any]) -> str:
        return "".join(self.node(op, value) for op, value in nodes)

    def node(self, op: Any, value: Any) -> str:
        if op is sre.LITERAL:
            return chr(value)
        if op is sre.NOT_LITERAL:
            return "a" if chr(value) != "a" else "b"
        if op is sre.ANY:
            return "x"
        if op is sre.IN:
            return _allowed(value)[0]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, high, sub = value
            return self.repeat(low, high if high is not sre.MAXREPEAT else max(low, MAX_REPEAT), list(sub))
        if op is sre.SUBPATTERN:
            return self.write(list(value[-1]))
        if op is sre.BRANCH:
            return self.write(list(value[1][0]))
        if op is sre.AT:
            return ""
        raise _Unsupported(op)

    def repeat(self, low: int, high: int, sub: list[Any]) -> str:
        if self.number is not None and len(sub) == 1 and sub[0][0] is sre.IN:
            alphabet = _allowed(sub[0][1])
            written = numeral(self.number, alphabet)
            if len(written) <= high and (not self.in_digits or set(DIGITS) <= set(alphabet)):
                self.number = None
                return written.rjust(low, alphabet[0])
        return self.write(sub) * low


def numeral(number: int, alphabet: str) -> str:
    """``number`` in decimal where ``alphabet`` has the digits, else written in its own letters
    (``alphabet[0]`` the zero: left-padded with it, different numbers stay different)."""
    if set(DIGITS) <= set(alphabet):
        return str(number)
    base, written = len(alphabet), ""
    while True:
        number, digit = divmod(number, base)
        written = alphabet[digit] + written
        if number == 0:
            return written


def _allowed(items: list[Any]) -> str:
    """The characters of a class, digits first (a class of none: ``_Unsupported``)."""
    chars: set[str] = set()
    negated = False
    for op, value in items:
        if op is sre.NEGATE:
            negated = True
        elif op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE:
            chars.update(chr(code) for code in range(value[0], min(value[1], value[0] + 256) + 1))
        elif op is sre.CATEGORY:
            chars.update({sre.CATEGORY_DIGIT: DIGITS, sre.CATEGORY_WORD: WORD, sre.CATEGORY_SPACE: " "}
                         .get(value, ""))
    if negated:
        chars = set(WORD) - chars
    if not chars:
        raise _Unsupported(items)
    return "".join(sorted(chars, key=lambda char: (char not in DIGITS, char)))
