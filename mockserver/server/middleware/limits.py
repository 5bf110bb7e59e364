"""Limits on what a request may send: body size, JSON nesting, and how slowly a body may arrive.

``BodyLimits.guard`` (called by the ``Admission``) refuses a body over ``max_body_bytes`` with a 413
without reading it (from its
Content-Length, or, for a chunked body, as soon as the count passes the limit), and a body whose
next chunk took longer than ``read_timeout`` seconds with a 408: the server's protocol
(``mockserver.server.protocol``) times the body and marks the request's ``BodyClock`` expired.
``nesting_depth`` measures JSON nesting without recursion, so that a body nested too deeply is a
422 before the parser recurses.
"""

from __future__ import annotations

from starlette.types import Message, Receive, Scope

from mockserver.errors import ApiError

BODY_CLOCK = "mockserver.body_clock"  # the scope["extensions"] key of a request's BodyClock


class BodyClock:
    """Whether a request's body stalled: set by the protocol, read by ``BodyLimits``."""

    __slots__ = ("expired",)

    def __init__(self) -> None:
        self.expired = False


class PayloadTooLarge(ApiError):
    status = 413


class RequestTimeout(ApiError):
    status = 408


def nesting_depth(raw: bytes, give_up_above: int) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped), at most one past
    ``give_up_above``."""
    if raw.count(b"[") + raw.count(b"{") <= give_up_above:
        return 0  # cannot be deeper than the limit: skip the scan
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > give_up_above:
                    return deepest
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def exceeds(digits: bytes, limit: int) -> bool:
    """Whether the number ASCII ``digits`` spell is over ``limit``, without ``int`` meeting thousands
    of digits (it refuses over 4,300)."""
    significant = digits.lstrip(b"0") or b"0"
    return len(significant) > len(str(limit)) or int(significant) > limit


class BodyLimits:
    def __init__(self, max_body_bytes: int, read_timeout: float) -> None:
        self.max_body_bytes = max_body_bytes
        self.read_timeout = read_timeout

    def guard(self, scope: Scope, receive: Receive) -> Receive:
        """``receive`` for an HTTP request, refusing a body too large or too slow (raises
        ``PayloadTooLarge`` at once when the declared length is over the limit)."""
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if declared is not None and declared.isdigit() and exceeds(declared, self.max_body_bytes):
            raise self._too_large()
        received = 0
        clock: BodyClock | None = (scope.get("extensions") or {}).get(BODY_CLOCK)

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if clock is not None and clock.expired:
                raise RequestTimeout(f"The request body did not arrive within {self.read_timeout:g} s "
                                     "of its last part")
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise self._too_large()
            return message

        return limited_receive

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"The request body is larger than {self.max_body_bytes} bytes")
