"""Formats as JSON Schema defines them: ``email`` is an RFC 5321 mailbox, not any text with an @."""

from __future__ import annotations

import pytest

from mockserver.core.formats import is_mailbox
from mockserver.core.schema import make_validator

MAILBOXES = ["alice@example.com", "a.b+c@sub.example.co", '"a b"@x.org', "user@[192.0.2.1]", "x@localhost"]
NOT_MAILBOXES = ["é@x.com", "d@Û", "a@", "@b", "a@b..c", "a@-b.com", "a b@x.org", "a@b_c.com", "x" * 250 + "@a.bc"]


@pytest.mark.parametrize("value", MAILBOXES)
def test_a_mailbox_is_a_valid_email(value: str) -> None:
    assert is_mailbox(value)
    assert not list(make_validator({"type": "string", "format": "email"}).iter_errors(value))


@pytest.mark.parametrize("value", NOT_MAILBOXES)
def test_text_with_an_at_sign_that_is_no_mailbox_is_refused(value: str) -> None:
    assert not is_mailbox(value)
    assert list(make_validator({"type": "string", "format": "email"}).iter_errors(value))


def test_the_email_format_constrains_strings_only() -> None:
    assert not list(make_validator({"format": "email"}).iter_errors(5))


@pytest.mark.slow
def test_every_email_hypothesis_draws_is_a_mailbox() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=500, database=None, deadline=None)
    @given(st.emails())
    def check(value: str) -> None:
        assert is_mailbox(value), value

    check()
