"""Form bodies on the whole AgentOS: a file fits a file field (3.1 spells files with
``contentMediaType``), one or many, and the text ``null`` is null in a field that may be null and
is no text."""

from __future__ import annotations

from mockserver.config import Config
from tests.conftest import shared_mock
from tests.inline_client import InlineClient

RUNS = "/agents/research-agent/runs"
CONTENT = "/knowledge/content"


def client() -> InlineClient:
    return InlineClient(shared_mock(Config()).app)


def test_files_fit_file_fields_one_or_many() -> None:
    one = client().post(CONTENT, files=[("file", ("notes.txt", b"x"))])
    many = client().post(RUNS, data={"message": "hi"},
                         files=[("files", ("a.txt", b"x")), ("files", ("b.txt", b"y"))])
    assert (one.status_code, many.status_code) == (202, 200)


def test_the_text_null_is_null_where_a_field_may_be_null() -> None:
    accepted = client().post(CONTENT, data={"chunk_size": "null"}, files={"_": ("z", b"")})
    refused = client().post(CONTENT, data={"chunk_size": "many"}, files={"_": ("z", b"")})
    assert (accepted.status_code, refused.status_code) == (202, 422)
