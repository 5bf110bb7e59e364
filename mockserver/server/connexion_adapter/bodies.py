"""Request bodies read whole, parsed and validated with JSON Schema 2020-12, whatever their media
type: JSON (``validation``) and XML (``xml_requests``) differ only in how bytes become a value.

The validated value is handed on in ``scope["extensions"]`` (``VALIDATED_BODY``), so that no
handler parses the same bytes again; chunked bodies are read too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connexion.validators.abstract import AbstractRequestBodyValidator
from jsonschema import Draft202012Validator
from starlette.types import Receive, Scope

from mockserver.core.pointers import pointer
from mockserver.core.schema import first_error, make_validator
from mockserver.core.schema_messages import explain, specific
from mockserver.errors import ValidationFailed
from mockserver.server.connexion_adapter.hotpath import VALIDATED_BODY

_compiled: dict[tuple[int, bool], tuple[Mapping[str, Any], Draft202012Validator]] = {}


def compiled(schema: Mapping[str, Any], *, request: bool = False) -> Draft202012Validator:
    """A 2020-12 validator for one of Connexion's (resolved, long-lived) schemas, built once (for a
    ``request`` body: readOnly properties are neither required nor accepted)."""
    entry = _compiled.get((id(schema), request))
    if entry is None or entry[0] is not schema:
        entry = _compiled[(id(schema), request)] = (schema, make_validator(schema, request=request))
    return entry[1]


class ParsedBodyValidator(AbstractRequestBodyValidator):
    """A body read whole, parsed (``parse``), validated against the operation's schema."""

    max_depth: int  # set by validation.validator_map(), from Config.max_depth
    missing = "The request body is required"

    def parse(self, raw: bytes) -> Any:
        raise NotImplementedError

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        messages: list[Any] = []
        more_body = True
        while more_body:
            message = await receive()
            messages.append(message)
            more_body = message.get("more_body", False)
        raw = b"".join(message.get("body", b"") for message in messages)
        if not raw:
            if self._required:
                raise ValidationFailed(self.missing, pointer="/body")
        else:
            body = self.parse(raw)
            error = first_error(compiled(self._schema, request=True), body)
            if error is not None:
                raise ValidationFailed(explain(error, "the request body"),
                                       pointer=pointer("body", *specific(error).absolute_path))
            scope.setdefault("extensions", {})[VALIDATED_BODY] = body
        return self._insert_messages(receive, messages=messages), scope
