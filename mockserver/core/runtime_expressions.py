"""OpenAPI runtime expressions (``{$request.body#/callbackUrl}``), evaluated against one exchange.

A callback's URL is a template: literal text around expressions in braces, or one expression on
its own. The expressions are ``$url``, ``$method``, ``$statusCode``, ``$request.path.NAME``,
``$request.query.NAME``, ``$request.header.NAME``, ``$request.body`` with an optional JSON pointer
(``#/a/0``), and the same for ``$response`` (its header and body). One that names nothing present
is an ``Unresolved`` naming it: no URL is guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.pointers import pointer_parts

EXPRESSION = re.compile(r"\{(\$[^{}]+)\}")


class Unresolved(ValueError):
    """A runtime expression that names nothing in the exchange, or is not one."""


@dataclass(frozen=True)
class Exchange:
    """What a runtime expression may read: a request and the answer given to it."""

    url: str
    method: str
    status: int
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    body: Any = None
    response_headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    response_body: Any = None


def _pointed(body: Any, fragment: str, expression: str) -> Any:
    if not fragment:
        return body
    if not fragment.startswith("/"):
        raise Unresolved(f"{expression}: a body's JSON pointer starts with '/'")
    value = body
    for part in pointer_parts(fragment):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise Unresolved(f"{expression}: the body has nothing at {fragment}")
    return value


def _named(values: Mapping[str, str], name: str, expression: str, lower: bool = False) -> str:
    found = values.get(name.lower() if lower else name)
    if found is None:
        raise Unresolved(f"{expression}: not in the exchange")
    return found


def evaluate(expression: str, exchange: Exchange) -> Any:
    """The value ``expression`` (``$request.body#/url``, without braces) names in ``exchange``."""
    if expression == "$url":
        return exchange.url
    if expression == "$method":
        return exchange.method.upper()
    if expression == "$statusCode":
        return exchange.status
    source, _, rest = expression.partition(".")
    if source not in ("$request", "$response"):
        raise Unresolved(f"{expression}: not a runtime expression")
    response = source == "$response"
    if rest == "body" or rest.startswith("body#"):
        body = exchange.response_body if response else exchange.body
        return _pointed(body, rest[len("body#"):] if "#" in rest else "", expression)
    kind, _, name = rest.partition(".")
    if not name:
        raise Unresolved(f"{expression}: not a runtime expression")
    if kind == "header":
        return _named(exchange.response_headers if response else exchange.headers, name, expression, True)
    if not response and kind == "query":
        return _named(exchange.query, name, expression)
    if not response and kind == "path":
        return _named(exchange.path_params, name, expression)
    raise Unresolved(f"{expression}: not a runtime expression")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def resolve(template: str, exchange: Exchange) -> str:
    """``template`` with each ``{expression}`` replaced by its value (a template that is one bare
    expression, ``$request.query.url``, is that value)."""
    if template.startswith("$") and "{" not in template:
        return _text(evaluate(template, exchange))
    return EXPRESSION.sub(lambda match: _text(evaluate(match.group(1).strip(), exchange)), template)
