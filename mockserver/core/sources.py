"""Where each node of a document written over many files is written (``core.split_documents``
reads them): the files, the ``$ref``s that could not be followed, and ``Sources.locate``, which
turns a JSON pointer into the one document into the file that holds the node and its pointer there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from mockserver.core.spec_problems import json_pointer

Where = tuple[Path, str]  # a file and a JSON pointer into it


def quoted(ref: str) -> str:
    """``ref`` in quotes, elided past 60 characters (a ``$ref`` is input: it may be anything)."""
    return repr(ref if len(ref) <= 60 else ref[:40] + "…" + ref[-10:])


def parts_of(pointer: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


class Problem(NamedTuple):
    """A ``$ref`` that cannot be followed (``file``, the ``pointer`` of the ``$ref``), or a file it
    names that does not parse (``file`` with line and column, no pointer)."""

    file: str
    pointer: str
    sentence: str

    @property
    def where(self) -> str:
        return f"{self.file}#{self.pointer}" if self.pointer else self.file

    def __str__(self) -> str:
        place = f"{self.pointer}: " if self.pointer else ""
        return f"{self.file}: {place}{self.sentence}"


@dataclass
class Sources:
    """The document as one mapping, the files it was read from, and where each node is written."""

    root: Path
    document: dict[str, Any]
    files: dict[Path, tuple[int, int]] = field(default_factory=dict)  # other files: mtime, size
    # (id of a mapping or list, key) -> where what that key holds is written, for what a $ref put there
    written: dict[tuple[int, str], Where] = field(default_factory=dict, repr=False)
    problems: list[Problem] = field(default_factory=list)
    kept: list[Any] = field(default_factory=list, repr=False)  # every file read: node ids stay unique

    def locate(self, pointer: str) -> Where:
        """The file holding the node at ``pointer`` in the document, and its pointer there."""
        where: Where = (self.root, "")
        rest: list[str] = []
        node: Any = self.document
        for part in parts_of(pointer) if pointer not in ("", "/") else []:
            found = self.written.get((id(node), part))
            if found is not None:
                where, rest = found, []
            else:
                rest.append(part)
            try:
                node = node[int(part)] if isinstance(node, list) else node[part]
            except (LookupError, TypeError, ValueError):
                node = None
        inside = where[1] + json_pointer(rest) if rest else where[1]
        return where[0], inside or "/"

    def at(self, pointer: str) -> str:
        """``file: pointer`` of the node at ``pointer`` in the document."""
        file, inside = self.locate(pointer)
        return f"{file}: {inside}"

    def changed(self) -> bool:
        """Whether a file other than the entry document changed since it was read."""
        return any(stamp(path) != stamped for path, stamped in self.files.items())


def stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)
