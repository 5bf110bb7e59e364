"""What a contract run notices beyond the schema: advisories, reported but never failing a run.

A spec can be permissive where its parameters say more (AgentOS: a 200 answer to ``type=workflow``
passes if it matches any of the three session schemas), and ``error_code`` may be optional. A
server can pass every Schemathesis check and still answer a workflow request with another kind's
shape, or errors without codes. These checks read the recorded requests and responses and say so:
the first where the documents' profile has a check of answers beyond their schema
(``core.conformance.AnswerCheck``), the second only for a spec whose error responses declare
``error_code``. Another API gets neither.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mockserver.config import Config
from mockserver.core.combined import load_specs
from mockserver.core.conformance import AnswerCheck
from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.errors import StartupError
from mockserver.profile import choose_profile


@dataclass
class Advisories:
    """Distinct advisories, each with how often it was seen and one request that shows it."""

    spec: Spec | None
    answer_check: AnswerCheck | None = None  # the profile's check of a 200 beyond its schema
    error_code_declared: bool = False
    messages: dict[tuple[str, ...], str] = field(default_factory=dict)
    examples: dict[tuple[str, ...], str] = field(default_factory=dict)
    counts: Counter[tuple[str, ...]] = field(default_factory=Counter)

    @classmethod
    def for_specs(cls, paths: tuple[Path, ...], profile: str = "auto") -> Advisories:
        try:
            spec = load_specs(paths).combined
        except StartupError:
            return cls(None)  # a document the mock cannot read: nothing beyond the schema to say
        chosen = choose_profile(Config(specs=paths, profile=profile), spec).profile
        check = chosen.answer_check(spec) if chosen is not None else None
        return cls(spec, check, declares_error_code(spec))

    def note(self, key: tuple[str, ...], message: str, request: Any) -> None:
        self.messages.setdefault(key, message)
        self.examples.setdefault(key, f"{request.method} {request.uri}")
        self.counts[key] += 1

    def inspect(self, request: Any, response: Any) -> None:
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            return
        if response.status_code == 200 and self.answer_check is not None:
            url = urlsplit(request.uri)
            query = {name: values[-1] for name, values in parse_qs(url.query).items()}
            problem = self.answer_check(url.path, query, body)
            if problem is not None:
                self.note(problem.group, f"{problem.message} (the documented schema admits it)", request)
        elif (self.error_code_declared and response.status_code >= 400 and isinstance(body, dict)
              and body.get("error_code") is None):
            self.note(("error_code", str(response.status_code)),
                      f"{response.status_code} error bodies carry no error_code (the spec makes it optional)",
                      request)

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
