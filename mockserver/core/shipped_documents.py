"""The OpenAPI documents mockserver ships, known to be valid: a start-up on one of them skips
openapi-spec-validator, which takes two seconds on the whole AgentOS at every start.

A document is known by the SHA-256 of its UTF-8 text, so any change to a file, even one byte,
has it validated as any other. ``tests/unit/test_shipped_documents.py`` validates every listed
document and fails when a document in ``openapi/`` is missing here (``make openapi`` rewrites one).
``mockserver validate`` checks every document in full, shipped or not.
"""

from __future__ import annotations

import hashlib

KNOWN_VALID = frozenset({
    "38c4ea23e1fe362e9e8eccb0c75cd83ac3c9ed244e1392cb565eaba6f1bfb62f",  # agentos-sessions.yaml
    "f55f2bdccb1f053d3fa3b06b27ca2b6c11183b878335ed678c25739be1568d57",  # agentos-sessions-2.3.16.yaml
    "ad959c63225466178000e2c7a81bc23b1ae6daa48e5e3878c84abca84f9a30f2",  # agentos-2.3.16.yaml
})


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def known_valid(text: str) -> bool:
    """Whether ``text`` is that of a document mockserver ships, validated by its tests."""
    return digest(text) in KNOWN_VALID
