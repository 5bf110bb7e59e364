"""Fixture files: the YAML and JSON files of a fixtures directory, found and read the same way for
the engine's collections and for each profile's own fixtures (``FixtureError`` naming the file);
and written (``proxy --record``): their names and their entries, kept encoded.

Names: a collection's is ``<path>.<hash>.json`` (a profile names its own files with ``unique_name``
too), ``<path>`` made safe (accents dropped; ASCII letters, digits, ``_`` and ``-``, the rest ``_``)
and cut to 40 characters, ``<hash>`` 12 hex digits of the SHA-256 of the exact name: ``a/b``,
``a:b`` and ``a_b`` share a readable part, never a file. The file names its collection (or its
database) inside, which is what ``mockserver run --fixtures`` reads. A written file is JSON, one
entry a line; each entry is encoded once, when it changes; a write puts those bytes in a temporary
file that replaces the old one, so a file on disk is always whole. A changed file is written once
its delay has passed (``WRITE_DELAY_SECONDS``, or four times its last write's duration when that
is longer), changes in between written together."""

from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import orjson

from mockserver.core.data_files import read_data_file
from mockserver.errors import FixtureError

FIXTURE_SUFFIXES = (".yaml", ".yml", ".json")
WRITE_DELAY_SECONDS = 0.5
READABLE_CHARS = 40
HASH_DIGITS = 12
UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
Entry = tuple[bytes, ...]  # an entry's JSON, in parts written one after the other


def fixture_paths(directory: Path) -> list[Path]:
    """The fixture files in ``directory``, in the order they are read (OSError if it is unreadable)."""
    return sorted(
        p for p in directory.iterdir()
        if p.is_file() and p.suffix in FIXTURE_SUFFIXES and not p.name.startswith(".")
    )


def fixture_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise FixtureError(f"{directory}: fixtures directory not found")
    files = fixture_paths(directory)
    if not files:
        raise FixtureError(f"{directory}: no fixture files (*.yaml, *.yml, *.json)")
    return files


def read_fixture_file(path: Path) -> Any:
    return read_data_file(path, FixtureError, "fixture file")


def unique_name(kind: str, name: str, readable: str) -> str:
    """A file name for ``name`` (of ``kind``: ``sessions``, ``collection``) that no other name
    gets, ``readable`` made safe before the hash."""
    digest = hashlib.sha256(f"{kind}\0{name}".encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
    ascii_only = unicodedata.normalize("NFKD", readable).encode("ascii", "ignore").decode()  # é: e
    return f"{UNSAFE.sub('_', ascii_only)[:READABLE_CHARS] or '_'}.{digest}.json"


def collection_file_name(path: str) -> str:
    return unique_name("collection", path, path.strip("/").replace("/", "-"))


def encoded(value: Any) -> bytes:
    return orjson.dumps(value)


class FixtureFile:
    """One file: its header (``db_id``, ``collection``...), its entries by id, and when it is due."""

    def __init__(self, path: Path, header: dict[str, Any], entries_key: str) -> None:
        self.path, self.header, self.entries_key = path, header, entries_key
        self.entries: dict[str, Entry] = {}
        self.due: float | None = None  # monotonic time to write it by; None: on disk as it is
        self.write_seconds = 0.0  # how long its last write took

    def changed(self, now: float) -> None:
        if self.due is None:
            self.due = now + max(WRITE_DELAY_SECONDS, 4 * self.write_seconds)

    def write(self) -> None:
        """Write the file whole (OSError when it cannot be; it stays due, to be tried again)."""
        started = time.monotonic()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        # Each header key on a line of its own: "collection" starts a line, as engine.fixtures looks for it.
        head = b",\n".join(encoded(key) + b": " + encoded(value) for key, value in self.header.items())
        with temporary.open("wb") as out:
            out.write(b"{\n" + head + b",\n" + encoded(self.entries_key) + b": [")
            for index, parts in enumerate(self.entries.values()):
                out.write(b",\n" if index else b"\n")
                out.writelines(parts)
            out.write(b"\n]\n}\n")
        os.replace(temporary, self.path)
        self.due, self.write_seconds = None, time.monotonic() - started
