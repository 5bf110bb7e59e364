"""The agents, teams and workflows a run may address: the items of the ``/agents``, ``/teams`` and
``/workflows`` collection files in the fixtures directory (the engine serves them as collections;
runs read them once at start-up, and again when ``--watch`` reloads).

An item names its ``id``, ``name`` and ``db_id`` (the database its sessions go to, the default
one when it has none); a team its ``members`` (each with an ``id``), an agent its ``model``.
No web imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.core.fixture_files import fixture_paths, read_fixture_file

KINDS = {"/agents": "agent", "/teams": "team", "/workflows": "workflow"}


@dataclass(frozen=True)
class Component:
    kind: str  # agent, team, workflow
    id: str
    name: str
    db_id: str | None
    members: tuple[str, ...] = ()  # a team's member agents' ids
    model: tuple[str, str] = ("", "")  # model id and provider, as AgentOS's events name them
    model_name: str = ""  # the model's class name (OpenAIChat), as a session's agent_data shows it


def _component(kind: str, item: Mapping[str, Any]) -> Component | None:
    if not isinstance(item.get("id"), str):
        return None
    model: Mapping[str, Any] = item["model"] if isinstance(item.get("model"), Mapping) else {}
    members = tuple(str(m["id"]) for m in item.get("members") or () if isinstance(m, Mapping) and "id" in m)
    return Component(kind, item["id"], str(item.get("name") or item["id"]),
                     item["db_id"] if isinstance(item.get("db_id"), str) else None, members,
                     (str(model.get("model") or model.get("id") or ""), str(model.get("provider") or "")),
                     str(model.get("name") or ""))


def read_components(directory: Path | None) -> dict[tuple[str, str], Component]:
    """(kind, id) -> the component, from the collection files of ``directory`` (none: no components)."""
    found: dict[tuple[str, str], Component] = {}
    if directory is None or not directory.is_dir():
        return found
    for path in fixture_paths(directory):
        document = read_fixture_file(path)
        if not isinstance(document, Mapping) or document.get("collection") not in KINDS:
            continue
        kind = KINDS[document["collection"]]
        for item in document.get("items") or ():
            component = _component(kind, item) if isinstance(item, Mapping) else None
            if component is not None:
                found[(kind, component.id)] = component
    return found
