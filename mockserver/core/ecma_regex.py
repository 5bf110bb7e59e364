"""ECMA-262 regular expressions (the dialect of JSON Schema's ``pattern``) as Python ``re`` reads them.

Published documents use what JavaScript accepts and Python's ``re`` refuses: Unicode properties
(AWS's ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``, scripts such as ``\\p{Han}``), named groups written
``(?<name>...)``, identity escapes of letters (``\\i`` for ``i``), ``[^]`` for any character.
``python_pattern`` rewrites them into ``re`` terms (a property becomes the ranges of its characters,
from ``unicodedata``; a script, the characters whose Unicode name starts with it), leaving every
other pattern as it is, so the mock validates with them and generates from them as Prism does.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
import unicodedata

SCRIPTS = {  # the East Asian scripts documents name, by their Unicode blocks
    "han": ((0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F)),
    "hiragana": ((0x3041, 0x309F),),
    "katakana": ((0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC)),
}
LONG_NAMES = {"letter": "L", "lowercase_letter": "Ll", "uppercase_letter": "Lu", "number": "N",
              "decimal_number": "Nd", "punctuation": "P", "symbol": "S", "separator": "Z",
              "space_separator": "Zs", "mark": "M", "other": "C", "control": "Cc"}
PYTHON_ESCAPES = set("dDsSwWbBAZ0123456789afnrtvxuUN\\")
CLASS_ESCAPES = set("dDwWsS")
PROPERTY = re.compile(r"\\([pP])\{([^}]*)\}")
NAMED_GROUP = re.compile(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>")
BACK_REFERENCE = re.compile(r"\\k<([A-Za-z_][A-Za-z0-9_]*)>")
ASSIGNED = 0x30000  # characters past it are tags, variation selectors and private use


@functools.lru_cache(maxsize=1)
def _category_runs() -> tuple[tuple[int, int, str], ...]:
    """(first, last, general category) of each run of characters of one category, once a process
    (a third of a second: only documents with ``\\p{...}`` pay it)."""
    categories = list(map(unicodedata.category, map(chr, range(ASSIGNED))))
    changes = [0, *(code for code in range(1, ASSIGNED) if categories[code] != categories[code - 1])]
    changes.append(ASSIGNED)
    return tuple((low, high - 1, categories[low]) for low, high in itertools.pairwise(changes))


@functools.lru_cache(maxsize=64)
def _ranges(name: str, negated: bool) -> str:
    """The characters of the property or script ``name`` (or all others when ``negated``) as the
    inside of a character class."""
    key = name.split("=")[-1].strip()
    category = LONG_NAMES.get(key.lower(), key)
    if len(category) <= 2 and category[:1] in "LMNPSZC":
        spans = _merged([(low, high) for low, high, found in _category_runs() if found.startswith(category)])
    elif key.lower() in SCRIPTS:
        spans = list(SCRIPTS[key.lower()])
    else:  # another script: the characters of the BMP whose name starts with it (LATIN, GREEK, ...)
        prefix = key.upper() + " "
        named = (code for code in range(0x10000) if unicodedata.name(chr(code), "").startswith(prefix))
        spans = _merged([(code, code) for code in named])
    if negated:
        starts = [0] + [high + 1 for _, high in spans]
        stops = [low - 1 for low, _ in spans] + [sys.maxunicode]
        spans = [(low, high) for low, high in zip(starts, stops, strict=True) if low <= high]
    return "".join(_char(low) if low == high else f"{_char(low)}-{_char(high)}" for low, high in spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with adjacent ones joined."""
    joined: list[tuple[int, int]] = []
    for low, high in spans:
        if joined and joined[-1][1] == low - 1:
            joined[-1] = (joined[-1][0], high)
        else:
            joined.append((low, high))
    return joined


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _escape(pattern: str, index: int, in_class: bool) -> tuple[str, int]:
    """The escape at ``pattern[index]`` (a backslash) in ``re`` terms, and where it ends."""
    found = PROPERTY.match(pattern, index)
    if found:
        inside = _ranges(found.group(2), found.group(1) == "P") or "\\x00-\\x00"
        return (inside if in_class else f"[{inside}]"), found.end()
    found = BACK_REFERENCE.match(pattern, index)
    if found and not in_class:
        return f"(?P={found.group(1)})", found.end()
    following = pattern[index + 1:index + 2]
    if following.isascii() and following.isalpha() and following not in PYTHON_ESCAPES:
        if following == "c" and pattern[index + 2:index + 3].isalpha():  # \cJ: a control character
            return f"\\x{ord(pattern[index + 2].upper()) - 64:02x}", index + 3
        return re.escape(following), index + 2  # an identity escape: the letter itself
    return pattern[index:index + 2], index + 2


def _is_class_escape(pattern: str, index: int) -> bool:
    """Whether the escape at ``pattern[index]`` stands for a set of characters (``\\w``, ``\\p{L}``)."""
    return pattern[index + 1:index + 2] in CLASS_ESCAPES or PROPERTY.match(pattern, index) is not None


def python_pattern(pattern: str) -> str:
    """``pattern`` (ECMA-262) in Python ``re`` terms; itself when nothing needs rewriting."""
    if "\\" not in pattern and "(?<" not in pattern and "[]" not in pattern and "[^]" not in pattern:
        return pattern
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            is_set = _is_class_escape(pattern, index)
            text, index = _escape(pattern, index, in_class)
            out.append(text)
            if in_class and is_set and pattern.startswith("-", index) \
                    and not pattern.startswith("-]", index):
                out.append("\\-")  # [\w-.]: a class can't bound a range, so ECMA reads a hyphen
                index += 1
            continue
        if in_class and char == "-" and pattern.startswith("\\", index + 1) \
                and _is_class_escape(pattern, index + 1):
            out.append("\\-")  # [.-\w]: likewise
            index += 1
            continue
        if not in_class and pattern.startswith("[^]", index):
            out.append("[\\s\\S]")
            index += 3
            continue
        found = None if in_class else NAMED_GROUP.match(pattern, index)
        if found:
            out.append(f"(?P<{found.group(1)}>")
            index = found.end()
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append("[^" if pattern.startswith("[^", index) else "[")
            index += 2 if pattern.startswith("[^", index) else 1
            if pattern.startswith("]", index):  # a leading ] closes an ECMA class: [] matches nothing
                out[-1] = "(?!)" if out[-1] == "[" else "[\\s\\S]"
                in_class = False
                index += 1
            continue
        if char == "]" and in_class:
            in_class = False
        elif char == "[" and in_class:
            char = "\\["  # a literal [ in ECMA; Python warns of a nested set
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def readable(pattern: str) -> str | None:
    """``pattern`` in ``re`` terms, or None when ``re`` cannot compile it even so."""
    rewritten = python_pattern(pattern)
    try:
        re.compile(rewritten)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None
    return rewritten


def is_valid(pattern: str) -> bool:
    """Whether ``pattern`` is a regular expression that ECMA-262 reads, as far as ``re`` can tell
    once it is rewritten."""
    return readable(pattern) is not None
