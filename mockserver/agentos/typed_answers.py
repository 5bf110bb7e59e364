"""A 200 to a typed session request (``?type=team``) must be a session of that type: what the
documents' ``anyOf`` of the three kinds cannot say. The proxy reports it as a violation, the
contract as an advisory (``core.conformance.AnswerCheck``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import relevance

from mockserver.agentos.sessions import RESPONSE_SCHEMAS, SessionKind, session_kinds, typed_session_operations
from mockserver.core.conformance import AnswerProblem, closest
from mockserver.core.pointers import pointer
from mockserver.core.schema_messages import describe
from mockserver.core.spec import Spec, path_pattern
from mockserver.errors import StartupError


@dataclass(frozen=True)
class TypedSessionCheck:
    spec: Spec
    paths: tuple[re.Pattern[str], ...]  # operations whose 200 is any of the session kinds
    kinds: Mapping[str, SessionKind]

    @classmethod
    def for_spec(cls, spec: Spec) -> TypedSessionCheck | None:
        """The check, when ``spec`` has the sessions API's typed answers; else None."""
        typed = typed_session_operations(spec)
        if not typed:
            return None
        try:
            kinds = session_kinds(spec)
        except StartupError:
            return None
        return cls(spec, tuple(path_pattern(operation.path) for operation in typed), kinds)

    def __call__(self, path: str, query: Mapping[str, str], body: Any) -> AnswerProblem | None:
        if not any(pattern.match(path) for pattern in self.paths):
            return None  # a list, runs or another answer: not a session of the requested kind
        requested = query.get("type", "agent")
        kind = self.kinds.get(requested)
        if kind is None:
            return None
        errors = list(self.spec.validator(kind.schema_pointer).iter_errors(body))
        if not errors:
            return None
        error = closest(min(errors, key=relevance))
        where = "/".join(map(str, error.absolute_path))
        return AnswerProblem(("typed_schema", requested, where, str(error.validator)),
                             pointer("body", *error.absolute_path),
                             f"a 200 for type={requested} is not a {RESPONSE_SCHEMAS[requested]}: "
                             f"{describe(error)}")
