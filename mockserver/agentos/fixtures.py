"""Read the sessions the mock starts with from a directory of YAML or JSON files.

A file is either a list of sessions or a mapping with ``sessions`` and, optionally, ``db_id``
(the database of every session in the file that does not name its own) and ``default: true``
(that database answers requests without ``db_id``). Each session is in fixture form
(``core.records``: its response schema's field names plus ``type``, ``db_id`` and ``runs``) and is
validated as written; anything wrong raises ``FixtureError`` naming the file, the session (and
run) and the field, before a port is bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.agentos.model import SessionModel
from mockserver.agentos.records import build_record
from mockserver.agentos.sessions import Record
from mockserver.core.fixture_files import fixture_files, read_fixture_file
from mockserver.errors import FixtureError

FILE_KEYS = {"sessions", "db_id", "default"}


@dataclass(frozen=True)
class FixtureSet:
    records: list[Record]
    databases: list[str]
    default_db: str


def _file_layout(path: Path, document: Any) -> tuple[list[Any], str | None, bool]:
    """The sessions, file-wide db_id and default flag of one parsed file."""
    if isinstance(document, list):
        return document, None, False
    if not isinstance(document, Mapping) or not isinstance(document.get("sessions"), list):
        raise FixtureError(f"{path}: expected a list of sessions or a mapping with 'sessions: [...]'")
    unknown = sorted(set(document) - FILE_KEYS)
    if unknown:
        allowed = ", ".join(sorted(FILE_KEYS))
        raise FixtureError(f"{path}: unknown top-level key {unknown[0]!r} (allowed: {allowed})")
    db_id, default = document.get("db_id"), document.get("default", False)
    if db_id is not None and not isinstance(db_id, str):
        raise FixtureError(f"{path}: 'db_id' must be a string")
    if not isinstance(default, bool) or (default and db_id is None):
        raise FixtureError(f"{path}: 'default: true' marks the file's 'db_id' as the default database")
    return document["sessions"], db_id, default


def session_record(path: Path, index: int, entry: Any, file_db: str | None, model: SessionModel) -> Record:
    """``build_record`` for the session at ``index`` of a file, its errors naming file and index."""
    try:
        return build_record(entry, file_db, model)
    except FixtureError as exc:
        raise FixtureError(f"{path}: sessions[{index}]: {exc}") from None


def _default_database(databases: list[str], marked: dict[str, Path], directory: Path) -> str:
    if len(set(marked)) > 1:
        first, second = list(marked.items())[:2]
        raise FixtureError(f"{second[1]}: database {second[0]!r} is marked default, "
                           f"but {first[1]} already marks {first[0]!r}")
    if marked:
        return next(iter(marked))
    if len(databases) == 1:
        return databases[0]
    raise FixtureError(f"{directory}: several databases ({', '.join(databases)}) and none is the "
                       "default: add 'default: true' beside 'db_id' in one fixture file")


def scan_fixtures(directory: Path, model: SessionModel) -> tuple[FixtureSet | None, list[str]]:
    """Every problem of the fixtures in ``directory``, and the fixture set when there are none."""
    problems: list[str] = []
    records: list[Record] = []
    seen: dict[tuple[str, str], Path] = {}
    databases: list[str] = []
    marked: dict[str, Path] = {}
    try:
        files = fixture_files(directory)
    except FixtureError as exc:
        return None, [str(exc)]
    for path in files:
        try:
            document = read_fixture_file(path)
            if isinstance(document, Mapping) and ("collection" in document or "scripts" in document):
                continue  # a generic collection's items (mockserver.engine.fixtures), or run scripts
            entries, file_db, default = _file_layout(path, document)
        except FixtureError as exc:
            problems.append(str(exc))
            continue
        if file_db is not None and file_db not in databases:
            databases.append(file_db)
        if default:
            marked.setdefault(file_db, path)  # type: ignore[arg-type]
        for index, entry in enumerate(entries):
            try:
                record = session_record(path, index, entry, file_db, model)
            except FixtureError as exc:
                problems.append(str(exc))
                continue
            key = (record["db_id"], record["session_id"])
            if key in seen:
                problems.append(f"{path}: sessions[{index}]: session {key[1]!r} in database {key[0]!r} "
                                f"is also defined in {seen[key]}")
                continue
            seen[key] = path
            if record["db_id"] not in databases:
                databases.append(record["db_id"])
            records.append(record)
    if not databases and not problems:
        problems.append(f"{directory}: the fixture files hold no sessions")
    try:
        default_db = _default_database(databases, marked, directory) if databases else ""
    except FixtureError as exc:
        problems.append(str(exc))
    if problems:
        return None, problems
    return FixtureSet(records, databases, default_db), []


def load_fixtures(directory: Path, model: SessionModel) -> FixtureSet:
    """Every session in ``directory``, validated, with the database list and the default one."""
    fixtures, problems = scan_fixtures(directory, model)
    if fixtures is None:
        others = len(problems) - 1
        more = f" (and {others} more: 'mockserver validate' lists all)" if others else ""
        raise FixtureError(problems[0] + more)
    return fixtures
