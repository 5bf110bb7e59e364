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
from typing import Any, NamedTuple, Protocol

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance

from mockserver.core.pointers import local_pointer, pointer, pointer_parts, resolve_pointer
from mockserver.core.schema_messages import describe, errors_by_branch, specific
from mockserver.core.spec import Spec


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


class AnswerProblem(NamedTuple):
    """What is wrong with a 200 that its documented schema admits (a profile's check)."""

    group: tuple[str, ...]  # what makes two problems the same (the contract counts them so)
    pointer: str
    message: str


class AnswerCheck(Protocol):
    """A profile's check of a 200 beyond its schema, by request path and query (AgentOS: a 200 to
    ``type=team`` must be a team session, which the documents' ``anyOf`` does not say)."""

    def __call__(self, path: str, query: Mapping[str, str], body: Any) -> AnswerProblem | None: ...


@dataclass(frozen=True)
class DocumentedResponse:
    """One documented response: its media types, and a validator per media type with a schema."""

    media_types: tuple[str, ...]
    validators: Mapping[str, Draft202012Validator]


class ResponseContract:
    """The documented responses of every operation of ``specs``, by operation key and status; and
    the profile's checks of a 200 beyond its schema (``answer_checks``)."""

    def __init__(self, specs: Sequence[Spec], answer_checks: Sequence[AnswerCheck] = ()) -> None:
        self.responses: dict[str, dict[str, DocumentedResponse]] = {}
        self.answer_checks = tuple(answer_checks)
        for spec in specs:
            for operation in spec.operations():
                documented = operation.definition.get("responses") or {}
                self.responses[operation.key] = {
                    str(code).upper(): self._documented(spec, pointer(*pointer_parts(operation.pointer),
                                                                      "responses", str(code)))
                    for code in documented}

    @staticmethod
    def _documented(spec: Spec, at: str) -> DocumentedResponse:
        """The response at ``at`` (a JSON pointer), following its ``$ref``s."""
        response = resolve_pointer(spec.raw, at)
        while isinstance(response, Mapping) and str(response.get("$ref", "")).startswith("#"):
            at = local_pointer(response["$ref"])
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
              query: Mapping[str, str] | None = None, path: str = "") -> list[Violation]:
        """What breaks the contract in an answer (``body`` None: not read, as for a stream) to a
        request for ``path`` with ``query``."""
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
        if found or status != 200 or not self.answer_checks:
            return found
        value = json.loads(body) if body else None
        problems = (check(path, query or {}, value) for check in self.answer_checks)
        return [Violation(key, "response", problem.pointer, problem.message)
                for problem in problems if problem is not None]

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
