"""Fresh random values that fit a schema (``Prefer: dynamic=true``), from Schemathesis' generator.

Schemathesis generates request bodies with Hypothesis from any OpenAPI schema (``$ref``,
``$dynamicRef``, formats, patterns). Its public API generates requests, not values, so a schema is
wrapped as the JSON body of a one-operation document beside the served document's components,
and one body is drawn per call, from the schema narrowed to readable values (``readable``: no
lone surrogates, small numbers, key-like map keys). Building the strategy takes a moment; it is
kept per schema.

A draw can take seconds (a recursive schema's first took 6 s), so a server draws off its event
loop (``draw``), on one worker thread, within a time bound. Hypothesis is not thread-safe, so
every draw in the process, at start-up too, takes one lock: draws happen one at a time.
Schemathesis and Hypothesis are imported on the first draw: a mock that never draws starts
without them (half a second).
"""

from __future__ import annotations

import asyncio
import queue
import random
import threading
import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

from mockserver.engine.readable import plain, readable, readable_components, tidy

WRAPPED_PATH = "/value"
DRAWS = 4  # Hypothesis tries the simplest value first: the last of a few draws is a random one
HYPOTHESIS = threading.Lock()  # held by every draw in the process


def _strategy(components: Mapping[str, Any], schema: Mapping[str, Any]) -> SearchStrategy[Any]:
    document = {
        "openapi": "3.1.0", "info": {"title": "values", "version": "1"},
        "paths": {WRAPPED_PATH: {"post": {
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "unused"}},
        }}},
        "components": dict(components),
    }
    import schemathesis

    operation = schemathesis.openapi.from_dict(document)[WRAPPED_PATH]["POST"]
    return operation.as_strategy()


class Worker:
    """One daemon thread running jobs in turn (started on first use, again after a fork); a job
    whose future was cancelled before it started is skipped."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def submit(self, job: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        self._jobs.put((future, job))
        with self._starting:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="mockserver-dynamic", daemon=True)
                self._thread.start()
        return future

    def _run(self) -> None:
        while True:
            future, job = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except Exception as exc:  # handed to the waiting request
                future.set_exception(exc)


WORKER = Worker()


class DynamicValues:
    """Random values for the schemas of one document; ``generate`` draws a new one each call."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self._readable_components: dict[str, dict[str, Any]] = {}
        self._strategies: dict[tuple[int, str], tuple[Mapping[str, Any], SearchStrategy[Any]]] = {}

    def _strategy_for(self, schema: Mapping[str, Any], narrowed: str) -> SearchStrategy[Any]:
        """The strategy of ``schema`` narrowed ``closed``, ``open`` (``readable``) or ``not``."""
        entry = self._strategies.get((id(schema), narrowed))
        if entry is None or entry[0] is not schema:
            if narrowed == "not":
                strategy = _strategy(self.components, schema)
            else:
                closed = narrowed == "closed"
                if narrowed not in self._readable_components:
                    self._readable_components[narrowed] = readable_components(self.components, closed)
                strategy = _strategy(self._readable_components[narrowed], readable(schema, closed))
            entry = self._strategies[(id(schema), narrowed)] = (schema, strategy)
        return entry[1]

    def generate(self, schema: Mapping[str, Any], seed: int | None = None,
                 fits: Callable[[Any], bool] | None = None) -> Any:
        """One value that fits ``schema`` (a schema of the document, ``$ref``s and all): a readable
        one (``readable``, closed, else open) where Hypothesis finds one, else any. Narrowed open or
        not at all, undeclared members may hold any JSON: their unreadable names are dropped
        (``tidy``) where what is left still ``fits``."""
        try:
            return plain(self._generate(schema, seed, "closed"))
        except Exception:  # no value Hypothesis finds: narrowed less, then not at all
            pass
        try:
            drawn = plain(self._generate(schema, seed, "open"))
        except Exception:
            drawn = self._generate(schema, seed, "not")
        tidied = tidy(drawn)
        return tidied if fits is None or tidied == drawn or fits(tidied) else drawn

    def _generate(self, schema: Mapping[str, Any], seed: int | None, narrowed: str) -> Any:
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hypothesis_seed

        with HYPOTHESIS:
            strategy = self._strategy_for(schema, narrowed)
            drawn: list[Any] = []

            @hypothesis_seed(seed if seed is not None else random.getrandbits(64))
            @settings(max_examples=DRAWS, database=None, phases=[Phase.generate], deadline=None,
                      suppress_health_check=list(HealthCheck))
            @given(strategy)
            def draw(case: Any) -> None:
                drawn.append(case.body)

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                draw()
            return drawn[-1]

    async def draw(self, schema: Mapping[str, Any], timeout: float,
                   fits: Callable[[Any], bool] | None = None) -> Any:
        """``generate(schema)`` on the worker thread, leaving the event loop free; ``TimeoutError``
        after ``timeout`` seconds (a draw not started is dropped; one under way finishes unseen,
        and the strategy it built is kept for the next)."""
        future = WORKER.submit(lambda: self.generate(schema, fits=fits))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
        finally:
            future.cancel()  # nothing if it is done
