"""A document written over many files, read as one.

A ``$ref`` to another file (``resources/droplets/droplet.yml``, ``models/size.yml#/Size``), and in
such a file a ``$ref`` to its own nodes (``#/Size``), is replaced by what it points at, read relative
to the file that holds the ``$ref``: any object (path items, operations, schemas, a tag's
``description`` kept in a YAML key or in a Markdown or text file, which is read as a string).
Siblings of such a ``$ref`` are kept over what it points at. What a ``$ref`` points at is read once
and shared by every place referring to it; a schema that contains itself through other files is put
once under ``components/schemas`` and referred to there. The entry document's own ``#/...``
references stay as written, and a ``$ref`` back into it becomes one of them.

Every node keeps the file and JSON pointer it is written at, so a problem found in the one document
is reported where it is written (``Sources.locate``).

A ``$ref`` is input, not an instruction: one to a URL is never fetched, and one to a file outside
the entry document's directory tree (after symlinks) is refused (``core.ref_files``). Each such
``$ref``, and each that points at nothing, is a problem naming the file and pointer of the ``$ref``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mockserver.core.ref_files import MISSING, RefFiles
from mockserver.core.sources import Sources, Where, parts_of, quoted
from mockserver.core.spec_problems import json_pointer

EXTERNAL = re.compile(r"""\$ref["']?\s*:\s*["']?(?!#)[^\s"']""")  # a $ref not starting with '#'
NAME = re.compile(r"[^A-Za-z0-9._-]+")
# Keywords whose values are data, not objects of the document: a "$ref" in an example is followed
# (DigitalOcean keeps its examples in files of their own), but one that cannot be is data ...
LITERAL = frozenset({"example", "examples", "default", "const", "enum", "value"})
# ... unless they are names in a map of named things (a property called "value", a "default" response)
NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
                   "responses", "examples", "schemas", "parameters", "headers", "requestBodies",
                   "securitySchemes", "links", "callbacks", "pathItems", "content", "encoding",
                   "variables", "mapping", "paths", "webhooks"})


def _literal(key: str | int, value: Any, at: tuple[str | int, ...]) -> bool:
    """Whether ``value``, at ``key`` of the node at ``at`` (in its file), is data: an example, a
    default, an enum (a media type's ``examples`` is a map of Example objects, a schema's a list)."""
    if key not in LITERAL or not at or at[-1] in NAMED:
        return False
    return key != "examples" or isinstance(value, list)


def read_split(root: Path, document: dict[str, Any], text: str) -> Sources:
    """``document`` (parsed from ``text``, the file at ``root``) with every ``$ref`` to another
    file replaced; unchanged, and nothing else read, when it has none."""
    sources = Sources(root=root, document=document)
    if EXTERNAL.search(text):
        _Reader(sources).walk(document, root, ())
    return sources


class _Reader:
    """The ``$ref``s of one document followed and replaced (the files read by ``RefFiles``)."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.files = RefFiles(sources)
        self.root_real = sources.root.resolve()
        self.active: set[int] = set()  # nodes being walked: one met again is a cycle
        self.visited: set[int] = set()  # nodes walked or being walked
        self.hoisted: dict[int, dict[str, str]] = {}  # node id -> its $ref under components/schemas

    def walk(self, node: Any, file: Path, at: tuple[str | int, ...], literal: bool = False) -> None:
        """Replace, in ``node`` and below, every ``$ref`` to be followed by what it points at; in
        data (``literal``: an example, a default) one that cannot be followed stays as written."""
        self.active.add(id(node))
        self.visited.add(id(node))
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            data = literal or _literal(key, value, at)
            if isinstance(value, dict) and isinstance(value.get("$ref"), str) and (
                    file != self.sources.root or not value["$ref"].startswith("#")):
                problems = len(self.sources.problems)
                node[key], where = self.follow(value, file, (*at, key), set())
                if data and node[key] is value:
                    del self.sources.problems[problems:]
                if where is not None:
                    self.sources.written[(id(node), str(key))] = where
            elif isinstance(value, (dict, list)) and id(value) not in self.visited:
                self.walk(value, file, (*at, key), data)
        self.active.discard(id(node))

    def follow(self, ref_node: dict[str, Any], file: Path, at: tuple[str | int, ...],
               chain: set[Where]) -> tuple[Any, Where | None]:
        """What the ``$ref`` in ``ref_node`` (written in ``file`` at ``at``) stands for, and where
        that is written (None: at the ``$ref``)."""
        target = self.files.target(ref_node["$ref"], file, at)
        if target is None:
            return ref_node, None
        path, fragment = target
        siblings = {key: value for key, value in ref_node.items() if key != "$ref"}
        if self.files.real(path) == self.root_real:
            return {**siblings, "$ref": "#" + fragment}, None
        if target in chain:
            self.files.problem(file, at, f"{quoted(ref_node['$ref'])} leads back to itself")
            return ref_node, None
        node = self.files.node(path, fragment, ref_node["$ref"], file, at)
        if node is MISSING:
            return ref_node, None
        where: Where | None = target
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            resolved, where = self.follow(node, path, tuple(parts_of(fragment)), chain | {target})
        elif isinstance(node, (dict, list)):
            resolved = self.resolved(node, path, fragment)
            where = where if resolved is node else None
        else:
            resolved = node
        if siblings and isinstance(resolved, dict):
            self.walk(siblings, file, at)
            merged = {**resolved, **siblings}
            self.sources.written.update({(id(merged), key): (file, json_pointer((*at, key)))
                                         for key in siblings})
            return merged, where
        return resolved, where

    def resolved(self, node: Any, path: Path, fragment: str) -> Any:
        """``node`` (at ``fragment`` in ``path``) with its ``$ref``s followed; a reference to it
        under ``components/schemas`` when it contains itself."""
        if id(node) in self.hoisted:
            return self.hoisted[id(node)]
        if id(node) in self.active:
            return self.hoist(node, path, fragment)
        if id(node) not in self.visited:
            self.walk(node, path, tuple(parts_of(fragment)))
        return self.hoisted.get(id(node), node)

    def hoist(self, node: Any, path: Path, fragment: str) -> dict[str, str]:
        schemas = self.sources.document.setdefault("components", {}).setdefault("schemas", {})
        base = NAME.sub("_", (parts_of(fragment) or [path.stem])[-1]) or "schema"
        name, count = base, 1
        while name in schemas:
            count += 1
            name = f"{base}_{count}"
        schemas[name] = node
        self.sources.written[(id(schemas), name)] = (path, fragment)
        self.hoisted[id(node)] = {"$ref": f"#/components/schemas/{name}"}
        return self.hoisted[id(node)]
