"""openapi-spec-validator's validators, reporting every meta-schema error of a schema and each
schema's ``default`` error at its place in the document (its own report only the best error,
relative to the schema). A schema's meta-schema check is made once per process (``meta_errors``)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema.validators import validator_for
from openapi_schema_validator._specifications import REGISTRY as META_SCHEMAS  # as its check_schema
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

META_CHECKS_KEPT = 4096  # schemas whose meta-schema errors a process keeps (``meta_errors``)
_meta_errors: dict[tuple[Any, int, str], list[Any]] = {}


class IdSet(list[int]):
    """The ids of the schemas a check has seen: appended to and looked up as its base's list is,
    each lookup in constant time."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set[int] = set()

    def append(self, value: int) -> None:
        self._ids.add(value)
        super().append(value)

    def __contains__(self, value: object) -> bool:
        return value in self._ids


class LocatedSchemaChecks(keywords.SchemaValidator):
    """A schema checked against its meta-schema with every error reported, each at the schema's
    place in the document (``schema.parts``) followed by the error's own path. The schemas seen
    are kept in sets, not its lists: a document of thousands of schemas spent a second in lookups."""

    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = IdSet()
        self.meta_checked_schema_ids = IdSet()

    def __call__(self, schema: Any, require_properties: bool = True,
                 meta_checked: bool = False) -> Iterator[Any]:
        value = schema.read_value()
        checked = self.meta_checked_schema_ids
        if meta_checked or not isinstance(value, (Mapping, bool)) or checked is None or id(value) in checked:
            yield from super().__call__(schema, require_properties, meta_checked)
            return
        checked.append(id(value))
        errors = list(self._meta_errors(schema, value))
        if not errors:
            yield from super().__call__(schema, require_properties, meta_checked=True)
        for error in errors:
            error.relative_path.extendleft(reversed(list(schema.parts)))
            yield error

    def _meta_errors(self, schema: Any, value: Any) -> Iterator[Any]:
        try:
            check = self._get_schema_checker(schema, value)
        except ValueError as exc:
            yield OpenAPIValidationError(str(exc))
            return
        bound = getattr(check, "func", check)
        cls = getattr(bound, "__self__", None)
        if cls is None:
            return
        keywords_ = getattr(check, "keywords", None) or {}
        for error in meta_errors(cls, keywords_.get("format_checker"), value):
            yield OpenAPIValidationError.create_from(error)  # a new error, its paths copied


def meta_errors(cls: Any, format_checker: Any, value: Any) -> list[Any]:
    """The errors of the schema ``value`` against the meta-schema of ``cls``. Checking one takes
    milliseconds (2020-12's ``$dynamicRef``s), and a test session or ``validate`` over several
    documents meets the same schemas again and again: each is checked once per process."""
    try:
        key = (cls, id(format_checker), json.dumps(value))  # in its order: messages list names so
    except (TypeError, ValueError):  # not JSON data (a YAML date, ...): not kept
        return _check_meta(cls, format_checker, value)
    if key not in _meta_errors:
        if len(_meta_errors) >= META_CHECKS_KEPT:
            del _meta_errors[next(iter(_meta_errors))]
        _meta_errors[key] = _check_meta(cls, format_checker, value)
    return _meta_errors[key]


@functools.lru_cache(maxsize=8)
def _meta_validator(cls: Any, format_checker: Any) -> Any:
    return validator_for(cls.META_SCHEMA, default=cls)(cls.META_SCHEMA, format_checker=format_checker,
                                                       registry=META_SCHEMAS)


def _check_meta(cls: Any, format_checker: Any, value: Any) -> list[Any]:
    return list(_meta_validator(cls, format_checker).iter_errors(value))


class LocatedV30SchemaChecks(LocatedSchemaChecks, keywords.OpenAPIV30SchemaValidator):
    pass


class LocatedV31SchemaChecks(LocatedSchemaChecks, keywords.OpenAPIV31SchemaValidator):
    pass


class LocatedDefaults(keywords.ValueValidator):
    """A schema's ``default`` checked against the schema, each error at the default's place in the
    document (openapi-spec-validator reports it at ``/``: ``'' is not a valid uri``)."""

    def __call__(self, schema: Any, value: Any) -> Iterator[Any]:
        for error in super().__call__(schema, value):
            error.relative_path.extendleft(reversed([*schema.parts, "default"]))
            yield error


class LocatedV30Defaults(LocatedDefaults, keywords.OpenAPIV30ValueValidator):
    pass


class LocatedV31Defaults(LocatedDefaults, keywords.OpenAPIV31ValueValidator):
    pass


class LocatedV30SpecValidator(OpenAPIV30SpecValidator):
    keyword_validators = {**OpenAPIV30SpecValidator.keyword_validators,  # noqa: RUF012 (as its base)
                          "schema": LocatedV30SchemaChecks, "default": LocatedV30Defaults}


class LocatedV31SpecValidator(OpenAPIV31SpecValidator):
    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators,  # noqa: RUF012 (as its base)
                          "schema": LocatedV31SchemaChecks, "default": LocatedV31Defaults}
