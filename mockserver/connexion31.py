"""Everything that adapts Connexion 3.3 to an OpenAPI 3.1 document, in one place.

Connexion 3.3 refuses 3.1 documents, validates with JSON Schema Draft 4, answers problem+json,
locks out every request when a bearer scheme has no token function, and answers 500 to three
inputs of the AgentOS spec. Each gap is closed here through Connexion's own extension points:
an ``AsyncApp`` subclass that registers an already validated 3.1 document, an operation class
that copes with ``anyOf``-only parameter schemas, a 2020-12 ``validator_map``, a
``security_map`` bearer handler, a middleware that reads a body without Content-Type as JSON,
and error handlers that turn every failure into one of the mock's ``ApiError``s.
``tests/unit/test_connexion31.py`` fails if a Connexion upgrade moves what this relies on.
"""

from __future__ import annotations

import copy
import functools
import hmac
import json
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

from connexion import AsyncApp
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem, ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.main import API
from connexion.operations import OpenAPIOperation
from connexion.security import BearerSecurityHandler
from connexion.spec import OpenAPISpecification
from connexion.validators import VALIDATOR_MAP, AbstractRequestBodyValidator, ParameterValidator
from jsonschema import Draft202012Validator
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import ApiError, NotFound, ValidationFailed
from .schema import explain, first_error, make_validator
from .spec import Spec

logger = logging.getLogger("mockserver")


PRIMITIVE_TYPES = ("string", "integer", "number", "boolean")


def with_declared_type(parameter: dict[str, Any]) -> dict[str, Any]:
    """``parameter`` with ``type: T`` beside a schema's ``anyOf: [T, null]``.

    Connexion reads ``schema["type"]`` to coerce parameters, and 3.1 documents may declare the
    type only inside ``anyOf``. A value in a URL is never JSON null, so adding ``type: T`` changes
    nothing that a request can express.
    """
    schema = parameter.get("schema", {})
    if "type" in schema or "anyOf" not in schema:
        return parameter
    types = {branch.get("type") for branch in schema["anyOf"]} - {"null"}
    if len(types) != 1 or not types <= set(PRIMITIVE_TYPES):
        return parameter
    return {**parameter, "schema": {**schema, "type": types.pop()}}


class OpenAPI31Operation(OpenAPIOperation):
    """An operation whose parameters all carry the ``type`` Connexion expects."""

    @functools.cached_property
    def parameters(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return [with_declared_type(parameter) for parameter in self._parameters]


class OpenAPI31Specification(OpenAPISpecification):
    """Connexion's OpenAPI specification without its 3.0-only document check.

    Only ``OpenAPI31App.add_spec`` builds one, from a ``Spec`` that ``load_spec`` has already
    validated as 3.1 with openapi-spec-validator.
    """

    operation_cls = OpenAPI31Operation

    @classmethod
    def _validate_spec(cls, spec: dict[str, Any]) -> None:
        return None


class OpenAPI31App(AsyncApp):
    """``AsyncApp`` that serves validated 3.1 documents (``add_api`` re-checks them as 3.0)."""

    def add_spec(self, spec: Spec, **options: Any) -> None:
        middleware = self.middleware
        if middleware.middleware_stack is not None:
            raise RuntimeError("Cannot add a spec after the application has started")
        specification = OpenAPI31Specification(
            copy.deepcopy(dict(spec.raw)), base_uri=f"{spec.path.resolve().parent}/"
        )
        settings = middleware.options.replace(**options)
        middleware.apis.append(API(specification, base_path=None, name=None, **settings.__dict__))


_compiled: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}


def compiled(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A 2020-12 validator for one of Connexion's (resolved, long-lived) schemas, built once."""
    entry = _compiled.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _compiled[id(schema)] = (schema, make_validator(schema))
    return entry[1]


class Parameter202012Validator(ParameterValidator):
    """Parameter validation with JSON Schema 2020-12 and the mock's error messages."""

    @staticmethod
    def validate_parameter(parameter_type: str, value: Any, param: dict, param_name: Any = None) -> None:
        if value is None:
            if param.get("required"):
                raise ValidationFailed(f"missing required {parameter_type} parameter {param['name']!r}")
            return None
        error = first_error(compiled(param.get("schema", {})), value)
        if error is not None:
            raise ValidationFailed(explain(error, f"{parameter_type} parameter {param['name']!r}"))
        return None


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"number {text} is out of range")
    return number


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_body(raw: bytes) -> Any:
    """Decode a request body as strict UTF-8 JSON, raising ``ValidationFailed`` otherwise.

    A ``charset`` parameter is ignored: RFC 8259 defines none for application/json.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"The request body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ValueError as exc:
        raise ValidationFailed(f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValidationFailed("The request body is not valid JSON: it is nested too deeply") from None


class JSONBody202012Validator(AbstractRequestBodyValidator):
    """JSON body validation with JSON Schema 2020-12; reads chunked bodies too."""

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
                raise ValidationFailed("The request body is required: send a JSON object, e.g. {}")
        else:
            body = parse_json_body(raw)
            error = first_error(compiled(self._schema), body)
            if error is not None:
                raise ValidationFailed(explain(error, "the request body"))
        return self._insert_messages(receive, messages=messages), scope


def validator_map() -> dict[str, Any]:
    """Connexion's validator map with 2020-12 parameter and JSON body validators."""
    body = MediaTypeDict(VALIDATOR_MAP["body"])  # merge: a one-key dict would drop the others
    body["*/*json"] = JSONBody202012Validator
    return {"parameter": Parameter202012Validator, "body": body}


def bearer_security(key: str | None) -> dict[str, type[BearerSecurityHandler]]:
    """A ``security_map``: with no key, any request passes; with one, only ``Bearer <key>``."""
    expected = key.encode() if key is not None else None

    def check_token(token: str) -> dict[str, str] | None:
        return {"sub": "bearer"} if hmac.compare_digest(token.encode(), expected or b"") else None

    class KeyBearerHandler(BearerSecurityHandler):
        def get_fn(self, security_scheme: dict, required_scopes: list) -> Callable:
            if expected is None:
                return lambda request: {}
            return self._get_verify_func(check_token)

    return {"bearer": KeyBearerHandler}


class AssumeJSONContentType:
    """A body without Content-Type is read as JSON, as FastAPI (so AgentOS) does.

    Connexion validates such a body as JSON but hands the handler bytes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(k == b"content-type" for k, _ in scope["headers"]):
            scope = {**scope, "headers": [*scope["headers"], (b"content-type", b"application/json")]}
        await self.app(scope, receive, send)


def as_api_error(request: ConnexionRequest, exc: Exception) -> ApiError:
    """The mock's error for anything raised while answering ``request``."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, BadRequestProblem):
        return ValidationFailed(str(exc.detail or exc.title))
    if isinstance(exc, ProblemException):
        return ApiError(str(exc.detail or exc.title), status=exc.status, headers=exc.headers)
    if isinstance(exc, HTTPException):
        where = f"{request.method} {request.url.path}"
        if exc.status_code == 404:
            return NotFound(f"No operation matches {where}")
        if exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            return ApiError(f"Method {request.method} is not allowed on {request.url.path}; "
                            f"allowed: {allowed}", status=405, headers=exc.headers)
        return ApiError(str(exc.detail), status=exc.status_code, headers=exc.headers)
    logger.error("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return ApiError("Internal server error")


async def render_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """The one error handler: every failure becomes ``{"detail", "error_code"}`` JSON."""
    error = as_api_error(request, exc)
    return ConnexionResponse(
        status_code=error.status,
        mimetype="application/json",
        body=json.dumps(error.body()),
        headers=error.headers,
    )


# What render_error is registered for: the mock's errors, Connexion's, Starlette's, the rest.
ERROR_FAMILIES: tuple[type[Exception], ...] = (ApiError, ProblemException, HTTPException, Exception)
