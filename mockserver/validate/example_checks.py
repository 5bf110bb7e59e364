"""An example checked against the schema it illustrates: each error located at its place in the
example, a failed anyOf/oneOf told alternative by alternative, and a response example that is a
valid request body pointed out as misfiled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import ValidationError

from mockserver.core.pointers import pointer
from mockserver.core.schema_messages import describe, errors_by_branch, required_property
from mockserver.core.spec import Spec
from mockserver.validate.examples import Example
from mockserver.validate.report import Report


def _branch_name(branch: Any, index: int) -> str:
    if isinstance(branch, Mapping) and isinstance(branch.get("$ref"), str):
        return str(branch["$ref"]).rsplit("/", 1)[-1]
    return str(branch.get("title", f"branch {index}")) if isinstance(branch, Mapping) else f"branch {index}"


def _summarise(errors: list[ValidationError]) -> str:
    missing = [required_property(e) for e in errors if e.validator == "required"]
    noun = "property" if len(missing) == 1 else "properties"
    parts = [f"missing required {noun} {', '.join(missing)}"] if missing else []
    for error in errors:
        if error.validator != "required":
            where = pointer(*error.relative_path)
            parts.append(f"{where}: {describe(error)}" if where else describe(error))
    return "; ".join(parts)


def explain_alternatives(error: ValidationError) -> str:
    """One sentence for a failed anyOf/oneOf: what each alternative found wrong, alike ones grouped."""
    by_branch = errors_by_branch(error)
    grouped: dict[str, list[str]] = {}
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    for index, branch in enumerate(branches):
        grouped.setdefault(_summarise(by_branch.get(index, [])), []).append(_branch_name(branch, index))
    return f"matches none of its {error.validator} schemas: " + "; ".join(
        f"{', '.join(names)}: {problem}" for problem, names in grouped.items())


def check_example(report: Report, spec: Spec, example: Example) -> None:
    validator = spec.validator(example.schema_pointer)
    for error in validator.iter_errors(example.value):
        where = example.value_pointer + pointer(*error.absolute_path)
        if error.validator in ("anyOf", "oneOf") and error.context:
            message = explain_alternatives(error)
        else:
            message = describe(error)
        if example.request_schema_pointer and not error.absolute_path and _valid(
                spec, example.request_schema_pointer, example.value):
            message += " (it is a valid request body: a request example filed under a response?)"
        report.error(where, message, spec.path, spec.sources)


def _valid(spec: Spec, schema_pointer: str, value: Any) -> bool:
    return spec.validator(schema_pointer).is_valid(value)
