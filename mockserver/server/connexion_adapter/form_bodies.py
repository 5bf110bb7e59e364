"""Form bodies (urlencoded and multipart) read into the value a JSON body would be, validated with
JSON Schema 2020-12 like JSON bodies, and handed on as the validated body.

A form is text: each field is read as its schema types it (integers, numbers, booleans, ``null``
where the field may be null, arrays of those as the field's encoding ``style``/``explode`` says,
JSON where the encoding's ``contentType`` is JSON). Text that does not spell its type stays text,
so that the validator names the field and what is wrong. File parts are read as ``""`` (as
Connexion reads them): the file's bytes are not stored. A text field whose schema takes one value,
given more than once, is refused, as a query parameter's repeat is (``query_repeats``).
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncGenerator, Mapping
from typing import Any

from connexion.validators.form_data import FormDataValidator
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import FormParser
from starlette.types import Receive, Scope

from mockserver.core.pointers import pointer
from mockserver.core.schema import first_error
from mockserver.core.schema_messages import explain, specific
from mockserver.errors import ValidationFailed
from mockserver.server.connexion_adapter.bodies import compiled
from mockserver.server.connexion_adapter.hotpath import VALIDATED_BODY
from mockserver.server.connexion_adapter.query_repeats import takes_one_value

FORM_SCHEMA = "x-mockserver-form-schema"  # set by app.body_definition: the form's documented schema
FORM_ENCODING = "x-mockserver-form-encoding"  # and its media type's encoding object
SEPARATORS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def properties_of(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The properties a (resolved) body schema names, its ``allOf`` branches' included."""
    found: dict[str, Any] = {}
    for branch in schema.get("allOf") or ():
        if isinstance(branch, Mapping):
            found.update(properties_of(branch))
    found.update(schema.get("properties") or {})
    return found


def types_of(schema: Any) -> set[str]:
    if not isinstance(schema, Mapping):
        return set()
    declared = schema.get("type")
    types = set(declared if isinstance(declared, list) else [declared] if declared else [])
    if schema.get("nullable") or schema.get("x-nullable"):
        types.add("null")
    for branch in (*(schema.get("anyOf") or ()), *(schema.get("oneOf") or ())):
        types |= types_of(branch)
    return types


def read_text(text: str, schema: Any) -> Any:
    """``text`` as the value its schema types it, or ``text`` where it spells none of them."""
    types = types_of(schema)
    if "null" in types and text == "null":
        return None
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if types & {"integer", "number"}:
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text  # JSON has no NaN nor infinity
    return text


def read_field(values: list[Any], schema: Any, encoding: Mapping[str, Any]) -> Any:
    if any(isinstance(value, UploadFile) for value in values):
        files = ["" for _ in values]
        return files if "array" in types_of(schema) or len(files) > 1 else files[0]
    if "json" in str(encoding.get("contentType", "")):
        try:
            return json.loads(values[-1])
        except ValueError:
            return values[-1]
    if "array" not in types_of(schema):
        return read_text(values[-1], schema)
    items = schema.get("items") if isinstance(schema, Mapping) else None
    if not encoding.get("explode", encoding.get("style", "form") == "form"):
        separator = SEPARATORS.get(encoding.get("style", "form"), ",")
        values = [part for value in values for part in value.split(separator)]
    return [read_text(value, items) for value in values]


def read_form(form: FormData, schema: Mapping[str, Any], encodings: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON value of a parsed form, typed by the body's ``schema``."""
    properties = properties_of(schema)
    for name in form:
        values = form.getlist(name)
        texts = not any(isinstance(value, UploadFile) for value in values)
        if len(values) > 1 and texts and takes_one_value(properties.get(name)):
            raise ValidationFailed(f"form field {name!r} takes one value (given {len(values)} times)",
                                   pointer=pointer("body", name))
    return {name: read_field(form.getlist(name), properties.get(name), encodings.get(name) or {})
            for name in form}


class FormBodyValidator(FormDataValidator):
    """A urlencoded form validated with JSON Schema 2020-12; its value becomes the validated body."""

    _read: dict[str, Any] | None = None

    @property
    def documented(self) -> Mapping[str, Any]:
        """The body's schema as the document writes it (Connexion's copy types every field)."""
        documented: Mapping[str, Any] = self._schema.get(FORM_SCHEMA) or self._schema
        return documented

    async def _form(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> FormData:
        form: FormData = await FormParser(Headers(scope=scope), stream).parse()
        return form

    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> dict[str, Any]:
        form = await self._form(stream, scope)
        self._read = read_form(form, self.documented, self._schema.get(FORM_ENCODING) or {})
        return self._read

    def _validate(self, body: Any) -> dict[str, Any] | None:
        if self._strict_validation:
            self._validate_params_strictly(body)
        error = first_error(compiled(self.documented, request=True), body)
        if error is not None:
            raise ValidationFailed(explain(error, "the request body"),
                                   pointer=pointer("body", *specific(error).absolute_path))
        return None

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        headers = Headers(scope=scope)
        if not (self._required or int(headers.get("content-length") or 0) or "transfer-encoding" in headers):
            return receive, scope  # an optional body left out, as a JSON one: no form to validate
        receive, scope = await super().wrap_receive(receive, scope=scope)
        if self._read is not None:
            scope.setdefault("extensions", {})[VALIDATED_BODY] = self._read
        return receive, scope

