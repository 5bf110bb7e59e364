"""``mockserver validate``: check OpenAPI 3.0 and 3.1 documents, and what no validator checks.

Each document is read with the files its ``$ref``s name (``core.split_documents``), validated as
OpenAPI 3.0 or 3.1 (openapi-spec-validator) and its local references resolved. Then: every
``example`` / ``examples`` value must conform to the schema it illustrates (parameter, request
body or response, by media type and status, and component schemas' own examples); the documents
must fit together as one API (``core.combined``); every fixture must fit its schema. Each problem is
a ``Finding``: where (a JSON pointer, prefixed by its file when there are several documents or when
another file than the document holds the node, or a fixture file), and one short sentence, found
once however many places share the node (``report``; examples are checked in ``example_checks``).
Besides, the report says how the mock serves each operation (``served``): its dedicated handler,
a collection verb, or from the document; and which callbacks and webhooks it sends (``outgoing``).
"""

from __future__ import annotations

from pathlib import Path

from mockserver.config import Config
from mockserver.core.combined import combine, conflicts
from mockserver.core.sources import Sources
from mockserver.core.spec import Spec
from mockserver.core.spec_checks import unresolvable_references
from mockserver.core.spec_loading import served_spec
from mockserver.core.spec_problems import openapi_problems
from mockserver.core.spec_reading import read_sources
from mockserver.engine import Engine
from mockserver.errors import FixtureError
from mockserver.profile import choose_profile
from mockserver.validate.example_checks import check_example
from mockserver.validate.examples import example_sites
from mockserver.validate.outgoing import outgoing_lines
from mockserver.validate.report import Finding, Report


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
