"""Fresh random values that fit a schema (``Prefer: dynamic=true``), from Schemathesis' generator.

Schemathesis generates request bodies with Hypothesis from any OpenAPI schema (``$ref``,
``$dynamicRef``, formats, patterns). Its public API generates requests, not values, so a schema is
wrapped as the JSON body of a one-operation document beside the served document's components,
and one body is drawn per call. Building the strategy takes a moment; it is kept per schema.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Mapping
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.strategies import SearchStrategy

WRAPPED_PATH = "/value"
DRAWS = 4  # Hypothesis tries the simplest value first: the last of a few draws is a random one


def _strategy(components: Mapping[str, Any], schema: Mapping[str, Any]) -> SearchStrategy[Any]:
    document = {
        "openapi": "3.1.0", "info": {"title": "values", "version": "1"},
        "paths": {WRAPPED_PATH: {"post": {
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "unused"}},
        }}},
        "components": dict(components),
    }
    operation = schemathesis.openapi.from_dict(document)[WRAPPED_PATH]["POST"]
    return operation.as_strategy()


class DynamicValues:
    """Random values for the schemas of one document; ``generate`` draws a new one each call."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self._strategies: dict[int, tuple[Mapping[str, Any], SearchStrategy[Any]]] = {}

    def _strategy_for(self, schema: Mapping[str, Any]) -> SearchStrategy[Any]:
        entry = self._strategies.get(id(schema))
        if entry is None or entry[0] is not schema:
            entry = self._strategies[id(schema)] = (schema, _strategy(self.components, schema))
        return entry[1]

    def generate(self, schema: Mapping[str, Any], seed: int | None = None) -> Any:
        """One value that fits ``schema`` (a schema of the document, ``$ref``s and all)."""
        strategy = self._strategy_for(schema)
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
