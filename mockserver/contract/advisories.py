"""What a contract run notices beyond the schema: advisories, reported but never failing a run.

The AgentOS spec is permissive where its parameters say more: a 200 answer to ``type=workflow``
passes if it matches any of the three session schemas, and ``error_code`` is optional. A server can
pass every Schemathesis check and still answer a workflow request with another kind's shape, or
errors without codes. These checks read the recorded requests and responses and say so: the first
only for a spec with the sessions API's session kinds, the second only for a spec whose error
responses declare ``error_code``. Another API gets neither.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mockserver.core.schema import explain, first_error
from mockserver.core.sessions import RESPONSE_SCHEMAS, SessionKind, session_kinds, typed_session_operations
from mockserver.core.spec import Spec, follow_refs, path_pattern
from mockserver.core.specs import load_specs
from mockserver.errors import StartupError


@dataclass
class Advisories:
    """Distinct advisories, each with how often it was seen and one request that shows it."""

    spec: Spec | None
    kinds: dict[str, SessionKind] = field(default_factory=dict)
    error_code_declared: bool = False
    typed_paths: list[re.Pattern[str]] = field(default_factory=list)  # 200 is one of the session kinds
    messages: dict[tuple[str, ...], str] = field(default_factory=dict)
    examples: dict[tuple[str, ...], str] = field(default_factory=dict)
    counts: Counter[tuple[str, ...]] = field(default_factory=Counter)

    @classmethod
    def for_specs(cls, paths: tuple[Path, ...]) -> Advisories:
        try:
            spec = load_specs(paths).combined
        except StartupError:
            return cls(None)  # a document the mock cannot read: nothing beyond the schema to say
        try:
            kinds = session_kinds(spec)
        except StartupError:
            kinds = {}  # not the sessions API: no typed sessions to compare
        return cls(spec, kinds, declares_error_code(spec), typed_session_paths(spec) if kinds else [])

    def note(self, key: tuple[str, ...], message: str, request: Any) -> None:
        self.messages.setdefault(key, message)
        self.examples.setdefault(key, f"{request.method} {request.uri}")
        self.counts[key] += 1

    def inspect(self, request: Any, response: Any) -> None:
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            return
        if response.status_code == 200 and self.kinds:
            self._typed_schema(request, body)
        elif (self.error_code_declared and response.status_code >= 400 and isinstance(body, dict)
              and body.get("error_code") is None):
            self.note(("error_code", str(response.status_code)),
                      f"{response.status_code} error bodies carry no error_code (the spec makes it optional)",
                      request)

    def _typed_schema(self, request: Any, body: Any) -> None:
        url = urlsplit(request.uri)
        if not any(pattern.match(url.path) for pattern in self.typed_paths):
            return  # a list, runs or another answer: not a session of the requested kind
        requested = parse_qs(url.query).get("type", ["agent"])[-1]
        kind = self.kinds.get(requested)
        if kind is None or self.spec is None:
            return
        error = first_error(self.spec.validator(kind.schema_pointer), body)
        if error is not None:
            where = "/".join(map(str, error.absolute_path))
            self.note(("typed_schema", requested, where, str(error.validator)),
                      f"a 200 for type={requested} does not match {RESPONSE_SCHEMAS[requested]}: "
                      f"{explain(error, 'the response')} (the anyOf of the spec admits it)", request)

    def lines(self) -> list[str]:
        return [f"  - {message} [{self.counts[key]}x], e.g. {self.examples[key]}"
                for key, message in self.messages.items()]


def declares_error_code(spec: Spec) -> bool:
    """Whether any documented 4xx/5xx JSON response of ``spec`` has an ``error_code`` property."""
    for operation in spec.operations():
        for status, response in (operation.definition.get("responses") or {}).items():
            if str(status)[:1] not in ("4", "5"):
                continue
            content = follow_refs(spec.raw, response).get("content") or {}
            for media in content.values():
                if "error_code" in _properties(spec, media.get("schema") or {}):
                    return True
    return False


def _properties(spec: Spec, schema: Any) -> set[str]:
    """The property names ``schema`` (or any of its anyOf/oneOf/allOf branches) declares."""
    schema = follow_refs(spec.raw, schema)
    if not isinstance(schema, Mapping):
        return set()
    names = set(schema.get("properties") or {})
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(keyword) or ():
            names |= _properties(spec, branch)
    return names


def typed_session_paths(spec: Spec) -> list[re.Pattern[str]]:
    """Paths of the operations whose 200 is any of the session kinds' schemas (``anyOf``)."""
    return [path_pattern(operation.path) for operation in typed_session_operations(spec)]
