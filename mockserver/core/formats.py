"""The formats values are checked against: every format jsonschema knows, OpenAPI's integer widths
(``int32``, ``int64``), and ``email`` as JSON Schema defines it (an RFC 5321 mailbox).

jsonschema's own ``email`` check accepts any text with an ``@`` in it; a mailbox is ASCII (an
address with other characters is an ``idn-email``), a dot-atom or quoted local part, and a host
name or an address literal. Schemathesis sends ``é@Û`` as an email that breaks its format, and a
server that keeps the contract refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema import FormatChecker

FORMAT_CHECKER = FormatChecker()
INTEGER_BITS = {"int32": 32, "int64": 64}

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_QUOTED = r'"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"'
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_LITERAL = r"\[[\x21-\x5a\x5e-\x7e]+\]"  # [192.0.2.1], [IPv6:...]
MAILBOX = re.compile(rf"(?:{_ATOM}(?:\.{_ATOM})*|{_QUOTED})@(?:{_LABEL}(?:\.{_LABEL})*|{_LITERAL})")


def _fits_bits(bits: int) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return True  # the format constrains integers only
        return bool(-(2 ** (bits - 1)) <= value < 2 ** (bits - 1))

    return check


def is_mailbox(value: Any) -> bool:
    """An RFC 5321 mailbox, at most 254 characters (a format constrains strings only)."""
    return not isinstance(value, str) or (len(value) <= 254 and MAILBOX.fullmatch(value) is not None)


for _name, _bits in INTEGER_BITS.items():
    FORMAT_CHECKER.checks(_name)(_fits_bits(_bits))
FORMAT_CHECKER.checks("email")(is_mailbox)
