"""Values for a scoped collection's parent parameters (``/lists/{tasklist}/tasks``): where no pin
gives ``tasklist``, an item is created in the collection whose item path names it
(``/users/@me/lists/{tasklist}``) and deleted after the scoped collection's checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import httpx

from mockserver.contract.lifecycle.http import Client
from mockserver.contract.lifecycle.outcome import Finding
from mockserver.contract.lifecycle.steps import Steps
from mockserver.contract.lifecycle.targets import Target


def with_parents(target: Target, others: Sequence[Target], client: Client, seed: int, max_items: int,
                 max_examples: int) -> tuple[Target, list[Steps]]:
    """``target`` with a created parent's id for each scope parameter it has no value for (as many
    as can be created), and the steps that created them, for the cleanup."""
    known = dict(target.known)
    parents: list[Steps] = []
    for name in target.missing_scope():
        parent = next((other for other in others if other.collection.id_parameter == name
                       and "create" in other.routes and not other.missing_scope()), None)
        if parent is None:
            break
        steps = Steps(client, parent, seed, max_items, max_examples)
        try:
            known[name], _, _ = steps.create()
        except (Finding, httpx.HTTPError):
            break  # the scoped checks then say which parameter has no value
        parents.append(steps)
    return replace(target, known=known), parents
