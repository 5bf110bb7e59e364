"""Reading YAML or JSON files, with errors that name the file, line and column."""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path
from typing import Any

import yaml

from mockserver.errors import StartupError

SCALARS = (str, int, float, bool, type(None))
PARSED_KEPT = 512  # texts whose parsed content a process keeps (``parsed_once``)
_parsed: dict[tuple[bool, str], bytes] = {}  # pickled: unpickling copies faster than ``json_copy``


class JSONDataLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """YAML 1.2 with its JSON-compatible core schema, as OpenAPI recommends, where PyYAML reads YAML
    1.1: ``18:00`` is a string (1.1: the integer 1080), so are ``no``, ``on`` and ``yes`` (1.1:
    booleans), ``1_000``, ``0b1`` and an unquoted ``2024-01-01T00:00:00Z`` (1.1: a timestamp);
    ``014`` is fourteen and ``1e3`` a number. And a key is text: an unquoted ``200:`` (or
    ``true:``) is the key ``"200"`` as written."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if all(isinstance(key, str) for key in mapping):
            return mapping
        written = {self.construct_object(key): key.value for key, _ in node.value
                   if isinstance(key, yaml.ScalarNode)}
        return {key if isinstance(key, str) else written.get(key, str(key)): value
                for key, value in mapping.items()}


def _core_int(loader: Any, node: Any) -> int:
    written = str(loader.construct_scalar(node))
    sign, digits = (-1 if written[0] == "-" else 1), written.lstrip("+-")
    base = {"0x": 16, "0o": 8}.get(digits[:2])
    return sign * (int(digits[2:], base) if base else int(digits))


# The YAML 1.2 core schema's implicit types (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
CORE_SCHEMA = {
    "tag:yaml.org,2002:bool": (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    "tag:yaml.org,2002:int": (re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    "tag:yaml.org,2002:float": (re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        "-+.0123456789"),
    "tag:yaml.org,2002:null": (re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    "tag:yaml.org,2002:merge": (re.compile(r"^(?:<<)$"), "<"),  # not 1.2's, but documents use it
}
JSONDataLoader.yaml_implicit_resolvers = {}
for _tag, (_pattern, _firsts) in CORE_SCHEMA.items():
    JSONDataLoader.add_implicit_resolver(_tag, _pattern, list(_firsts))
JSONDataLoader.add_constructor("tag:yaml.org,2002:int", _core_int)


def read_text(path: Path, error: type[StartupError], what: str) -> str:
    """The UTF-8 text of ``path``; ``error`` naming the file if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the {what} ({exc})") from None


def parse_data(path: Path, text: str, error: type[StartupError]) -> Any:
    """``text`` read from ``path`` parsed as JSON (for ``.json``) or YAML; ``error`` with line and
    column if it does not parse."""
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=JSONDataLoader)
    except json.JSONDecodeError as exc:
        raise error(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise error(f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None


def read_data_file(path: Path, error: type[StartupError], what: str) -> Any:
    """The parsed content of ``path`` (JSON for ``.json``, YAML otherwise); ``error`` if unreadable
    (``parsed_once``)."""
    return parsed_once(path, read_text(path, error, what), error)


def parsed_once(path: Path, text: str, error: type[StartupError]) -> Any:
    """``parse_data``, each text parsed once per process as each kind (JSON or YAML): a caller gets
    a copy of its own to change. A test session or a ``contract`` run reads the same documents and
    fixtures again (each mock built, each reload, copies in other folders)."""
    key = (path.suffix == ".json", text)
    if key not in _parsed:
        parsed = parse_data(path, text, error)
        if len(_parsed) >= PARSED_KEPT:
            del _parsed[next(iter(_parsed))]
        _parsed[key] = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        return parsed
    return pickle.loads(_parsed[key])


def json_copy(node: Any, memo: dict[int, Any] | None = None) -> Any:
    """A deep copy of ``node`` (JSON data: dicts, lists, scalars), several times faster than
    ``copy.deepcopy``, each node shared in ``node`` shared in the copy as it keeps them; anything
    else copied by ``copy.deepcopy``."""
    if isinstance(node, SCALARS):
        return node
    memo = {} if memo is None else memo
    done = memo.get(id(node))
    if done is not None:
        return done
    copied: Any
    if type(node) is dict:
        copied = memo[id(node)] = {}
        for key, value in node.items():
            copied[key] = value if isinstance(value, SCALARS) else json_copy(value, memo)
    elif type(node) is list:
        copied = memo[id(node)] = []
        for value in node:
            copied.append(value if isinstance(value, SCALARS) else json_copy(value, memo))
    else:
        copied = memo[id(node)] = copy.deepcopy(node)
    return copied
