"""Whether a real server's answer keeps its operation's contract: status documented, media type
documented, body fitting the documented schema. What the validation proxy reports, and nothing
web: the answer comes in as status, media type and bytes.

A ``Violation`` is one broken promise: the operation (its key, or ``METHOD /path`` when the
documents do not describe it), the direction (``request`` or ``response``), a JSON pointer to what
is wrong (``/status``, ``/headers/content-type``, ``/body/session_name``) and a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance

from mockserver.core.schema import describe, errors_by_branch, specific
from mockserver.core.sessions import RESPONSE_SCHEMAS, session_kinds, typed_session_operations
from mockserver.core.spec import Spec, pointer, pointer_parts, resolve_pointer


@dataclass(frozen=True)
class Violation:
    operation: str
    direction: str  # "request" or "response"
    pointer: str
    message: str

    def line(self) -> str:
        return f"violation: {self.operation} {self.direction} {self.pointer or '/'}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"operation": self.operation, "direction": self.direction, "pointer": self.pointer,
                "message": self.message}


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


@dataclass(frozen=True)
class DocumentedResponse:
    """One documented response: its media types, and a validator per media type with a schema."""

    media_types: tuple[str, ...]
    validators: Mapping[str, Draft202012Validator]


class ResponseContract:
    """The documented responses of every operation of ``specs``, by operation key and status; and
    for the sessions API, the schema of each session kind: a 200 to ``type=team`` must be a team
    session, which the documents' ``anyOf`` of the three kinds does not say."""

    def __init__(self, specs: Sequence[Spec]) -> None:
        self.responses: dict[str, dict[str, DocumentedResponse]] = {}
        self.kinds: dict[str, tuple[str, Draft202012Validator]] = {}  # type -> schema name, validator
        self.typed: set[str] = set()  # operations whose 200 is the requested type's session
        for spec in specs:
            self._session_kinds(spec)
            for operation in spec.operations():
                documented = operation.definition.get("responses") or {}
                self.responses[operation.key] = {
                    str(code).upper(): self._documented(spec, pointer(*pointer_parts(operation.pointer),
                                                                      "responses", str(code)))
                    for code in documented}

    def _session_kinds(self, spec: Spec) -> None:
        typed = typed_session_operations(spec)
        if typed:
            self.typed |= {operation.key for operation in typed}
            self.kinds.update({name: (RESPONSE_SCHEMAS[name], spec.validator(kind.schema_pointer))
                               for name, kind in session_kinds(spec).items()})

    @staticmethod
    def _documented(spec: Spec, at: str) -> DocumentedResponse:
        """The response at ``at`` (a JSON pointer), following its ``$ref``s."""
        response = resolve_pointer(spec.raw, at)
        while isinstance(response, Mapping) and str(response.get("$ref", "")).startswith("#"):
            at = response["$ref"][1:]
            response = resolve_pointer(spec.raw, at)
        content = response.get("content") or {}
        validators = {media.lower(): spec.validator(pointer(*pointer_parts(at), "content", media, "schema"))
                      for media, media_object in content.items()
                      if isinstance(media_object, Mapping) and "schema" in media_object}
        return DocumentedResponse(tuple(media.lower() for media in content), validators)

    def response_for(self, key: str, status: int) -> DocumentedResponse | None:
        documented = self.responses.get(key, {})
        return (documented.get(str(status)) or documented.get(f"{str(status)[0]}XX")
                or documented.get("DEFAULT"))

    def check(self, key: str, status: int, content_type: str | None, body: bytes | None,
              query: Mapping[str, str] | None = None) -> list[Violation]:
        """What breaks the contract in an answer (``body`` None: not read, as for a stream) to a
        request with ``query``."""
        documented = self.response_for(key, status)
        if documented is None:
            listed = ", ".join(self.responses.get(key, {})) or "none"
            return [Violation(key, "response", "/status",
                              f"status {status} is not documented (documented: {listed})")]
        media = media_type(content_type)
        if not documented.media_types:
            if body:
                return [Violation(key, "response", "/body", f"status {status} documents no body, "
                                  f"but {len(body)} bytes came ({media or 'no content type'})")]
            return []
        matched = next((candidate for candidate in documented.media_types if fnmatch(media, candidate)), None)
        if matched is None:
            return [Violation(key, "response", "/headers/content-type",
                              f"{media or 'no content type'} is not documented for status {status} "
                              f"(documented: {', '.join(documented.media_types)})")]
        validator = documented.validators.get(matched)
        if body is None or validator is None or not is_json(media):
            return []
        found = self._body_violations(key, validator, body)
        requested = (query or {}).get("type", "agent")
        if found or status != 200 or key not in self.typed or requested not in self.kinds:
            return found
        name, kind_validator = self.kinds[requested]
        return [Violation(v.operation, v.direction, v.pointer, f"a 200 for type={requested} is not a {name}: "
                          f"{v.message}") for v in self._body_violations(key, kind_validator, body)]

    @staticmethod
    def _body_violations(key: str, validator: Draft202012Validator, body: bytes) -> list[Violation]:
        try:
            value = json.loads(body) if body else None
        except ValueError as exc:
            return [Violation(key, "response", "/body", f"the body is not JSON: {exc}")]
        errors = list(validator.iter_errors(value))
        if not errors:
            return []
        error = closest(min(errors, key=relevance))  # best_match would pick a branch's error itself
        return [Violation(key, "response", pointer("body", *error.absolute_path), describe(error))]

    @staticmethod
    def server_error(key: str, status: int) -> Violation:
        """A 5xx to a request that kept the contract: documented or not, the server failed."""
        return Violation(key, "response", "/status",
                         f"server error {status} to a request that keeps the contract")


def closest(error: ValidationError) -> ValidationError:
    """For a value that fits none of an anyOf/oneOf's branches, the error of the branch it came
    closest to (the fewest errors): a session missing one field is an agent session missing it."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return specific(error)
    nearest = min(errors_by_branch(error).values(), key=len)
    return closest(min(nearest, key=relevance))
