"""Export the operations of a real AgentOS (agno 2.3.16) as two OpenAPI 3.1 documents.

Creates a throwaway virtualenv, pip-installs agno 2.3.16 and what ``agno.os.AgentOS`` needs to
import (with the versions of FastAPI and pydantic that shape the document pinned), and runs a small
child program in it that builds an AgentOS app (an agent, a team and a workflow over one SQLite
database) and writes ``app.openapi()`` as JSON. agno is never imported in the interpreter running
this script.

That one document is split in two, each with every component its operations reference,
transitively, in the order FastAPI produced them, written as YAML under a "generated, do not edit"
header:

- ``openapi/agentos-sessions-2.3.16.yaml``: the sessions operations other than
  ``PATCH /sessions/{session_id}`` (``update_session``, which ``openapi/agentos-sessions.yaml``, the
  seed, defines);
- ``openapi/agentos-2.3.16.yaml``: every other operation (agents, teams, workflows, memories,
  knowledge, evals, metrics, traces, databases, health, config, ...).

No operation is left out or written twice (the three files are served together as one API). The
same inputs give the same bytes.

    .venv/bin/python openapi/export_agentos_sessions.py [--venv DIR] [--output FILE] [--others-output FILE]

Needs network access to a package index (or pip's configured find-links); stdlib and PyYAML only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

AGNO_VERSION = "2.3.16"
HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / f"agentos-sessions-{AGNO_VERSION}.yaml"
DEFAULT_OTHERS_OUTPUT = HERE / f"agentos-{AGNO_VERSION}.yaml"
REGENERATE = ".venv/bin/python openapi/export_agentos_sessions.py"

# What agno.os.AgentOS needs to import and build an app. FastAPI and pydantic (with starlette and
# pydantic-core, which they pin) write the document, so they are pinned to the versions the
# committed file was generated with; the rest only has to import. An Agent without a model gets a
# default OpenAI model, which imports ``openai``.
REQUIREMENTS = (
    f"agno=={AGNO_VERSION}",
    "fastapi==0.165.0",
    "starlette==1.10.0",
    "pydantic==2.14.4",
    "uvicorn",
    "sqlalchemy",
    "greenlet",
    "python-multipart",
    "pyjwt",
    "openai",
)

# (method, path, operationId) of agno 2.3.16's sessions operations, except the seed's update_session.
OPERATIONS = (
    ("get", "/sessions", "get_sessions"),
    ("post", "/sessions", "create_session"),
    ("delete", "/sessions", "delete_sessions"),
    ("get", "/sessions/{session_id}", "get_session_by_id"),
    ("delete", "/sessions/{session_id}", "delete_session"),
    ("get", "/sessions/{session_id}/runs", "get_session_runs"),
    ("get", "/sessions/{session_id}/runs/{run_id}", "get_session_run"),
    ("post", "/sessions/{session_id}/rename", "rename_session"),
)
SEED_OPERATION = ("patch", "/sessions/{session_id}")  # update_session, in openapi/agentos-sessions.yaml
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

# Runs inside the throwaway virtualenv: ``python -c CHILD OUT_FILE``. agno logs to stdout, so the
# document goes to a file. Prints the versions of the packages that wrote it, as JSON, last.
# AgentOS mounts all its routers whatever it is given; the agent, team and workflow are there so the
# app is a typical one. /health's documented example shows when its router was made: the child
# stops the clock at the instant HealthResponse's own example shows, so every run writes the same.
CHILD = """
import importlib.metadata, json, os, sys, tempfile
from datetime import datetime
os.environ["AGNO_TELEMETRY"] = "false"
os.environ.pop("OS_SECURITY_KEY", None)
import agno.os.routers.health
from agno.agent import Agent
from agno.db.sqlite import SqliteDb
from agno.os import AgentOS
from agno.team import Team
from agno.workflow import Workflow

class Stopped(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(1760169236.778903, tz)

agno.os.routers.health.datetime = Stopped
with tempfile.TemporaryDirectory() as tmp:
    db = SqliteDb(db_file=os.path.join(tmp, "agentos.db"), id="main-db")
    team = Team(name="t", id="t", members=[Agent(name="m", id="m")], db=db)
    workflow = Workflow(name="w", id="w", steps=[Agent(name="s", id="s")], db=db)
    app = AgentOS(agents=[Agent(name="a", id="a", db=db)], teams=[team], workflows=[workflow],
                  telemetry=False).get_app()
    document = app.openapi()
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(document, out)
versions = {name: importlib.metadata.version(name) for name in ("agno", "fastapi", "pydantic")}
print("\\n" + json.dumps(versions))
"""


class ExportError(Exception):
    """An expected failure: printed as ``error: ...`` without a traceback."""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        epilog=f"Regenerate the committed file with: {REGENERATE}",
    )
    parser.add_argument(
        "--venv", type=Path, metavar="DIR",
        help="build the virtualenv in DIR and keep it (reused if it exists); default: a temporary "
             "directory, removed afterwards",
    )
    parser.add_argument(
        "--output", type=Path, metavar="FILE", default=DEFAULT_OUTPUT,
        help=f"where to write the sessions document (default: {DEFAULT_OUTPUT.relative_to(HERE.parent)})",
    )
    parser.add_argument(
        "--others-output", type=Path, metavar="FILE", default=DEFAULT_OTHERS_OUTPUT,
        help="where to write the document of every other operation "
             f"(default: {DEFAULT_OTHERS_OUTPUT.relative_to(HERE.parent)})",
    )
    parser.add_argument(
        "--python", default=sys.executable, metavar="EXE",
        help="the interpreter the virtualenv is made from (default: the one running this script)",
    )
    return parser.parse_args(argv)


def run(command: Sequence[str], what: str, env: dict[str, str] | None = None) -> str:
    """Run ``command``; its stdout, or ``ExportError`` with the tail of its output if it fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    except OSError as exc:
        raise ExportError(f"{what}: cannot run {command[0]} ({exc})") from None
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()
        tail = "\n".join("    " + line for line in output[-25:])
        raise ExportError(f"{what} failed (exit status {done.returncode}):\n{tail}")
    return done.stdout


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def prepare_venv(venv: Path, python: str) -> Path:
    """A virtualenv at ``venv`` with ``REQUIREMENTS`` installed; its interpreter."""
    interpreter = venv_python(venv)
    if not interpreter.exists():
        print(f"creating a virtualenv in {venv}", file=sys.stderr)
        run([python, "-m", "venv", str(venv)], f"creating the virtualenv {venv}")
    print(f"installing {' '.join(REQUIREMENTS)}", file=sys.stderr)
    run([str(interpreter), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-input", *REQUIREMENTS], "pip install")
    return interpreter


def export_openapi(interpreter: Path, workdir: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """AgentOS's ``app.openapi()``, built by ``interpreter``, and the versions that wrote it."""
    out = workdir / "openapi.json"
    env = {**os.environ, "AGNO_TELEMETRY": "false", "PYTHONHASHSEED": "0"}
    env.pop("OS_SECURITY_KEY", None)
    stdout = run([str(interpreter), "-c", CHILD, str(out)], "building the AgentOS app", env=env)
    try:
        document = json.loads(out.read_text(encoding="utf-8"))
        versions = json.loads(stdout.strip().splitlines()[-1])
    except (OSError, ValueError, IndexError) as exc:
        raise ExportError(f"the child program wrote no usable document ({exc})") from None
    if not isinstance(document, dict) or not isinstance(versions, dict):
        raise ExportError("the child program's output is not a JSON object")
    return document, {str(name): str(version) for name, version in versions.items()}


def references(node: Any) -> Iterator[str]:
    """Every local reference in ``node``: ``$ref`` values and discriminator mapping targets."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key == "discriminator" and isinstance(value, dict):
                yield from (target for target in value.get("mapping", {}).values() if isinstance(target, str))
                yield from references(value)
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def security_schemes(node: Any) -> Iterator[str]:
    """The names of the security schemes the ``security`` requirements of ``node`` use."""
    for requirement in node.get("security", []) if isinstance(node, dict) else []:
        yield from requirement


def component_key(ref: str) -> tuple[str, str]:
    """``("schemas", "Name")`` for ``#/components/schemas/Name``; ``ExportError`` otherwise."""
    match = re.fullmatch(r"#/components/([^/]+)/([^/]+)", ref)
    if match is None:
        raise ExportError(f"unsupported reference {ref!r} (only #/components/<section>/<name>)")
    section, name = (part.replace("~1", "/").replace("~0", "~") for part in match.groups())
    return section, name


def is_sessions_path(path: str) -> bool:
    return path == "/sessions" or path.startswith("/sessions/")


def keep_paths(document: dict[str, Any], keep: Callable[[str, str], bool]) -> dict[str, Any]:
    """The paths of ``document`` with the operations ``keep(method, path)`` accepts, in its order.

    A path keeps its path-level keys (summary, parameters, ...) if it keeps an operation at all.
    """
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        kept = {key: value for key, value in item.items() if key not in HTTP_METHODS or keep(key, path)}
        if any(key in HTTP_METHODS for key in kept):
            paths[path] = kept
    return paths


def sessions_paths(document: dict[str, Any]) -> dict[str, Any]:
    """The paths of ``OPERATIONS``; ``ExportError`` if one lacks or another sessions operation exists."""
    wanted = {(method, path): operation_id for method, path, operation_id in OPERATIONS}
    paths = keep_paths(document, lambda method, path: (method, path) in wanted)
    found = {(method, path) for path, item in paths.items() for method in item if method in HTTP_METHODS}
    for method, path in sorted(found):
        operation_id = paths[path][method].get("operationId")
        if operation_id != wanted[method, path]:
            raise ExportError(f"{method.upper()} {path} has operationId {operation_id!r}, "
                              f"expected {wanted[method, path]!r}")
    missing = [f"{method.upper()} {path} ({operation_id})" for method, path, operation_id in OPERATIONS
               if (method, path) not in found]
    if missing:
        raise ExportError(f"AgentOS's document lacks {', '.join(missing)}")
    unplaced = [f"{method.upper()} {path}" for path, item in document.get("paths", {}).items()
                for method in item if method in HTTP_METHODS and is_sessions_path(path)
                and (method, path) not in wanted and (method, path) != SEED_OPERATION]
    if unplaced:
        raise ExportError(f"AgentOS has sessions operations this script does not know: {', '.join(unplaced)}")
    return paths


def other_paths(document: dict[str, Any]) -> dict[str, Any]:
    """The paths of every operation outside ``/sessions``; ``ExportError`` if there is none."""
    paths = keep_paths(document, lambda method, path: not is_sessions_path(path))
    if not paths:
        raise ExportError("AgentOS's document has no operation outside /sessions")
    return paths


def needed_components(document: dict[str, Any], paths: dict[str, Any]) -> set[tuple[str, str]]:
    """``(section, name)`` of every component ``paths`` (and the top-level security) use, transitively."""
    components = document.get("components", {})
    needed: set[tuple[str, str]] = set()
    todo = [component_key(ref) for ref in references(paths)]
    todo += [("securitySchemes", name) for item in paths.values() for operation in item.values()
             for name in security_schemes(operation)]
    todo += [("securitySchemes", name) for name in security_schemes(document)]
    while todo:
        section, name = todo.pop()
        if (section, name) in needed:
            continue
        if name not in components.get(section, {}):
            raise ExportError(f"the document references #/components/{section}/{name}, which it lacks")
        needed.add((section, name))
        todo += [component_key(ref) for ref in references(components[section][name])]
    return needed


def select(document: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    """``document`` cut down to ``paths`` and the components they reference, in its order."""
    needed = needed_components(document, paths)
    result: dict[str, Any] = {}
    for key, value in document.items():
        if key == "paths":
            result[key] = paths
        elif key == "components":
            kept_components = {
                section: {name: schema for name, schema in entries.items() if (section, name) in needed}
                for section, entries in value.items()
            }
            result[key] = {section: entries for section, entries in kept_components.items() if entries}
        elif key in ("openapi", "info", "security", "servers", "jsonSchemaDialect"):
            result[key] = value
    return result


class Dumper(yaml.SafeDumper):
    """Block-style YAML with indented sequences and multi-line strings as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _represent_str)


# What each written document is, for its header (after "Generated by ... from agno ...:").
SESSIONS_ABOUT = (
    "FastAPI's app.openapi() of a real AgentOS app, cut down to its sessions operations other than\n"
    "PATCH /sessions/{session_id} (update_session, which the seed openapi/agentos-sessions.yaml\n"
    "defines) and the components they reference."
)
OTHERS_ABOUT = (
    "FastAPI's app.openapi() of a real AgentOS app (an agent, a team and a workflow over one SQLite\n"
    "database) without its sessions operations, which openapi/agentos-sessions.yaml and\n"
    f"openapi/agentos-sessions-{AGNO_VERSION}.yaml define: every other operation and the components\n"
    "they reference. /health's example instantiated_at is a fixed instant."
)


def header(versions: dict[str, str], about: str) -> str:
    built_with = ", ".join(f"{name} {version}" for name, version in sorted(versions.items())
                           if name != "agno")
    return (
        f"# Generated by openapi/export_agentos_sessions.py from agno {AGNO_VERSION} (with {built_with}):\n"
        + "".join(f"# {line}\n" for line in about.splitlines())
        + "# Do not edit by hand. Regenerate with:\n"
        f"#   {REGENERATE}\n"
    )


def render(document: dict[str, Any], head: str) -> str:
    body = yaml.dump(document, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    text = head + body
    if yaml.safe_load(text) != document:
        raise ExportError("the YAML written does not read back as the selected document")
    return text


def count(document: dict[str, Any]) -> tuple[int, dict[str, int]]:
    operations = sum(1 for item in document["paths"].values() for key in item if key in HTTP_METHODS)
    sections = {section: len(entries) for section, entries in document.get("components", {}).items()}
    return operations, sections


def shown(path: Path) -> str:
    """``path`` relative to the working directory if it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write(output: Path, text: str, document: dict[str, Any]) -> str:
    """Write ``text`` (``document`` as YAML) to ``output``; a line saying what it holds."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ExportError(f"cannot write {output} ({exc})") from None
    operations, sections = count(document)
    per_section = ", ".join(f"{number} {section}" for section, number in sections.items())
    return (f"wrote {shown(output)}: {operations} operations in {len(document['paths'])} paths, "
            f"{sum(sections.values())} components ({per_section}) from agno {AGNO_VERSION}")


def export(args: argparse.Namespace) -> list[str]:
    """Build the AgentOS document, split it, write both files; a line per file written."""
    with tempfile.TemporaryDirectory(prefix="export-agentos-") as tmp:
        workdir = Path(tmp)
        interpreter = prepare_venv(args.venv.resolve() if args.venv else workdir / "venv", args.python)
        document, versions = export_openapi(interpreter, workdir)
    if versions.get("agno") != AGNO_VERSION:
        raise ExportError(f"the virtualenv has agno {versions.get('agno')}, expected {AGNO_VERSION}")
    parts = [(args.output, select(document, sessions_paths(document)), SESSIONS_ABOUT),
             (args.others_output, select(document, other_paths(document)), OTHERS_ABOUT)]
    texts = [render(part, header(versions, about)) for _, part, about in parts]  # both, before writing
    return [write(output, text, part) for (output, part, _), text in zip(parts, texts, strict=True)]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        print("\n".join(export(args)))
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
