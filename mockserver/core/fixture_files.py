"""Fixture files: the YAML and JSON files of a fixtures directory, found and read the same way for
the engine's collections and for each profile's own fixtures (``FixtureError`` naming the file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockserver.core.documents import read_data_file
from mockserver.errors import FixtureError

FIXTURE_SUFFIXES = (".yaml", ".yml", ".json")


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
