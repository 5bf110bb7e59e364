"""The files a document's ``$ref``s name: where a ``$ref`` leads (relative to the file that holds
it; never a URL, never outside the entry document's directory after symlinks), each file read once
(YAML or JSON parsed, any other file as text), and the node at a JSON pointer in it. What cannot
be followed is a problem naming the file and pointer of the ``$ref``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from mockserver.core.data_files import parse_data, read_text
from mockserver.core.sentences import short
from mockserver.core.sources import Problem, Sources, Where, parts_of, quoted, stamp
from mockserver.core.spec_problems import json_pointer
from mockserver.errors import SpecError

PARSED = (".yaml", ".yml", ".json")  # other files a $ref names are text (Markdown descriptions)
MISSING: Any = object()  # what a $ref that cannot be followed points at


class RefFiles:
    """The files of one document's ``$ref``s, read into ``sources`` (its files, their problems)."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.top = sources.root.resolve().parent
        self.parsed: dict[Path, Any] = {}
        self.reals: dict[Path, Path] = {}

    def target(self, ref: str, file: Path, at: tuple[str | int, ...]) -> Where | None:
        """The file and pointer ``ref`` names, read relative to ``file``; None if it may not be read."""
        split = urlsplit(ref)
        if split.scheme or split.netloc:
            self.problem(file, at, f"{quoted(ref)} is a URL; mockserver fetches none (save the file "
                                   "beside the document and refer to it by its path)")
            return None
        if not split.path:
            return file, unquote(split.fragment)
        path = Path(os.path.normpath(file.parent / unquote(split.path)))
        if not self.real(path).is_relative_to(self.top):
            self.problem(file, at, f"{quoted(ref)} is outside the directory of the document, {self.top}; "
                                          "mockserver reads no file outside it")
            return None
        return path, unquote(split.fragment)

    def node(self, path: Path, fragment: str, ref: str, file: Path, at: tuple[str | int, ...]) -> Any:
        if path not in self.parsed:
            self.parsed[path] = self.read(path)
        node = self.parsed[path]
        if node is MISSING:
            self.problem(file, at, f"unresolvable reference {quoted(ref)}: {path} cannot be read")
            return MISSING
        try:
            for part in parts_of(fragment):
                node = node[int(part)] if isinstance(node, list) else node[part]
        except (LookupError, TypeError, ValueError):
            node = MISSING
        if node is MISSING:
            self.problem(file, at, f"unresolvable reference {quoted(ref)}: {path} has no "
                                   f"{quoted(fragment or '/')}")
        return node

    def read(self, path: Path) -> Any:
        """The content of ``path``: parsed, or text (Markdown); ``MISSING`` if it cannot be."""
        try:
            text = read_text(path, SpecError, "file a $ref names")
            parsed = parse_data(path, text, SpecError) if path.suffix in PARSED else text
        except SpecError as exc:
            if path.exists():  # a file that does not parse: its message says where
                where, _, sentence = str(exc).partition(": ")
                self.sources.problems.append(Problem(where, "", short(sentence)))
            return MISSING
        self.sources.files[path] = stamp(path)
        self.sources.kept.append(parsed)
        return parsed

    def real(self, path: Path) -> Path:
        """``path`` with its symlinks resolved (each directory resolved once: thousands of files)."""
        found = self.reals.get(path)
        if found is None:
            if path.parent == path or path.name == ".." or path.is_symlink():
                found = path.resolve()
            else:
                found = self.real(path.parent) / path.name
            self.reals[path] = found
        return found

    def problem(self, file: Path, at: tuple[str | int, ...], sentence: str) -> None:
        self.sources.problems.append(Problem(str(file), json_pointer((*at, "$ref")), sentence))
