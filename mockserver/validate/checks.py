"""``mockserver validate``: check OpenAPI 3.0 and 3.1 documents, and what no validator checks.

Each document is read with the files its ``$ref``s name (``core.split_documents``), validated as
OpenAPI 3.0 or 3.1 (openapi-spec-validator) and its local references resolved. Then: every
``example`` / ``examples`` value must conform to the schema it illustrates (parameter, request
body or response, by media type and status, and component schemas' own examples); the documents
must fit together as one API (``core.combined``); every fixture must fit its schema. Each problem is
a ``Finding``: where (a JSON pointer, prefixed by its file when there are several documents or when
another file than the document holds the node, or a fixture file), and one short sentence, found
once however many places share the node. Besides, the report says how the mock serves each
operation (``served``): its dedicated handler, a collection verb, or from the document; and which
callbacks and webhooks it sends (``outgoing``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from mockserver.config import Config
from mockserver.core.combined import combine, conflicts
from mockserver.core.pointers import pointer
from mockserver.core.schema import describe, errors_by_branch, required_property
from mockserver.core.sentences import elided
from mockserver.core.sources import Sources
from mockserver.core.spec import Spec, served_spec
from mockserver.core.spec_checks import unresolvable_references
from mockserver.core.spec_problems import openapi_problems
from mockserver.core.spec_reading import read_sources
from mockserver.engine import Engine
from mockserver.errors import FixtureError
from mockserver.profile import choose_profile
from mockserver.validate.examples import Example, example_sites
from mockserver.validate.outgoing import outgoing_lines


@dataclass(frozen=True)
class Finding:
    """An error in the document or its fixtures (there are no lesser findings)."""

    where: str  # a JSON pointer into the document, or a fixture file and session
    message: str


@dataclass
class Report:
    specs: tuple[Path, ...]
    findings: list[Finding] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)
    served: list[Finding] = field(default_factory=list)  # how each operation is served (information)
    found: set[Finding] = field(default_factory=set, repr=False)

    def error(self, where: str, message: str, document: Path | None = None,
              sources: Sources | None = None) -> None:
        """A finding, once; ``where`` is a pointer into ``document`` (named when there are several),
        read from ``sources`` (the file holding the node named when it is another)."""
        if sources is not None:
            file, where_in = sources.locate(where)
            where = f"{file}#{where_in}" if file != sources.root or len(self.specs) > 1 else where_in
        elif document is not None and len(self.specs) > 1:
            where = f"{document}#{where}"
        finding = Finding(where, elided(message))
        if finding not in self.found:
            self.found.add(finding)
            self.findings.append(finding)

    @property
    def errors(self) -> int:
        return len(self.findings)


def check_structure(report: Report, path: Path, sources: Sources) -> bool:
    """Every ``$ref`` followed, OpenAPI 3.0/3.1 validity and resolvable local references; False
    when nothing more can be checked."""
    for unfollowed in sources.problems:
        in_document = unfollowed.file == str(path) and unfollowed.pointer
        report.error(unfollowed.pointer if in_document else unfollowed.where, unfollowed.sentence,
                     path if in_document else None)
    if sources.problems:
        return False
    problems = [*openapi_problems(sources.document), *unresolvable_references(sources.document)]
    for where, problem in problems:
        report.error(where, problem, path, sources)
    return not problems


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


def check_documents(paths: tuple[Path, ...], fixtures: Path | None, profile: str = "auto",
                    webhooks: Path | None = None) -> Report:
    """Every finding for the documents at ``paths``, checked together (``SpecError`` if one cannot
    be read or parsed); ``webhooks``: a webhook mapping file, checked and shown."""
    report = Report(specs=paths)
    specs = [check_document(report, path) for path in paths]
    checked = [spec for spec in specs if spec is not None]
    if len(checked) < len(specs):
        return report  # a document is not valid OpenAPI: nothing more can be said
    problems = conflicts(checked)
    for problem in problems:
        where, _, message = problem.partition(": ")
        report.error(where, message)
    combined = combine(checked).combined if not problems else None
    if combined is not None:
        check_serving(report, combined, fixtures, profile, webhooks)
    return report


def check_serving(report: Report, spec: Spec, fixtures: Path | None, profile: str = "auto",
                  webhooks: Path | None = None) -> None:
    """How the mock serves each operation (with ``profile``, as ``--profile`` takes it), and whether
    the fixtures fit."""
    chosen = choose_profile(Config(specs=report.specs, profile=profile), spec)
    dedicated = chosen.claimed
    profile_name = chosen.profile.name if chosen.profile is not None else "none"
    try:
        engine = Engine(spec, dedicated, fixtures)
    except FixtureError as exc:
        where, _, message = str(exc).partition(": ")
        report.error(where, message)
        engine = Engine(spec, dedicated, None)
    for operation in spec.operations():
        route = engine.routes.get(operation.key)
        how = (f"by the {profile_name} profile's handler" if route is None else
               "answered from the document (its example, else a value built from its schema)"
               if route.collection is None else f"{route.verb} in {route.collection.describe()}")
        served = f"{operation.method.upper()} {operation.path}: {how}"
        report.served.append(Finding(operation.pointer, served))
    try:
        report.served.extend(Finding(where, what) for where, what in outgoing_lines(spec, engine, webhooks))
    except FixtureError as exc:
        where, _, message = str(exc).partition(": ")
        report.error(where, message)
    if engine.fixture_items:
        report.checked["collection item"] = len(engine.fixture_items)
    if fixtures is not None and chosen.profile is not None and dedicated:
        problems, counts = chosen.profile.check_fixtures(spec, fixtures)
        for problem in problems:
            where, _, message = problem.partition(": ")
            report.error(where, message)
        report.checked.update(counts)


def check_document(report: Report, path: Path) -> Spec | None:
    """The findings of one document on its own; its ``Spec`` when it is valid OpenAPI."""
    sources = read_sources(path)
    if not check_structure(report, path, sources):
        return None
    document = sources.document
    spec = served_spec(path, document, sources=sources)
    sites = list(example_sites(document))
    for example in sites:
        check_example(report, spec, example)
    report.checked["example"] += len(sites)
    report.checked["operation"] += sum(1 for _ in spec.operations())
    return spec


def iter_lines(report: Report) -> Iterator[str]:
    for served in report.served:
        yield f"info    {served.message}"
    for finding in report.findings:
        yield f"error   {finding.where}  {finding.message}"
    checked = ", ".join(plural(n, what) for what, n in report.checked.items())
    summary = f"{', '.join(map(str, report.specs))}: {plural(report.errors, 'error')}"
    yield summary + (f" (checked {checked})" if checked else "")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
