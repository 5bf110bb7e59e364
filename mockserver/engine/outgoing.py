"""The requests a document says its server sends: each operation's ``callbacks`` and a 3.1
document's top-level ``webhooks``, read once into ``Outgoing``s.

An ``Outgoing`` is one operation of a callback's (or webhook's) path item: its method, the URL
template a callback's key is (a runtime expression, ``core.runtime_expressions``), the JSON pointer
of its request body's schema and that body's examples, and the pointer of the operation itself,
whose ``responses`` the receiver's answer is checked against. ``$ref``s to ``components``
(callbacks, path items, request bodies) are followed, pointers kept where the nodes are written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.pointers import local_pointer, pointer, resolve_pointer
from mockserver.core.spec import HTTP_METHODS, Spec
from mockserver.engine import reading


@dataclass(frozen=True)
class Outgoing:
    kind: str  # callback or webhook
    name: str  # the callback's name (orderShipped) or the webhook's (newPet)
    url: str  # a callback's URL template; "" for a webhook (its receiver is registered)
    method: str  # upper case
    at: str  # JSON pointer of the outgoing operation
    body_schema: str | None = None  # JSON pointer of its JSON request body's schema
    media_type: str | None = None
    examples: tuple[Any, ...] = field(default=())


def _followed(spec: Spec, node: Any, at: str) -> tuple[Any, str]:
    """``node`` (at ``at``) with its local ``$ref``s followed, and where it is written."""
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        at = local_pointer(node["$ref"])
        node = resolve_pointer(spec.raw, at)
        seen += 1
        if seen > 32:
            break
    return node, at


def _examples(spec: Spec, media: Mapping[str, Any]) -> tuple[Any, ...]:
    found = [media["example"]] if "example" in media else []
    for example in (media.get("examples") or {}).values():
        example, _ = _followed(spec, example, "")
        if isinstance(example, Mapping) and "value" in example:
            found.append(example["value"])
    return tuple(found)


def _operations(spec: Spec, kind: str, name: str, url: str, item: Any, at: str) -> Iterator[Outgoing]:
    item, at = _followed(spec, item, at)
    if not isinstance(item, Mapping):
        return
    for method in HTTP_METHODS:
        operation = item.get(method)
        if not isinstance(operation, Mapping):
            continue
        here = f"{at}{pointer(method)}"
        body, body_at = _followed(spec, operation.get("requestBody"), f"{here}/requestBody")
        content = body.get("content") or {} if isinstance(body, Mapping) else {}
        media = reading.json_media_type(content) or next(iter(content), None)
        schema = (f"{body_at}{pointer('content', media, 'schema')}"
                  if media is not None and "schema" in (content[media] or {}) else None)
        examples = _examples(spec, content[media] or {}) if media is not None else ()
        yield Outgoing(kind, name, url, method.upper(), here, schema, media, examples)


def callbacks(spec: Spec) -> dict[str, list[Outgoing]]:
    """Each operation's callbacks (by operation key), in the order written."""
    found: dict[str, list[Outgoing]] = {}
    for operation in spec.operations():
        written = operation.definition.get("callbacks")
        if not isinstance(written, Mapping):
            continue
        for name, callback in written.items():
            callback, at = _followed(spec, callback, f"{operation.pointer}{pointer('callbacks', name)}")
            if not isinstance(callback, Mapping):
                continue
            for url, item in callback.items():
                if isinstance(url, str) and not url.startswith("x-"):
                    found.setdefault(operation.key, []).extend(
                        _operations(spec, "callback", str(name), url, item, f"{at}{pointer(url)}"))
    return found


def webhooks(spec: Spec) -> dict[str, list[Outgoing]]:
    """A 3.1 document's webhooks, by name."""
    written = spec.raw.get("webhooks")
    if not isinstance(written, Mapping):
        return {}
    return {str(name): list(_operations(spec, "webhook", str(name), "", item, pointer("webhooks", name)))
            for name, item in written.items()}


def documented_answer(spec: Spec, outgoing: Outgoing, status: int) -> tuple[bool, str | None]:
    """Whether the outgoing operation documents ``status`` (exactly, as ``2XX``, or by ``default``),
    and the JSON pointer of that answer's JSON schema (None without one)."""
    operation, _ = _followed(spec, resolve_pointer(spec.raw, outgoing.at), outgoing.at)
    responses = operation.get("responses") or {}
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            answer, at = _followed(spec, responses[key], f"{outgoing.at}{pointer('responses', key)}")
            content = answer.get("content") or {} if isinstance(answer, Mapping) else {}
            media = reading.json_media_type(content)
            if media is None or "schema" not in (content[media] or {}):
                return True, None
            return True, f"{at}{pointer('content', media, 'schema')}"
    return not responses, None
