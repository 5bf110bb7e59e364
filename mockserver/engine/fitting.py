"""Making a stored item fit its response schema: what a create or update leaves out is completed at
write time, so that every body the engine sends fits its schema.

A missing required property gets a value built from its schema, at any depth (a planet the
client sent inside a satellite gets the read-only ``id`` a server would set, rather than the
satellite being lost); a property that breaks the schema otherwise is rebuilt (required) or
dropped (optional). What still does not fit after that is refused with a 422 naming the field,
never stored.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping, MutableMapping
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from mockserver.core.schema_messages import explain, required_property
from mockserver.core.spec import Spec
from mockserver.engine.instances import instance
from mockserver.engine.reading import object_shape, schema_at
from mockserver.errors import ValidationFailed

ROUNDS = 4  # a rebuilt property can uncover an error deeper down; each round fixes one level


class Fitter:
    """Fits items to the schemas of one document (validators built once per schema)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.validator = functools.lru_cache(maxsize=None)(self._validator)

    def _validator(self, schema_pointer: str) -> Draft202012Validator:
        return self.spec.validator(schema_pointer)

    def fits(self, schema_pointer: str | None, value: Any) -> bool:
        return schema_pointer is None or self.validator(schema_pointer).is_valid(value)

    def fit(self, schema_pointer: str | None, item: dict[str, Any],
            keep: str | None = None) -> dict[str, Any]:
        """``item`` made to fit the schema at ``schema_pointer`` (``keep`` is never changed); a
        ``ValidationFailed`` saying why when it cannot be."""
        if schema_pointer is None:
            return item
        properties, required = object_shape(self.spec.raw, schema_at(self.spec, schema_pointer))
        item = dict(item)
        copied: set[str] = set()  # top-level properties deep-copied before a change inside them
        for _ in range(ROUNDS):
            errors = list(self.validator(schema_pointer).iter_errors(item))
            if not errors:
                return item
            for error in errors:
                if self._completed_inside(item, error, keep, copied):
                    continue
                name = self._culprit(error)
                if name is None or name == keep:
                    raise ValidationFailed(explain(error, "the stored item"))
                if name in required:
                    item[name] = instance(self.spec.raw, properties.get(name, {}), required_only=True)
                else:
                    item.pop(name, None)
        error = next(iter(self.validator(schema_pointer).iter_errors(item)), None)
        if error is None:
            return item
        raise ValidationFailed(explain(error, "the stored item"))

    def _completed_inside(self, item: dict[str, Any], error: ValidationError, keep: str | None,
                          copied: set[str]) -> bool:
        """Whether ``error`` is a required property missing below the top level, now added to
        ``item`` with a value built from its schema."""
        path = list(error.absolute_path)
        if error.validator != "required" or not path or not isinstance(path[0], str) or path[0] == keep:
            return False
        if path[0] not in copied:
            item[path[0]] = copy.deepcopy(item[path[0]])
            copied.add(path[0])
        target: Any = item
        for step in path:
            target = target[step]
        if not isinstance(target, MutableMapping):
            return False
        properties, _ = object_shape(self.spec.raw, error.schema)
        name = required_property(error).strip("'\"")
        target[name] = instance(self.spec.raw, properties.get(name, {}), required_only=True)
        return True

    @staticmethod
    def _culprit(error: ValidationError) -> str | None:
        """The top-level property an error is about (None for the item as a whole)."""
        if error.absolute_path:
            first = error.absolute_path[0]
            return first if isinstance(first, str) else None
        if error.validator == "required":
            return required_property(error).strip("'\"")
        if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
            return next((name for name in error.instance if name not in known), None)
        return None
