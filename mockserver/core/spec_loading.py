"""Load an OpenAPI 3.0 or 3.1 document and check it before anything is served: ``load_spec``.

The document is read as it is on disk (YAML or JSON, ``core.spec_reading``), validated as OpenAPI
3.0 or 3.1 with openapi-spec-validator (each problem located: ``core.spec_problems``), and made a
``core.spec.Spec`` in the form it is served (``core.served_form``: a 3.0 document's schemas in
2020-12 terms, patterns in Python's). Each text is checked once per process. A document that
cannot be read or parsed raises ``SpecError`` naming the file and the place (line and column, or a
JSON pointer); one with OpenAPI problems too when checked strictly, else it carries them as
warnings, or with ``later`` finds them when its ``Spec.later`` is called.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockserver.core.data_files import read_text
from mockserver.core.served_form import served_form
from mockserver.core.shipped_documents import known_valid
from mockserver.core.sources import Sources
from mockserver.core.spec import Spec
from mockserver.core.spec_checks import check_openapi, check_servable, problems_of
from mockserver.core.spec_reading import read_sources, refused
from mockserver.errors import SpecError


def load_spec(path: Path | str, strict: bool = True, later: bool = False) -> Spec:
    """Read, parse and validate the document at ``path``; its OpenAPI problems refuse it when
    ``strict``, else they are its ``warnings`` (``check_openapi``), or with ``later`` its ``later``
    call's: a large document's validation takes seconds, which ``mockserver run`` spends after it
    began serving. What makes serving impossible is checked now whatever ``later`` says."""
    path = Path(path)
    text = read_text(path, SpecError, "OpenAPI document")
    spec = _checked_spec(path, text, strict, later and not strict)
    if spec.sources is not None and spec.sources.changed():  # a file it refers to was edited
        _checked_spec.cache_clear()
        spec = _checked_spec(path, text, strict, later and not strict)
    return spec


@functools.lru_cache(maxsize=32)
def _checked_spec(path: Path, text: str, strict: bool, later: bool = False) -> Spec:
    """The ``Spec`` of ``text`` read from ``path``. Parsing and validating take 0.1 s to over a
    second (the whole AgentOS), and one process may load a document several times (``contract``
    builds a mock and reads the contract, a test session builds many mocks between documents of
    its own): the same file with the same text is checked once, and a document mockserver ships,
    unchanged, is not validated again (``core.shipped_documents``). Nothing changes a ``Spec`` once
    built."""
    sources = refused(read_sources(path, text))
    document, split = sources.document, sources if sources.files else None
    if known_valid(text) and split is None:  # valid, $refs resolving: tests/unit/test_shipped_documents.py
        return served_spec(path, document, (), split)
    if later:
        check_servable(path, document, split)
        return dataclasses.replace(served_spec(path, document, (), split),
                                   later=functools.partial(_problems_later, path, text))
    found = None if split else problems_of(path, text, document)
    return served_spec(path, document, check_openapi(path, document, strict, split, found), split)


def _problems_later(path: Path, text: str) -> tuple[str, ...]:
    """The OpenAPI problems of the document ``text`` was read from, found on a document of its own
    (serving may have changed nothing of it, and does not)."""
    sources = refused(read_sources(path, text))
    document, split = sources.document, sources if sources.files else None
    return check_openapi(path, document, False, split, None if split else problems_of(path, text, document))


def served_spec(path: Path, document: Mapping[str, Any], warnings: tuple[str, ...] = (),
                sources: Sources | None = None) -> Spec:
    """The ``Spec`` of a checked document, in the form it is served (``core.served_form``)."""
    served, changes = served_form(path, document, sources)
    return Spec.from_document(path, served, warnings + changes, sources)
