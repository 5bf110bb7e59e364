"""What keeps a document from being valid OpenAPI, each problem located by the JSON pointer of
the exact node at fault and said in one short line.

openapi-spec-validator checks each schema against its dialect's meta-schema and reports only the
best of its errors, located relative to that schema (``/required: [...] has non-unique elements``,
or ``/properties/image/required`` for a schema deep in ``components``), and quoting whole values (a
base64 example of a kilobyte). Here every meta-schema error of a schema is reported, at its
pointer in the document (``core.located_validators``), with long values elided. Published
documents often have such defects and Prism serves them: the mock warns (``--strict-spec``
refuses instead, ``core.spec_checks.check_openapi``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from referencing.exceptions import Unresolvable

from mockserver.core.located_validators import LocatedV30SpecValidator, LocatedV31SpecValidator
from mockserver.core.schema_messages import describe, specific
from mockserver.core.sentences import short as short  # where it was first (callers import it from here)
from mockserver.core.written_places import written_path


def json_pointer(parts: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts) or "/"


def version_problem(document: Mapping[str, Any]) -> str | None:
    """Why ``document`` is no OpenAPI 3.0 or 3.1 document by its ``openapi`` version (None: it is)."""
    version = str(document.get("openapi", ""))
    if version[:4] in ("3.0.", "3.1."):
        return None
    written = f"'{version}'" if version else "no 'openapi' version"
    return f"mockserver serves OpenAPI 3.0 and 3.1 documents; this one has {written}"


def openapi_problems(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every (JSON pointer, sentence) that keeps ``document`` from being valid OpenAPI 3.0 or 3.1;
    a wrong or missing version is the only problem at ``/openapi``."""
    wrong_version = version_problem(document)
    if wrong_version is not None:
        yield "/openapi", wrong_version
        return
    version = str(document.get("openapi", ""))
    validator = {"3.0.": LocatedV30SpecValidator, "3.1.": LocatedV31SpecValidator}[version[:4]]
    paths = document.get("paths")
    if isinstance(paths, Mapping) and any(str(key).startswith("x-") for key in paths):
        # openapi-spec-validator takes every key of paths for a path (a KeyError on an extension)
        document = {**document, "paths": {k: v for k, v in paths.items() if not str(k).startswith("x-")}}
    try:
        errors = [(specific(error), error) for error in validator(document).iter_errors()]
    except Unresolvable as exc:
        yield "/", short(f"unresolvable reference: {exc}")
        return
    except Exception as exc:  # the validator's own failure: a finding, never a traceback
        yield "/", short(f"openapi-spec-validator could not check this document ({type(exc).__name__}: "
                         f"{exc}); nothing else was checked")
        return
    precise = {id(_node(document, list(found.absolute_path)[:-1])) for found, _ in errors
               if not _alternatives(found)}
    for found, reported in errors:
        if not (_alternatives(found) and _holds(_node(document, reported.absolute_path), precise, set())):
            yield json_pointer(written_path(document, found.absolute_path)), short(describe(reported))


def _alternatives(error: Any) -> bool:
    """Whether ``error`` only says that a node fits none of its alternatives (a response, or a
    reference to one): when something inside it has an error of its own, that one says what to fix."""
    return error.validator in ("oneOf", "anyOf") or "is not valid under any of" in str(error.message)


def _node(document: Any, path: Any) -> Any:
    """The node at ``path`` in ``document`` (None if there is none)."""
    node = document
    for part in path:
        try:
            node = node[part] if isinstance(node, list) or part in node else node[str(part)]
        except (LookupError, TypeError):
            return None
    return node


def _holds(node: Any, holders: set[int], seen: set[int]) -> bool:
    if not isinstance(node, (dict, list)) or id(node) in seen:
        return False
    seen.add(id(node))
    if id(node) in holders:
        return True
    return any(_holds(value, holders, seen) for value in (node.values() if isinstance(node, dict) else node))
