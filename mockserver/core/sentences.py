"""Sentences about documents kept to one readable line: a finding may quote a value of the
document, and published documents hold examples of kilobytes and schemas of hundreds of lines."""

from __future__ import annotations

import re

# A quoted value over 40 characters (not the text between two quoted values: no word before or after)
LONG_VALUE = re.compile(r"(?<!\w)('[^']{40,}'|\"[^\"]{40,}\")(?!\w)")
MAX_SENTENCE = 160


def short(sentence: str) -> str:
    """``sentence`` as ``elided``, at most ``MAX_SENTENCE`` characters."""
    line = elided(sentence)
    return line if len(line) <= MAX_SENTENCE else line[:MAX_SENTENCE - 1] + "…"


def elided(sentence: str) -> str:
    """``sentence`` on one line, each quoted value over 40 characters and each object or array
    written over 40 (a whole schema quoted) elided."""
    line = _elide_brackets(sentence.splitlines()[0] if sentence else "")
    return LONG_VALUE.sub(lambda found: found.group(1)[:25] + "…" + found.group(1)[0], line)


def _elide_brackets(line: str) -> str:
    kept, start = [], 0
    for at, char in enumerate(line):
        if at < start or char not in "{[":
            continue
        end = _closing(line, at)
        if end is not None and end - at > 40:
            kept.append(line[start:at] + char + "…" + line[end])
            start = end + 1
    return "".join(kept) + line[start:]


def _closing(line: str, opening: int) -> int | None:
    """Where the bracket at ``opening`` closes (quoted text skipped); None if it does not."""
    depth, quote = 0, ""
    for at in range(opening, len(line)):
        char = line[at]
        if quote:
            quote = "" if char == quote and line[at - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return at
    return None
