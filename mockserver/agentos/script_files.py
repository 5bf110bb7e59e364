"""Reading run scripts (``agentos.scripts``) from the fixtures directory: every file whose top
level is ``scripts:``, checked against the components the collection files define. Errors name
the file, the component, the rule and the field, at start-up. No web imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockserver.agentos.components import Component
from mockserver.agentos.scripts import MATCHES, SECTIONS, Rule, Script, Scripts, Where, read_reply
from mockserver.core.fixture_files import fixture_paths, read_fixture_file
from mockserver.errors import FixtureError

COMPONENT_KEYS = {"chunk", "delay_ms", "rules"}


def _rule(where: Where, raw: Any, members: set[str] | None) -> Rule:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("match"), Mapping):
        raise where.error("match", f"expected a mapping with one of {', '.join(MATCHES)}")
    match = raw["match"]
    given = [name for name in MATCHES if name in match]
    if len(given) != 1 or len(match) != 1:
        raise where.error("match", f"expected exactly one of {', '.join(MATCHES)}, got {sorted(match)}")
    kind = given[0]
    value = match[kind]
    if kind == "any":
        if value is not True:
            raise where.error("match.any", "expected true")
        value = ""
    elif not isinstance(value, str):
        raise where.error(f"match.{kind}", f"expected a string, got {value!r}")
    elif kind == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            raise where.error("match.regex", f"not a regular expression: {exc}") from None
    return Rule(kind, value, read_reply(where, raw.get("reply"), members))


def _script(where: Where, raw: Any, component: Component) -> Script:
    if not isinstance(raw, Mapping):
        raise where.error("rules", "expected a mapping with rules (and chunk, delay_ms)")
    unknown = sorted(set(raw) - COMPONENT_KEYS)
    if unknown:
        raise where.error(unknown[0], f"unknown field (known: {', '.join(sorted(COMPONENT_KEYS))})")
    chunk = raw.get("chunk", "words")
    if chunk != "words" and (not isinstance(chunk, int) or isinstance(chunk, bool) or chunk < 1):
        raise where.error("chunk", f"expected words or a number of characters above 0, got {chunk!r}")
    delay = raw.get("delay_ms")
    if delay is not None and (not isinstance(delay, int) or isinstance(delay, bool) or delay < 0):
        raise where.error("delay_ms", f"expected milliseconds (0 or more), got {delay!r}")
    rules = raw.get("rules") or []
    if not isinstance(rules, list):
        raise where.error("rules", "expected a list of {match: ..., reply: ...}")
    members = set(component.members) if component.kind == "team" else None
    return Script(tuple(_rule(Where(where.path, where.component, index), rule, members)
                        for index, rule in enumerate(rules)), chunk, delay)


def read_script_file(path: Path, document: Mapping[str, Any], components: Mapping[tuple[str, str], Component],
                     scripts: Scripts) -> None:
    """Add the scripts of one file to ``scripts`` (``FixtureError`` naming what is wrong)."""
    if set(document) != {"scripts"} or not isinstance(document["scripts"], Mapping):
        raise FixtureError(f"{path}: a scripts file holds only 'scripts:' with agents, teams, workflows")
    for section, entries in document["scripts"].items():
        if section not in SECTIONS:
            raise FixtureError(f"{path}: scripts: {section}: unknown section (known: {', '.join(SECTIONS)})")
        kind = SECTIONS[section]
        for component_id, raw in (entries or {}).items():
            where = Where(path, f"{section}.{component_id}")
            component = components.get((kind, str(component_id)))
            if component is None:
                known = ", ".join(sorted(c for k, c in components if k == kind)) or "none"
                raise where.error("id", f"no {kind} {component_id!r} in the /{section} collection "
                                        f"(known: {known})")
            if (kind, component.id) in scripts.by_component:
                raise where.error("id", "scripted twice")
            scripts.by_component[(kind, component.id)] = _script(where, raw, component)


def read_scripts(directory: Path | None, components: Mapping[tuple[str, str], Component]) -> Scripts:
    """The run scripts of ``directory`` (none: no scripts, every run gets the default reply)."""
    scripts = Scripts()
    if directory is None or not directory.is_dir():
        return scripts
    for path in fixture_paths(directory):
        document = read_fixture_file(path)
        if isinstance(document, Mapping) and "scripts" in document:
            read_script_file(path, document, components, scripts)
    return scripts
