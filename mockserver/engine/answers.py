"""Answers taken from the document: an operation's examples, else a body built from its schema.

A static answer is, in order: the example ``Prefer: example=NAME`` names; the first example of the
success response that fits its schema; a value built from the schema once (``instances``), or
drawn with a fixed seed when the built one does not fit (``dynamic``). Start-up keeps the first
kinds (``prepare``); a draw takes up to seconds (Hypothesis), so it waits for the operation's
first request and is made off the event loop (a large document has dozens: half a minute).
``Prefer: dynamic=true`` draws a fresh one, off the event loop; past ``dynamic_timeout`` seconds
(or where no value can be drawn) the static answer is sent instead, marked ``Mockserver-Dynamic:
fallback``. Error answers are built in ``error_bodies``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.pointers import follow_refs, resolve_pointer
from mockserver.core.spec import Operation, Spec
from mockserver.engine import reading
from mockserver.engine.dynamic import WORKER, DynamicValues
from mockserver.engine.fitting import Fitter
from mockserver.engine.instances import instance
from mockserver.errors import BadRequest

logger = logging.getLogger("mockserver")

FALLBACK = {"Mockserver-Dynamic": "fallback"}  # the headers of a dynamic answer that fell back
NOT_BUILT = object()  # no example fits and the value built from the schema does not: one is drawn
# Static answers a process keeps across mocks of the same ``Spec`` (which nothing changes once
# built): an answer depends only on the document and the operation, and building one validates.
BUILT_KEPT = 4096
_kept: dict[tuple[int, str], tuple[Spec, Any]] = {}


@dataclass
class Body:
    """One documented response: its status, media type and schema, and its examples by name."""

    status: int
    media_type: str | None
    schema: str | None  # JSON pointer
    examples: dict[str, Any] = field(default_factory=dict)


def _examples(spec: Spec, media: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if "example" in media:
        found["example"] = media["example"]
    for name, example in (media.get("examples") or {}).items():
        example = follow_refs(spec.raw, example)
        if isinstance(example, Mapping) and "value" in example:
            found[str(name)] = example["value"]
    schema = follow_refs(spec.raw, media.get("schema") or {})
    if isinstance(schema, Mapping) and "example" in schema and not found:
        found["example"] = schema["example"]
    return found


def documented_body(spec: Spec, operation: Operation, status: str) -> Body:
    response = reading.response(spec, operation, status)
    content = response.get("content") or {}
    media = reading.json_media_type(content) or next(iter(content), None)
    code = int(status) if status.isdigit() else 200
    if media is None:
        return Body(code, None, None)
    schema = reading.response_schema_pointer(spec, operation, status)
    return Body(code, media, schema, _examples(spec, content[media]))


class StaticAnswers:
    """The bodies of the engine's answers from the document, built once per operation."""

    def __init__(self, spec: Spec, fitter: Fitter, dynamic_timeout: float) -> None:
        self.spec = spec
        self.fitter = fitter
        self.dynamic = DynamicValues(spec.raw.get("components") or {})
        self.dynamic_timeout = dynamic_timeout
        self._default: dict[str, Any] = {}

    def schema(self, body: Body) -> Any:
        return resolve_pointer(self.spec.raw, body.schema) if body.schema else {}

    def prepare(self, key: str, body: Body) -> None:
        """Keep the default answer of ``key`` now unless it has to be drawn (``default``)."""
        if key not in self._default:
            built = self._kept_answer(key)
            built = self._built(body) if built is NOT_BUILT else built
            if built is not NOT_BUILT:
                self._keep(key, built)

    def default(self, key: str, body: Body) -> Any:
        """The first example that fits, else a built value, else a drawn one (made once per
        operation and ``Spec`` in a process)."""
        if key not in self._default:
            built = self._kept_answer(key)
            built = self._built(body) if built is NOT_BUILT else built
            self._keep(key, built if built is not NOT_BUILT else self.dynamic.generate(
                self.schema(body), seed=0, fits=self._fits(body)))
        return self._default[key]

    def _fits(self, body: Body) -> Callable[[Any], bool] | None:
        """Whether a value fits the schema of ``body`` (None: it has none)."""
        pointer = body.schema
        return None if pointer is None else (lambda value: self.fitter.fits(pointer, value))

    def _kept_answer(self, key: str) -> Any:
        kept = _kept.get((id(self.spec), key))
        # the id of a Spec no longer kept may be reused
        return kept[1] if kept is not None and kept[0] is self.spec else NOT_BUILT

    def _keep(self, key: str, answer: Any) -> None:
        if len(_kept) >= BUILT_KEPT:
            del _kept[next(iter(_kept))]
        _kept[(id(self.spec), key)] = (self.spec, answer)
        self._default[key] = answer

    async def _default_off_loop(self, key: str, body: Body) -> Any:
        if key in self._default:
            return self._default[key]
        return await asyncio.wrap_future(WORKER.submit(lambda: self.default(key, body)))

    def _built(self, body: Body) -> Any:
        for example in body.examples.values():
            if self.fitter.fits(body.schema, example):
                return example
        if body.schema is None:
            return next(iter(body.examples.values()), None)
        built = instance(self.spec.raw, self.schema(body))
        return built if self.fitter.fits(body.schema, built) else NOT_BUILT

    async def body(self, key: str, body: Body, preferences: Mapping[str, str]) -> tuple[Any, dict[str, str]]:
        """The body of the answer and any headers it adds."""
        if body.media_type is None:
            return None, {}
        name = preferences.get("example")
        if name is not None:
            if name not in body.examples:
                known = ", ".join(body.examples) or "none"
                raise BadRequest(f"Prefer: example={name} names no example of this answer; "
                                 f"documented: {known}")
            return body.examples[name], {}
        if preferences.get("dynamic", "").lower() == "true" and body.schema is not None:
            try:
                return await self.dynamic.draw(self.schema(body), self.dynamic_timeout, self._fits(body)), {}
            except TimeoutError:
                return await self._default_off_loop(key, body), dict(FALLBACK)
            except Exception:  # a schema Hypothesis cannot draw from: the static answer is still true
                logger.warning("Prefer: dynamic=true: no value drawn for %s", key, exc_info=True)
                return await self._default_off_loop(key, body), dict(FALLBACK)
        return await self._default_off_loop(key, body), {}
