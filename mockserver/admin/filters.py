"""Filters of the request journal (``GET /__mockserver/requests`` and ``POST /__mockserver/verify``):
which entries match, and for an entry that does not, what differed.

``operation`` is the operation the request was routed to (its operationId, else ``METHOD /path``),
``method`` compared in any case, ``path`` exactly or as a glob (``*`` for any characters),
``status`` a status (``201``) or a class (``2XX``), ``since`` a time (RFC 3339, with its
offset) and ``body_contains`` JSON the body contains: an object matches an object holding each of
its members (recursively), an array an array of the same length whose elements match in order,
anything else an equal value (``1`` is not ``true``); a string (or a query's text that is not
JSON) matches a text body that contains it.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.errors import ValidationFailed

ABSENT: Any = object()  # no body_contains filter (null is a body to look for)
STATUS = re.compile(r"[1-5]([0-9][0-9]|XX)")
TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}):([0-9]{2})(\.[0-9]+)?"
                  r"([Zz]|[+-][0-9]{2}:[0-9]{2})")
Difference = dict[str, Any]  # {"filter", "expected", "actual"?, "at"?}: admin.yaml's Difference


@dataclass(frozen=True)
class Filters:
    operation: str | None = None
    method: str | None = None
    path: str | None = None
    status: str | None = None
    since: datetime | None = None
    body_contains: Any = ABSENT

    @classmethod
    def read(cls, given: Mapping[str, Any], where: str, body_as_text: bool) -> Filters:
        """The filters ``given`` names (``where`` the pointer of their place: ``/query``,
        ``/body``); ``body_contains`` is JSON text in a query, a JSON value in a body."""
        status = given.get("status")
        if isinstance(status, float) and status.is_integer():  # JSON's 201.0 is the integer 201
            status = int(status)
        if status is not None and (isinstance(status, bool) or not STATUS.fullmatch(str(status))):
            raise ValidationFailed(f"status {status!r} is neither a status (201) nor a class of them "
                                   "(2XX)", pointer=f"{where}/status")
        contains = given.get("body_contains", ABSENT)
        if body_as_text and contains is not ABSENT:
            contains = _json_or_text(contains, f"{where}/body_contains")
        return cls(given.get("operation"), given.get("method"), given.get("path"),
                   None if status is None else str(status), _time(given.get("since"), where), contains)

    def differences(self, entry: Mapping[str, Any]) -> list[Difference]:
        """What in ``entry`` (a journal entry as listed) differs from these filters: none when it matches."""
        found: list[Difference] = []

        def differ(name: str, expected: Any) -> None:
            found.append({"filter": name, "expected": expected, "actual": entry.get(name)})

        if self.operation is not None and entry.get("operation") != self.operation:
            differ("operation", self.operation)
        if self.method is not None and str(entry.get("method", "")).upper() != self.method.upper():
            differ("method", self.method)
        if self.path is not None and not _path_matches(self.path, str(entry.get("path", ""))):
            differ("path", self.path)
        if self.status is not None and not _status_matches(self.status, entry.get("status")):
            differ("status", int(self.status) if self.status.isdigit() else self.status)
        if self.since is not None and _time(entry.get("time"), "") < self.since:  # type: ignore[operator]
            found.append({"filter": "since", "expected": self.since.isoformat(), "actual": entry.get("time")})
        if self.body_contains is not ABSENT:
            found.extend(body_differences(self.body_contains, entry.get("body")))
        return found


def _time(value: Any, where: str) -> datetime | None:
    """An RFC 3339 time, as Python reads none of: a lower-case ``t``/``z``, a leap second, nanoseconds."""
    if value is None:
        return None
    found = TIME.fullmatch(str(value).strip())
    try:
        if found is None:
            raise ValueError(value)
        day, clock, second, fraction, offset = found.groups()
        offset = "+00:00" if offset in ("Z", "z") else offset
        if day.startswith("0000-"):  # RFC 3339's year 0, before Python's first: before every request
            day, clock, offset = "0001-01-01", "00:00", "+00:00"
        second = f"{min(int(second), 59):02d}{(fraction or '')[:7]}"  # a leap second is its minute's last
        parsed = datetime.fromisoformat(f"{day}T{clock}:{second}{offset}")
    except ValueError:
        raise ValidationFailed(f"since {value!r} is not a time (2026-01-31T09:30:00Z)",
                               pointer=f"{where}/since") from None
    return parsed


def _json_or_text(text: str, where: str) -> Any:
    """``text`` read as JSON, or the text itself where it is not JSON (a text body may contain it)."""
    try:
        return json.loads(text)
    except RecursionError:  # a query is not held to the body depth limit: refused here, not a 500
        raise ValidationFailed("body_contains is nested too deeply to be read", pointer=where) from None
    except ValueError:
        return text


def _path_matches(pattern: str, path: str) -> bool:
    return path == pattern or ("*" in pattern and fnmatch.fnmatchcase(path, pattern))


def _status_matches(wanted: str, status: Any) -> bool:
    return str(status)[0] == wanted[0] if wanted.endswith("XX") else str(status) == wanted


def body_differences(expected: Any, actual: Any) -> list[Difference]:
    """Where ``actual`` (a request body) does not contain ``expected``, as JSON pointers."""
    return [{"filter": "body_contains", "at": at, "expected": want,
             **({} if got is ABSENT else {"actual": got})}
            for at, want, got in _uncontained(expected, actual, "")]


def _uncontained(expected: Any, actual: Any, at: str) -> Iterator[tuple[str, Any, Any]]:
    if at == "" and isinstance(expected, str) and isinstance(actual, str):  # a text body
        if expected not in actual:
            yield at, expected, actual
    elif isinstance(expected, dict) and isinstance(actual, dict):
        for name, value in expected.items():
            pointer = f"{at}/{str(name).replace('~', '~0').replace('/', '~1')}"
            if name not in actual:
                yield pointer, value, ABSENT
            else:
                yield from _uncontained(value, actual[name], pointer)
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (value, got) in enumerate(zip(expected, actual, strict=True)):
            yield from _uncontained(value, got, f"{at}/{index}")
    elif not _same(expected, actual):
        yield at, expected, actual


def _same(expected: Any, actual: Any) -> bool:
    """Equal as JSON values: ``1`` is ``1.0`` but not ``true``."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    return bool(expected == actual) and isinstance(expected, dict | list) == isinstance(actual, dict | list)
