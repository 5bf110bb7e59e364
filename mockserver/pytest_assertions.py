"""What a test asserts a mock was called with, through the admin API's verify (the pytest plugin's
fixtures): ``assert_called``, ``assert_not_called``, and ``expect``, checked when the test ends.

An assertion names the operation (its operationId, else ``METHOD /path``), how many times (``times``
exactly; ``at_least``, ``at_most``; at least once by default), the JSON the body contains (``json``)
and any other filter of the journal (``method``, ``path``, ``status``, ``since``). A failure says
what was expected and shows the closest requests, each difference as pytest shows a comparison.
"""

from __future__ import annotations

import pprint
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx

ABSENT: Any = object()  # no ``json`` given (None is a body to look for)


class Verifying:
    """The assertions of a running mock; ``_admin`` is its admin API's client."""

    _admin: httpx.Client
    _asked = False  # whether this test asked for its expectations to be checked when it ends
    _expected: list[tuple[str, dict[str, Any]]]

    def verify(self, **expectation: Any) -> tuple[bool, dict[str, Any]]:
        """Whether ``expectation`` (``POST /__mockserver/verify``'s body) holds, and the answer."""
        response = self._admin.post("/verify", json=expectation)
        if response.status_code not in (200, 409):
            response.raise_for_status()
            raise AssertionError(f"verify answered {response.status_code}: {response.text}")
        answer: dict[str, Any] = response.json()
        return response.status_code == 200, answer

    def assert_called(self, operation_id: str | None = None, times: int | None = None, *, json: Any = ABSENT,
                      at_least: int | None = None, at_most: int | None = None, **filters: Any
                      ) -> list[dict[str, Any]]:
        """The journal entries that match, when as many match as asked; else ``AssertionError``
        showing the closest requests."""
        __tracebackhide__ = True
        call, expectation = _described("assert_called", operation_id, times, json, at_least, at_most, filters)
        held, answer = self.verify(**expectation)
        if not held:
            raise AssertionError(failure(call, answer))
        entries: list[dict[str, Any]] = answer["entries"]
        return entries

    def assert_not_called(self, operation_id: str | None = None, *, json: Any = ABSENT,
                          **filters: Any) -> None:
        """``AssertionError`` showing the requests that match, where any does."""
        __tracebackhide__ = True
        call, expectation = _described("assert_not_called", operation_id, None, json, None, 0, filters)
        held, answer = self.verify(**expectation)
        if not held:
            raise AssertionError(failure(call, answer))

    def expect(self, operation_id: str | None = None, times: int | None = None, *, json: Any = ABSENT,
               at_least: int | None = None, at_most: int | None = None, **filters: Any) -> None:
        """An expectation checked when the test ends, with every other one that does not hold
        listed together; the test asks for that with the ``mockserver_verify`` marker or the
        ``--mockserver-verify`` option (an expectation no one checks would pass silently)."""
        __tracebackhide__ = True
        if not self._asked:
            raise RuntimeError("expect() is checked when the test ends only where asked: mark the test "
                               "@pytest.mark.mockserver_verify or run pytest with --mockserver-verify")
        self._expected.append(_described("expect", operation_id, times, json, at_least, at_most, filters))

    def begin_test(self, asked: bool) -> None:
        self._asked, self._expected = asked, []

    def unmet_expectations(self) -> list[str]:
        """The failures of this test's ``expect`` calls (checked now), in the order they were made."""
        unmet = []
        for call, expectation in self._expected:
            held, answer = self.verify(**expectation)
            if not held:
                unmet.append(failure(call, answer))
        self._expected = []
        return unmet


def _described(name: str, operation_id: str | None, times: int | None, json: Any, at_least: int | None,
               at_most: int | None, filters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The call as the test wrote it, and the expectation it sends."""
    given = {"operation": operation_id, "count": times, "at_least": at_least, "at_most": at_most, **filters}
    if isinstance(given.get("since"), datetime):  # RFC 3339 needs an offset: a naive time is UTC
        since = given["since"]
        given["since"] = (since if since.tzinfo else since.replace(tzinfo=UTC)).isoformat()
    if json is not ABSENT:
        given["body_contains"] = json
    expectation = {name: value for name, value in given.items()
                   if value is not None or name == "body_contains"}
    shown = [repr(operation_id)] if operation_id is not None else []
    shown += [f"{name}={value!r}" for name, value in (("times", times), ("at_least", at_least),
                                                        ("at_most", at_most)) if value is not None]
    shown += [f"json={json!r}"] if json is not ABSENT else []
    shown += [f"{name}={value!r}" for name, value in filters.items()]
    if name == "assert_not_called":
        shown = [item for item in shown if not item.startswith("at_most=")]
    return f"{name}({', '.join(shown)})", expectation


def failure(call: str, answer: dict[str, Any]) -> str:
    """The message of an expectation that did not hold: what was asked, found, and the closest
    requests with their differences as ``assert actual == expected``."""
    lines = [f"{call}: {answer.get('detail', 'the expectation does not hold')}"]
    closest = answer.get("closest") or []
    lines.append("closest requests:" if closest else "no request comes close: the journal is empty")
    for number, near in enumerate(closest, 1):
        entry = near["entry"]
        operation = f" ({entry['operation']})" if entry.get("operation") else ""
        lines.append(f"  {number}. {entry['method']} {entry['path']} -> {entry['status']}{operation}")
        if entry.get("body") is not None:
            lines.append(f"     body: {pprint.pformat(entry['body'], width=80, compact=True)}")
        for difference in near["differences"]:
            at = f" {difference['at'] or '(the body)'}" if "at" in difference else ""
            where = difference["filter"] + at
            if "actual" in difference:
                lines.append(f"     {where}: assert {difference['actual']!r} == {difference['expected']!r}")
            else:
                lines.append(f"     {where}: missing, expected {difference['expected']!r}")
        if not near["differences"]:
            lines.append("     matches every filter")
    return "\n".join(lines)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "mockserver_verify: check the expectations mock.expect() declares "
                                       "when the test ends, listing every one that does not hold")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test's body: the expectations of the mocks it used that do not hold fail it."""
    __tracebackhide__ = True
    result = yield
    mocks = [value for value in getattr(item, "funcargs", {}).values() if isinstance(value, Verifying)]
    unmet = [message for mock in mocks for message in mock.unmet_expectations()]
    if unmet:
        raise AssertionError(f"{len(unmet)} expectation(s) not met when the test ended:\n\n"
                               + "\n\n".join(unmet))
    return result


def asked(request: pytest.FixtureRequest) -> bool:
    """Whether the test asked for its expectations to be checked when it ends."""
    config = request.config
    return bool(request.node.get_closest_marker("mockserver_verify") or config.getoption("mockserver_verify")
                or config.getini("mockserver_verify"))
