"""Forms: a file field takes files only, and an operation may accept encodings its document does
not list.

A multipart part without a filename is text, not a file: FastAPI (so AgentOS) refuses it in a
field declared as a file with a 422, where Connexion would take it. And a profile may say that its
operations take request encodings beyond those documented (FastAPI takes a urlencoded form where
the document lists only multipart): ``with_encodings`` adds them to the copy Connexion serves,
with the documented schema; the documents are served unchanged.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any

from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import MultiPartParser
from starlette.types import Scope

from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.errors import ValidationFailed
from mockserver.server.connexion_adapter.form_bodies import FormBodyValidator


def file_field(schema: Any) -> bool:
    """Whether a form field, as Connexion's parser sees it, holds a file or files."""
    if not isinstance(schema, dict):
        return False
    items = schema.get("items")
    target = items if schema.get("type") == "array" and isinstance(items, dict) else schema
    return target.get("type") == "string" and target.get("format") in ("binary", "base64")


def refuse_text_as_file(form: FormData, schema: Mapping[str, Any]) -> None:
    properties = schema.get("properties") or {}
    for name in form:
        field = properties.get(name)
        if not isinstance(field, dict) or not file_field(field):
            continue
        values = form.getlist(name)
        nullable = field.get("x-nullable") or any(isinstance(branch, dict) and branch.get("type") == "null"
                                                   for branch in field.get("anyOf") or ())
        if nullable and values == ["null"]:
            continue  # a form has no JSON null: the text "null" is null where a field may be null
        if any(not isinstance(value, UploadFile) for value in values):
            raise ValidationFailed(f"field {name!r} of the request body: expected a file (a part with a "
                                   "filename), got a text part", pointer=f"/body/{name}")


class FilePartsValidator(FormBodyValidator):
    """A multipart form read and validated as a urlencoded one, refusing a text part in a file
    field (a 422)."""

    async def _form(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> FormData:
        form: FormData = await MultiPartParser(Headers(scope=scope), stream).parse()
        refuse_text_as_file(form, self._schema)
        return form


def with_encodings(document: dict[str, Any], spec: Spec,
                   extra: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """``document`` (a copy of ``spec``'s) with each operation of ``extra`` also accepting the media
    types listed there, with the schema of the first media type its request body documents."""
    if not extra:
        return document
    changed = copy.deepcopy(document)
    for operation in spec.operations():
        wanted = extra.get(operation.key)
        definition = changed["paths"][operation.path][operation.method]
        body = follow_refs(spec.raw, definition.get("requestBody") or {})
        content = dict(body.get("content") or {})
        if not wanted or not content:
            continue
        first = next(iter(content.values()))
        content.update({media: copy.deepcopy(first) for media in wanted if media not in content})
        definition["requestBody"] = {**body, "content": content}
    return changed


class NoEncodingNote(logging.Filter):
    """Connexion logs a warning each time it reads an operation taking several request media types;
    with ``with_encodings`` every form operation of a profile does, by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "accepts multiple content types" not in str(record.msg)


logging.getLogger("connexion.operations.openapi3").addFilter(NoEncodingNote())
# A malformed multipart body is the client's mistake, answered with a 4xx that says so; the parser's
# own warning would repeat it in the server's log once per hostile request (thousands in a contract
# run).
logging.getLogger("python_multipart").setLevel(logging.ERROR)
